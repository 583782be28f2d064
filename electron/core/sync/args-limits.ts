/**
 * Limits on the shape of a pushed mutation's arguments, checked before anything else looks at them:
 * the arguments are JSON of any shape until their mutation's schema (mutations/args.ts) has checked
 * them, and 100 000 nested arrays answered 500 when they were copied to the push worker (structured
 * clone recurses). Every schema-valid argument is far inside these limits: the deepest nest 3 levels
 * (profile.update's patch), the largest a 500-question Pressure Room attempt (about 1 000 values and
 * 100 000 characters of ids).
 */

/** Nesting: the arguments object itself is depth 1. */
export const MAX_ARGS_DEPTH = 16
/** Objects, arrays and values in one mutation's arguments. */
export const MAX_ARGS_NODES = 4_096
/** Characters of every string and key in one mutation's arguments. */
export const MAX_ARGS_CHARS = 131_072

/**
 * Why `args` is beyond the limits, in words, or null when it is within them. Iterative (no recursion
 * to overflow) and it stops at the first limit passed, so a hostile value costs at most MAX_ARGS_NODES
 * steps beyond reading its outermost arrays.
 */
export function argsLimitBreach(args: unknown): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value: args, depth: 1 }]
  let nodes = 0
  let chars = 0
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number }
    if (++nodes > MAX_ARGS_NODES) return `they hold more than ${MAX_ARGS_NODES} values`
    if (typeof value === 'string') chars += value.length
    else if (value !== null && typeof value === 'object') {
      if (depth > MAX_ARGS_DEPTH) return `they nest deeper than ${MAX_ARGS_DEPTH} levels`
      const entries: [string, unknown][] = Array.isArray(value) ? (value as unknown[]).map((item) => ['', item]) : Object.entries(value)
      if (nodes + stack.length + entries.length > MAX_ARGS_NODES) return `they hold more than ${MAX_ARGS_NODES} values`
      for (const [key, item] of entries) {
        chars += key.length
        stack.push({ value: item, depth: depth + 1 })
      }
    }
    if (chars > MAX_ARGS_CHARS) return `their text is longer than ${MAX_ARGS_CHARS} characters`
  }
  return null
}
