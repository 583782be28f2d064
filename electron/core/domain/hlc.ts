/**
 * Hybrid logical clocks for last-writer-wins fields (notes, profile). A clock reading is a string that
 * sorts in time order: wall-clock milliseconds, a counter for writes within the same millisecond (or
 * while the wall clock runs behind the last reading), and the device's id to break ties between devices.
 */

const MS_DIGITS = 15
const COUNTER_DIGITS = 6

export interface HlcParts {
  ms: number
  counter: number
  node: string
}

export function formatHlc({ ms, counter, node }: HlcParts): string {
  return `${String(ms).padStart(MS_DIGITS, '0')}:${String(counter).padStart(COUNTER_DIGITS, '0')}:${node}`
}

export function parseHlc(hlc: string): HlcParts | null {
  const match = /^(\d{15}):(\d{6}):(.+)$/.exec(hlc)
  if (!match) return null
  return { ms: Number(match[1]), counter: Number(match[2]), node: match[3] as string }
}

const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1

/** A reading with its counter kept within its digits: past the last, the next millisecond begins. */
function bounded(ms: number, counter: number, node: string): string {
  return counter > MAX_COUNTER ? formatHlc({ ms: ms + 1, counter: 0, node }) : formatHlc({ ms, counter, node })
}

/** The next reading after `last` on device `node` at wall-clock `nowMs`: always later than `last`. */
export function nextHlc(last: string | null, nowMs: number, node: string): string {
  const previous = last ? parseHlc(last) : null
  if (!previous || nowMs > previous.ms) return formatHlc({ ms: Math.floor(nowMs), counter: 0, node })
  return bounded(previous.ms, previous.counter + 1, node)
}

/**
 * The HLC receive rule: device `node`, whose last reading is `last`, takes in `seen` (another device's
 * reading) at wall-clock `nowMs`. The result is later than both, so whatever this device writes after
 * seeing a value beats that value, however far the other device's clock ran ahead of this one's.
 * l' = max(l, l_seen, pt); the counter goes on from whichever of l and l_seen reached l' (0 if only pt did).
 */
export function receiveHlc(last: string | null, seen: string, nowMs: number, node: string): string {
  const mine = last ? parseHlc(last) : null
  const theirs = parseHlc(seen)
  if (!theirs) return last ?? nextHlc(null, nowMs, node)
  const l = mine?.ms ?? -1
  const ms = Math.max(l, theirs.ms, Math.floor(nowMs))
  if (ms === l && ms === theirs.ms) return bounded(ms, Math.max(mine?.counter ?? 0, theirs.counter) + 1, node)
  if (ms === l) return bounded(ms, (mine?.counter ?? 0) + 1, node)
  if (ms === theirs.ms) return bounded(ms, theirs.counter + 1, node)
  return formatHlc({ ms, counter: 0, node })
}

/** The latest of some readings by string order (the order last-writer-wins uses), or null if none. */
export function latestHlc(readings: Iterable<unknown>): string | null {
  let latest: string | null = null
  for (const r of readings) if (typeof r === 'string' && HLC_PATTERN.test(r) && (latest === null || r > latest)) latest = r
  return latest
}

/**
 * The server's bound on a pushed reading: at most `limitMs` (its own time plus MAX_CLOCK_LEAD_MS).
 * A reading beyond it keeps its device and gets `limitMs` with counter `k` (the k-th reading clamped
 * in this push, so clamped writes of one push keep their order). Unparseable readings are returned
 * unchanged for the mutation's validation to refuse.
 */
export function clampHlc(hlc: string, limitMs: number, k: number): string {
  const parts = parseHlc(hlc)
  if (!parts || parts.ms <= limitMs) return hlc
  return formatHlc({ ms: limitMs, counter: Math.min(k, MAX_COUNTER), node: parts.node })
}

/** How far ahead of the server's time a reading may be: beyond it a clock is broken, not just skewed. */
export const MAX_CLOCK_LEAD_MS = 24 * 60 * 60 * 1000

/** Last writer wins: is `incoming` newer than `current` (absent = never written)? */
export function isNewer(incoming: string, current: string | null | undefined): boolean {
  return current == null || incoming > current
}

export const HLC_PATTERN = /^\d{15}:\d{6}:[A-Za-z0-9-]{1,64}$/
