import { describe, it, expect } from 'vitest'
import {
  streaksFromDays,
  extendStreak,
  currentStreak,
  NO_STREAK,
  TRAVEL_BRIDGE_SECONDS,
  type LearningDay,
  type StreakState,
} from '../../electron/core/domain/streaks'
import { localDay } from '../../electron/core/domain/days'

const at = (iso: string): number => Date.parse(iso) / 1000
/** Noon UTC of a day: consecutive test days are 24 h apart, so no travel bridge applies. */
const noon = (day: string): number => at(`${day}T12:00:00Z`)

interface Moment {
  day: string
  at: number
}
/** A learning moment: the epoch second and its local day in `tz`. */
const moment = (epoch: number, tz: string): Moment => ({ day: localDay(epoch, tz), at: epoch })
/** Plain day strings as learning moments at noon UTC. */
const plain = (days: readonly string[]): Moment[] => days.map((day) => ({ day, at: noon(day) }))
/** Learning days, as the database reports them, from moments. */
const asDays = (moments: readonly Moment[]): LearningDay[] => moments.map((m) => ({ day: m.day, first: m.at, last: m.at }))
/** The expected state for a run ending on `day`, whose last moment is noon of that day. */
const state = (streak: number, longestStreak: number, lastActiveDay: string, lastActiveAt = noon(lastActiveDay)): StreakState => ({
  streak,
  longestStreak,
  lastActiveDay,
  lastActiveAt,
})

/** Folds moments into a state with extendStreak, failing the test if it asks for a full recompute. */
function extendAll(moments: readonly Moment[], from: StreakState = NO_STREAK): StreakState {
  let current = from
  for (const m of moments) {
    const next = extendStreak(current, m)
    if (next === null) throw new Error(`extendStreak asked for a recompute at ${m.day}`)
    current = next
  }
  return current
}

