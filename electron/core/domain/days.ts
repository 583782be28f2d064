/**
 * Calendar days in the learner's timezone, as 'YYYY-MM-DD' strings. Streaks and the heatmap work on
 * these, never on raw timestamps, so a 23- or 25-hour DST day is still one day.
 */

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone)
  if (!f) {
    // en-CA formats dates as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })
    formatters.set(timezone, f)
  }
  return f
}

export function isValidTimezone(timezone: string): boolean {
  try {
    formatterFor(timezone)
    return true
  } catch {
    return false
  }
}

/** The calendar day on which `epochSeconds` falls in `timezone`. */
export function localDay(epochSeconds: number, timezone: string): string {
  return formatterFor(timezone).format(new Date(epochSeconds * 1000))
}

const MS_PER_DAY = 86_400_000

/** Days since 1970-01-01 for a 'YYYY-MM-DD' day; consecutive days differ by exactly 1. */
export function dayNumber(day: string): number {
  const [y, m, d] = day.split('-').map(Number)
  return Math.round(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / MS_PER_DAY)
}

export function dayFromNumber(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10)
}

export function addDays(day: string, n: number): string {
  return dayFromNumber(dayNumber(day) + n)
}
