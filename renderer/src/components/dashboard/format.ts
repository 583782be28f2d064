/** How dates, durations and counts read to a learner on the dashboard, achievements and activity screens. */

// Day strings ('YYYY-MM-DD') are already the learner's calendar day: format them at UTC midnight so
// no second timezone conversion can move them to the day before or after.
const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
const weekdayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' })
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short' })
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
const numberFormat = new Intl.NumberFormat('en-GB')

export function parseDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1))
}

/** "12 March 2026" */
export const formatDay = (day: string) => dayFormat.format(parseDay(day))
/** "Thursday 12 March 2026" */
export const formatDayLong = (day: string) => weekdayFormat.format(parseDay(day))
/** "Mar" */
export const formatMonth = (day: string) => monthFormat.format(parseDay(day))

export const formatDate = (epochSeconds: number) => dateFormat.format(new Date(epochSeconds * 1000))
export const formatDateTime = (epochSeconds: number) => dateTimeFormat.format(new Date(epochSeconds * 1000))
export const formatTime = (epochSeconds: number) => timeFormat.format(new Date(epochSeconds * 1000))
export const isoTime = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString()

/** "just now", "12 minutes ago", "3 hours ago"; older than a day falls back to the time of day. */
export function formatRecentTime(epochSeconds: number, nowMs = Date.now()): string {
  const seconds = Math.round(nowMs / 1000 - epochSeconds)
  if (seconds < 60) return 'just now'
  if (seconds < 3600) return relativeFormat.format(-Math.floor(seconds / 60), 'minute')
  if (seconds < 6 * 3600) return relativeFormat.format(-Math.floor(seconds / 3600), 'hour')
  return formatTime(epochSeconds)
}

export const formatNumber = (n: number) => numberFormat.format(n)

export const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`

/** "2 h 5 min", "45 min", "0 min" */
export function formatDuration(totalSeconds: number): string {
  const minutes = Math.floor(Math.max(0, totalSeconds) / 60)
  const hours = Math.floor(minutes / 60)
  if (hours === 0) return `${minutes} min`
  const rest = minutes % 60
  return rest === 0 ? `${formatNumber(hours)} h` : `${formatNumber(hours)} h ${rest} min`
}

/** Adds days to a 'YYYY-MM-DD' day (used to tell "today" and "yesterday" apart from older days). */
export function addDays(day: string, n: number): string {
  const date = parseDay(day)
  date.setUTCDate(date.getUTCDate() + n)
  return date.toISOString().slice(0, 10)
}