describe('streaksFromDays', () => {
  it('is no streak for no days', () => {
    expect(streaksFromDays([])).toEqual(NO_STREAK)
    expect(streaksFromDays([])).toEqual({ streak: 0, longestStreak: 0, lastActiveDay: null, lastActiveAt: null })
  })

  it.each<[string, string[], StreakState]>([
    ['a single day', ['2026-05-10'], state(1, 1, '2026-05-10')],
    ['three consecutive days', ['2026-05-10', '2026-05-11', '2026-05-12'], state(3, 3, '2026-05-12')],
    ['a gap that ends the longest run', ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-10', '2026-05-11'], state(2, 4, '2026-05-11')],
    ['a one-day gap', ['2026-05-01', '2026-05-03'], state(1, 1, '2026-05-03')],
    ['duplicate days', ['2026-05-10', '2026-05-10', '2026-05-11', '2026-05-11', '2026-05-11'], state(2, 2, '2026-05-11')],
    ['unordered days', ['2026-05-12', '2026-05-10', '2026-04-01', '2026-05-11'], state(3, 3, '2026-05-12')],
    ['a run across a month, a year and a leap day', ['2023-12-31', '2024-01-01', '2024-02-28', '2024-02-29', '2024-03-01'], state(3, 3, '2024-03-01')],
    ['a run across a non-leap February end', ['2026-02-27', '2026-02-28', '2026-03-01'], state(3, 3, '2026-03-01')],
  ])('handles %s', (_name, days, expected) => {
    expect(streaksFromDays(asDays(plain(days)))).toEqual(expected)
  })

  it('merges several reports of the same day into its first and last moment', () => {
    const days: LearningDay[] = [
      { day: '2026-05-10', first: at('2026-05-10T08:00:00Z'), last: at('2026-05-10T09:00:00Z') },
      { day: '2026-05-10', first: at('2026-05-10T06:00:00Z'), last: at('2026-05-10T22:00:00Z') },
    ]
    expect(streaksFromDays(days)).toEqual(state(1, 1, '2026-05-10', at('2026-05-10T22:00:00Z')))
  })
})

describe('extendStreak', () => {
  const start = state(2, 5, '2026-05-10')

  it('starts a streak of 1 from nothing', () => {
    expect(extendStreak(NO_STREAK, { day: '2026-05-10', at: noon('2026-05-10') })).toEqual(state(1, 1, '2026-05-10'))
  })

  it('learning again on the same day only moves the last moment', () => {
    expect(extendStreak(start, { day: '2026-05-10', at: noon('2026-05-10') + 60 })).toEqual({ ...start, lastActiveAt: noon('2026-05-10') + 60 })
  })

  it('learning on the next day extends the streak', () => {
    expect(extendStreak(start, { day: '2026-05-11', at: noon('2026-05-11') })).toEqual(state(3, 5, '2026-05-11'))
  })

  it('a gap restarts the streak at 1 and keeps the longest', () => {
    expect(extendStreak(start, { day: '2026-05-12', at: noon('2026-05-12') })).toEqual(state(1, 5, '2026-05-12'))
  })

  it('raises the longest streak when the current one passes it', () => {
    expect(extendStreak(state(5, 5, '2026-05-10'), { day: '2026-05-11', at: noon('2026-05-11') })).toEqual(state(6, 6, '2026-05-11'))
  })

  it('returns null for a day before the last active day', () => {
    expect(extendStreak(start, { day: '2026-05-09', at: noon('2026-05-11') })).toBeNull()
    expect(extendStreak(start, { day: '2025-12-31', at: noon('2026-05-11') })).toBeNull()
  })

  it('agrees with the full computation for moments given in order', () => {
    const moments = plain(['2026-02-27', '2026-02-28', '2026-02-28', '2026-03-01', '2026-03-03', '2026-03-04'])
    expect(extendAll(moments)).toEqual(streaksFromDays(asDays(moments)))
  })
})

describe('currentStreak', () => {
  const last = state(4, 9, '2026-05-10', at('2026-05-10T20:00:00Z'))

  it.each([
    ['the same day', 4, '2026-05-10', at('2026-05-10T22:00:00Z')],
    ['the day after (still alive)', 4, '2026-05-11', at('2026-05-11T23:00:00Z')],
    ['two days after (broken)', 0, '2026-05-12', at('2026-05-12T09:00:00Z')],
    ['a month after', 0, '2026-06-10', at('2026-06-10T09:00:00Z')],
  ])('on %s the streak is %i', (_when, expected, today, now) => {
    expect(currentStreak(last, today, now)).toBe(expected)
  })

  it('the day after across a year end keeps the streak alive', () => {
    expect(currentStreak(state(3, 3, '2025-12-31'), '2026-01-01', noon('2026-01-01'))).toBe(3)
  })

  it('is 0 with no activity', () => {
    expect(currentStreak(NO_STREAK, '2026-05-10', noon('2026-05-10'))).toBe(0)
  })

  it('stays alive after flying east past a calendar day, within 23 hours of the last lesson', () => {
    // Last lesson in Los Angeles on 05-10 at 20:00; now 08:00 on 05-12 in Tokyo, 20 hours later.
    const now = at('2026-05-11T23:00:00Z')
    expect(localDay(now, 'Asia/Tokyo')).toBe('2026-05-12')
    expect(currentStreak(state(4, 4, '2026-05-10', at('2026-05-11T03:00:00Z')), '2026-05-12', now)).toBe(4)
  })
})

describe('streaks across DST changes', () => {
  const NY = 'America/New_York'
  const BERLIN = 'Europe/Berlin'

  it('23:30 on consecutive nights across New York spring-forward (2026-03-08) is unbroken', () => {
    const moments = [
      at('2026-03-07T04:30:00Z'), // 2026-03-06 23:30 EST
      at('2026-03-08T04:30:00Z'), // 2026-03-07 23:30 EST
      at('2026-03-09T03:30:00Z'), // 2026-03-08 23:30 EDT (23-hour day)
      at('2026-03-10T03:30:00Z'), // 2026-03-09 23:30 EDT
    ].map((s) => moment(s, NY))
    expect(moments.map((m) => m.day)).toEqual(['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09'])
    expect(streaksFromDays(asDays(moments))).toEqual(state(4, 4, '2026-03-09', at('2026-03-10T03:30:00Z')))
    expect(extendAll(moments)).toEqual(streaksFromDays(asDays(moments)))
  })

  it('skipping New York’s 23-hour day (2026-03-08) breaks the streak even though under 24 h passed', () => {
    const moments = [at('2026-03-08T04:59:00Z'), at('2026-03-09T04:00:00Z')].map((s) => moment(s, NY))
    // 2026-03-07 23:59 EST, then 2026-03-09 00:00 EDT: 23 h 01 min later, a whole day skipped.
    expect(moments.map((m) => m.day)).toEqual(['2026-03-07', '2026-03-09'])
    expect((moments[1]?.at ?? 0) - (moments[0]?.at ?? 0)).toBeGreaterThanOrEqual(TRAVEL_BRIDGE_SECONDS)
    expect(streaksFromDays(asDays(moments)).streak).toBe(1)
    expect(extendAll(moments).streak).toBe(1)
  })

  it('two activities on New York’s 23-hour day (2026-03-08) are one day', () => {
    const moments = [
      at('2026-03-08T05:00:00Z'), // 00:00 EST
      at('2026-03-08T06:59:59Z'), // 01:59:59 EST, just before the jump
      at('2026-03-08T07:00:00Z'), // 03:00 EDT
      at('2026-03-09T03:59:59Z'), // 23:59:59 EDT
    ].map((s) => moment(s, NY))
    expect(new Set(moments.map((m) => m.day))).toEqual(new Set(['2026-03-08']))
    expect(streaksFromDays(asDays(moments))).toEqual(state(1, 1, '2026-03-08', at('2026-03-09T03:59:59Z')))
  })

  it('23:30 on consecutive nights across New York fall-back (2026-11-01) is unbroken', () => {
    const moments = [
      at('2026-11-01T03:30:00Z'), // 2026-10-31 23:30 EDT
      at('2026-11-02T04:30:00Z'), // 2026-11-01 23:30 EST (25-hour day)
      at('2026-11-03T04:30:00Z'), // 2026-11-02 23:30 EST
    ].map((s) => moment(s, NY))
    expect(moments.map((m) => m.day)).toEqual(['2026-10-31', '2026-11-01', '2026-11-02'])
    expect(streaksFromDays(asDays(moments)).streak).toBe(3)
    expect(extendAll(moments)).toEqual(streaksFromDays(asDays(moments)))
  })

  it('activities across New York’s 25-hour day (2026-11-01) count as one day', () => {
    const moments = [
      at('2026-11-01T04:05:00Z'), // 00:05 EDT
      at('2026-11-01T05:30:00Z'), // 01:30 EDT (first time)
      at('2026-11-01T06:30:00Z'), // 01:30 EST (second time)
      at('2026-11-02T04:55:00Z'), // 23:55 EST, 24h50m after the first
    ].map((s) => moment(s, NY))
    expect(moments.every((m) => m.day === '2026-11-01')).toBe(true)
    const before = state(6, 6, '2026-10-31', at('2026-11-01T03:00:00Z'))
    expect(extendAll(moments, before)).toEqual(state(7, 7, '2026-11-01', at('2026-11-02T04:55:00Z')))
  })

  it('23:30 on consecutive nights across Berlin spring-forward (2026-03-29) is unbroken', () => {
    const moments = [
      at('2026-03-27T22:30:00Z'), // 2026-03-27 23:30 CET
      at('2026-03-28T22:30:00Z'), // 2026-03-28 23:30 CET
      at('2026-03-29T21:30:00Z'), // 2026-03-29 23:30 CEST (23-hour day)
      at('2026-03-30T21:30:00Z'), // 2026-03-30 23:30 CEST
    ].map((s) => moment(s, BERLIN))
    expect(moments.map((m) => m.day)).toEqual(['2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30'])
    expect(streaksFromDays(asDays(moments)).streak).toBe(4)
    expect(extendAll(moments)).toEqual(streaksFromDays(asDays(moments)))
  })

  it('two activities on Berlin’s 25-hour day (2026-10-25) count as one day', () => {
    const moments = [at('2026-10-24T22:10:00Z'), at('2026-10-25T22:50:00Z')].map((s) => moment(s, BERLIN))
    expect(moments.map((m) => m.day)).toEqual(['2026-10-25', '2026-10-25'])
    expect(streaksFromDays(asDays(moments)).streak).toBe(1)
  })

  it('fixed 24-hour steps are not how days are counted (why localDay is used)', () => {
    // 23:30 EST on 03-07 plus 86 400 s is 00:30 EDT on 03-09: the naive step skips 03-08.
    expect(localDay(at('2026-03-08T04:30:00Z') + 86_400, NY)).toBe('2026-03-09')
  })
})

describe('streaks across a timezone change', () => {
  const TOKYO = 'Asia/Tokyo'
  const LA = 'America/Los_Angeles'

  it('moving west repeats a local day without breaking or inflating the streak', () => {
    const moments = [
      moment(at('2026-05-10T11:00:00Z'), TOKYO), // Tokyo 05-10 20:00
      moment(at('2026-05-11T00:00:00Z'), TOKYO), // Tokyo 05-11 09:00, then flies to LA
      moment(at('2026-05-11T21:00:00Z'), LA), // LA 05-11 14:00: the same calendar day again
      moment(at('2026-05-12T17:00:00Z'), LA), // LA 05-12 10:00
    ]
    expect(moments.map((m) => m.day)).toEqual(['2026-05-10', '2026-05-11', '2026-05-11', '2026-05-12'])
    const expected = state(3, 3, '2026-05-12', at('2026-05-12T17:00:00Z'))
    expect(streaksFromDays(asDays(moments))).toEqual(expected)
    expect(extendAll(moments)).toEqual(expected)
  })

  it('moving east past a calendar day (20 hours later) continues the streak', () => {
    const moments = [
      moment(at('2026-05-10T03:00:00Z'), LA), // LA 05-09 20:00
      moment(at('2026-05-11T03:00:00Z'), LA), // LA 05-10 20:00, then flies to Tokyo
      moment(at('2026-05-11T23:00:00Z'), TOKYO), // Tokyo 05-12 08:00: 05-11 was spent in the air
    ]
    expect(moments.map((m) => m.day)).toEqual(['2026-05-09', '2026-05-10', '2026-05-12'])
    const expected = state(3, 3, '2026-05-12', at('2026-05-11T23:00:00Z'))
    expect(streaksFromDays(asDays(moments))).toEqual(expected)
    expect(extendAll(moments)).toEqual(expected)
  })

  it('moving east does not fake a streak when a day really was skipped', () => {
    const moments = [
      moment(at('2026-05-11T03:00:00Z'), LA), // LA 05-10 20:00
      moment(at('2026-05-13T00:00:00Z'), TOKYO), // Tokyo 05-13 09:00, 45 hours later
    ]
    expect(streaksFromDays(asDays(moments)).streak).toBe(1)
    expect(extendAll(moments).streak).toBe(1)
  })

  it('when the local day goes backwards, extendStreak asks for a recompute and the full computation is right', () => {
    const moments = [
      moment(at('2026-05-09T00:00:00Z'), TOKYO), // Tokyo 05-09 09:00
      moment(at('2026-05-10T00:00:00Z'), TOKYO), // Tokyo 05-10 09:00
      moment(at('2026-05-10T23:00:00Z'), TOKYO), // Tokyo 05-11 08:00, then flies to LA
      moment(at('2026-05-11T01:00:00Z'), LA), // LA 05-10 18:00: a day before the last one
    ]
    expect(moments.map((m) => m.day)).toEqual(['2026-05-09', '2026-05-10', '2026-05-11', '2026-05-10'])
    const beforeFlight = extendAll(moments.slice(0, 3))
    expect(beforeFlight.streak).toBe(3)
    expect(extendStreak(beforeFlight, moments[3] as Moment)).toBeNull()

    const recomputed = streaksFromDays(asDays(moments))
    expect(recomputed).toEqual(state(3, 3, '2026-05-11', at('2026-05-11T01:00:00Z')))

    // Learning continues in LA: 05-11 repeats, 05-12 extends.
    const later = [moment(at('2026-05-11T20:00:00Z'), LA), moment(at('2026-05-12T20:00:00Z'), LA)]
    expect(later.map((m) => m.day)).toEqual(['2026-05-11', '2026-05-12'])
    expect(extendAll(later, recomputed).streak).toBe(4)
    expect(streaksFromDays(asDays([...moments, ...later])).streak).toBe(4)
  })
})
