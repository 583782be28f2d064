import type { z } from 'zod'
import { Invalid } from '../errors'

/** Parses service input with a zod schema; a failure becomes a typed Invalid error listing the fields. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) throw Invalid.fromZod(parsed.error, what)
  return parsed.data
}
