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

/** The next reading after `last` on device `node` at wall-clock `nowMs`: always later than `last`. */
export function nextHlc(last: string | null, nowMs: number, node: string): string {
  const previous = last ? parseHlc(last) : null
  if (!previous || nowMs > previous.ms) return formatHlc({ ms: Math.floor(nowMs), counter: 0, node })
  return formatHlc({ ms: previous.ms, counter: previous.counter + 1, node })
}

/** Last writer wins: is `incoming` newer than `current` (absent = never written)? */
export function isNewer(incoming: string, current: string | null | undefined): boolean {
  return current == null || incoming > current
}

export const HLC_PATTERN = /^\d{15}:\d{6}:[A-Za-z0-9-]{1,64}$/
