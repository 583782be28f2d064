/** Time comes in as a dependency so tests can walk a streak across days, DST and timezones. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** Unix epoch seconds, the unit of every timestamp in the database. */
export function nowSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000)
}

/** The operating system's IANA timezone, the default for a new learner. */
export function systemTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}
