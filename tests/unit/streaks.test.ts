import { describe, it, expect } from 'vitest'
import { streaksFromDays, extendStreak, currentStreak, NO_STREAK, type StreakState } from '../../electron/core/domain/streaks'
import { localDay } from '../../electron/core/domain/days'

const at = (iso: string): number => Date.parse(iso) / 1000

/** Folds days into a state with extendStreak, failing the test if it asks for a full recompute. */
function extendAll(days: readonly string[], from: StreakState = NO_STREAK): StreakState {
  let state = from
  for (const day of days) {
    const next = extendStreak(state, day)
    if (next === null) throw new Error(`extendStreak asked for a recompute at ${day}`)
    state = next
  }
  return state
}

describe('streaksFromDays', () => {
  it('is no streak for no days', () => {
    expect(streaksFromDays([])).toEqual(NO_STREAK)
    expect(streaksFromDays([])).toEqual({ streak: 0, longestStreak: 0, lastActiveDay: null })
  })

  it.each<[string, string[], StreakState]>([
    ['a single day', ['2026-05-10'], { streak: 1, longestStreak: 1, lastActiveDay: '2026-05-10' }],
    [
      'three consecutive days',
      ['2026-05-10', '2026-05-11', '2026-05-12'],
      { streak: 3, longestStreak: 3, lastActiveDay: '2026-05-12' },
    ],
    [
      'a gap that ends the longest run',
      ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-10', '2026-05-11'],
      { streak: 2, longestStreak: 4, lastActiveDay: '2026-05-11' },
    ],
    [
      'a one-day gap',
      ['2026-05-01', '2026-05-03'],
      { streak: 1, longestStreak: 1, lastActiveDay: '2026-05-03' },
    ],
    [
      'duplicate days',
      ['2026-05-10', '2026-05-10', '2026-05-11', '2026-05-11', '2026-05-11'],
      { streak: 2, longestStreak: 2, lastActiveDay: '2026-05-11' },
    ],
    [
      'unordered days',
      ['2026-05-12', '2026-05-10', '2026-04-01', '2026-05-11'],
      { streak: 3, longestStreak: 3, lastActiveDay: '2026-05-12' },
    ],
    [
      'a run across a month, a year and a leap day',
      ['2023-12-31', '2024-01-01', '2024-02-28', '2024-02-29', '2024-03-01'],
      { streak: 3, longestStreak: 3, lastActiveDay: '2024-03-01' },
    ],
    [
      'a run across a non-leap February end',
      ['2026-02-27', '2026-02-28', '2026-03-01'],
      { streak: 3, longestStreak: 3, lastActiveDay: '2026-03-01' },
    ],
  ])('handles %s', (_name, days, expected) => {
    expect(streaksFromDays(days)).toEqual(expected)
  })

  it('accepts any iterable, e.g. a Set', () => {
    expect(streaksFromDays(new Set(['2026-05-10', '2026-05-11'])).streak).toBe(2)
  })
})

describe('extendStreak', () => {
  const state: StreakState = { streak: 2, longestStreak: 5, lastActiveDay: '2026-05-10' }

  it('starts a streak of 1 from nothing', () => {
    expect(extendStreak(NO_STREAK, '2026-05-10')).toEqual({ streak: 1, longestStreak: 1, lastActiveDay: '2026-05-10' })
  })

  it('learning again on the same day changes nothing', () => {
    expect(extendStreak(state, '2026-05-10')).toEqual(state)
  })

  it('learning on the next day extends the streak', () => {
    expect(extendStreak(state, '2026-05-11')).toEqual({ streak: 3, longestStreak: 5, lastActiveDay: '2026-05-11' })
  })

  it('a gap restarts the streak at 1 and keeps the longest', () => {
    expect(extendStreak(state, '2026-05-12')).toEqual({ streak: 1, longestStreak: 5, lastActiveDay: '2026-05-12' })
  })

  it('raises the longest streak when the current one passes it', () => {
    const s: StreakState = { streak: 5, longestStreak: 5, lastActiveDay: '2026-05-10' }
    expect(extendStreak(s, '2026-05-11')).toEqual({ streak: 6, longestStreak: 6, lastActiveDay: '2026-05-11' })
  })

  it('returns null for a day before the last active day', () => {
    expect(extendStreak(state, '2026-05-09')).toBeNull()
    expect(extendStreak(state, '2025-12-31')).toBeNull()
  })

  it('agrees with the full computation for days given in order', () => {
    const days = ['2026-02-27', '2026-02-28', '2026-02-28', '2026-03-01', '2026-03-03', '2026-03-04']
    expect(extendAll(days)).toEqual(streaksFromDays(days))
  })
})

describe('currentStreak', () => {
  const state: StreakState = { streak: 4, longestStreak: 9, lastActiveDay: '2026-05-10' }

  it.each([
    ['the same day', '2026-05-10', 4],
    ['the day after (still alive)', '2026-05-11', 4],
    ['two days after (broken)', '2026-05-12', 0],
    ['a month after', '2026-06-10', 0],
  ])('on %s is %i', (_name, today, expected) => {
    expect(currentStreak(state, today)).toBe(expected)
  })

  it('the day after across a year end keeps the streak alive', () => {
    expect(currentStreak({ streak: 3, longestStreak: 3, lastActiveDay: '2025-12-31' }, '2026-01-01')).toBe(3)
  })

  it('is 0 with no activity', () => {
    expect(currentStreak(NO_STREAK, '2026-05-10')).toBe(0)
  })
})

describe('streaks across DST changes', () => {
  it('23:30 on consecutive nights across New York spring-forward (2026-03-08) is unbroken', () => {
    const tz = 'America/New_York'
    const stamps = [
      at('2026-03-07T04:30:00Z'), // 2026-03-06 23:30 EST
      at('2026-03-08T04:30:00Z'), // 2026-03-07 23:30 EST
      at('2026-03-09T03:30:00Z'), // 2026-03-08 23:30 EDT (23-hour day)
      at('2026-03-10T03:30:00Z'), // 2026-03-09 23:30 EDT
    ]
    const days = stamps.map((s) => localDay(s, tz))
    expect(days).toEqual(['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09'])
    expect(streaksFromDays(days)).toEqual({ streak: 4, longestStreak: 4, lastActiveDay: '2026-03-09' })
    expect(extendAll(days)).toEqual(streaksFromDays(days))
  })

  it('two activities on New York’s 23-hour day (2026-03-08) are one day', () => {
    const tz = 'America/New_York'
    const days = [
      at('2026-03-08T05:00:00Z'), // 00:00 EST
      at('2026-03-08T06:59:59Z'), // 01:59:59 EST, just before the jump
      at('2026-03-08T07:00:00Z'), // 03:00 EDT
      at('2026-03-09T03:59:59Z'), // 23:59:59 EDT
    ].map((s) => localDay(s, tz))
    expect(new Set(days)).toEqual(new Set(['2026-03-08']))
    expect(streaksFromDays(days)).toEqual({ streak: 1, longestStreak: 1, lastActiveDay: '2026-03-08' })
  })

  it('23:30 on consecutive nights across New York fall-back (2026-11-01) is unbroken', () => {
    const tz = 'America/New_York'
    const stamps = [
      at('2026-11-01T03:30:00Z'), // 2026-10-31 23:30 EDT
      at('2026-11-02T04:30:00Z'), // 2026-11-01 23:30 EST (25-hour day)
      at('2026-11-03T04:30:00Z'), // 2026-11-02 23:30 EST
    ]
    const days = stamps.map((s) => localDay(s, tz))
    expect(days).toEqual(['2026-10-31', '2026-11-01', '2026-11-02'])
    expect(streaksFromDays(days)).toEqual({ streak: 3, longestStreak: 3, lastActiveDay: '2026-11-02' })
    expect(extendAll(days)).toEqual(streaksFromDays(days))
  })

  it('two activities on New York’s 25-hour day (2026-11-01) count as one day', () => {
    const tz = 'America/New_York'
    const stamps = [
      at('2026-11-01T04:05:00Z'), // 00:05 EDT
      at('2026-11-01T05:30:00Z'), // 01:30 EDT (first time)
      at('2026-11-01T06:30:00Z'), // 01:30 EST (second time)
      at('2026-11-02T04:55:00Z'), // 23:55 EST, 24h50m after the first
    ]
    const days = stamps.map((s) => localDay(s, tz))
    expect(days.every((d) => d === '2026-11-01')).toBe(true)
    const before: StreakState = { streak: 6, longestStreak: 6, lastActiveDay: '2026-10-31' }
    expect(extendAll(days, before)).toEqual({ streak: 7, longestStreak: 7, lastActiveDay: '2026-11-01' })
    expect(streaksFromDays(['2026-10-31', ...days])).toEqual({ streak: 2, longestStreak: 2, lastActiveDay: '2026-11-01' })
  })

  it('23:30 on consecutive nights across Berlin spring-forward (2026-03-29) is unbroken', () => {
    const tz = 'Europe/Berlin'
    const stamps = [
      at('2026-03-27T22:30:00Z'), // 2026-03-27 23:30 CET
      at('2026-03-28T22:30:00Z'), // 2026-03-28 23:30 CET
      at('2026-03-29T21:30:00Z'), // 2026-03-29 23:30 CEST (23-hour day)
      at('2026-03-30T21:30:00Z'), // 2026-03-30 23:30 CEST
    ]
    const days = stamps.map((s) => localDay(s, tz))
    expect(days).toEqual(['2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30'])
    expect(streaksFromDays(days)).toEqual({ streak: 4, longestStreak: 4, lastActiveDay: '2026-03-30' })
    expect(extendAll(days)).toEqual(streaksFromDays(days))
  })

  it('two activities on Berlin’s 23-hour day (2026-03-29) are one day', () => {
    const days = [
      at('2026-03-28T23:00:00Z'), // 00:00 CET
      at('2026-03-29T21:59:59Z'), // 23:59:59 CEST
    ].map((s) => localDay(s, 'Europe/Berlin'))
    expect(days).toEqual(['2026-03-29', '2026-03-29'])
    expect(streaksFromDays(days).streak).toBe(1)
  })

  it('two activities on Berlin’s 25-hour day (2026-10-25) count as one day', () => {
    const days = [
      at('2026-10-24T22:10:00Z'), // 00:10 CEST
      at('2026-10-25T22:50:00Z'), // 23:50 CET
    ].map((s) => localDay(s, 'Europe/Berlin'))
    expect(days).toEqual(['2026-10-25', '2026-10-25'])
    expect(streaksFromDays(['2026-10-24', ...days])).toEqual({ streak: 2, longestStreak: 2, lastActiveDay: '2026-10-25' })
  })

  it('fixed 24-hour steps are not how days are counted (why localDay is used)', () => {
    // 23:30 EST on 03-07 plus 86 400 s is 00:30 EDT on 03-09: the naive step skips 03-08.
    const first = at('2026-03-08T04:30:00Z')
    expect(localDay(first + 86_400, 'America/New_York')).toBe('2026-03-09')
  })
})

describe('streaks across a timezone change (Tokyo → Los Angeles)', () => {
  const TOKYO = 'Asia/Tokyo'
  const LA = 'America/Los_Angeles'

  it('moving west repeats a local day without breaking or inflating the streak', () => {
    const log: [number, string][] = [
      [at('2026-05-10T11:00:00Z'), TOKYO], // Tokyo 2026-05-10 20:00
      [at('2026-05-11T00:00:00Z'), TOKYO], // Tokyo 2026-05-11 09:00, then flies east-to-west
      [at('2026-05-11T21:00:00Z'), LA], // LA 2026-05-11 14:00: the same calendar day again
      [at('2026-05-12T17:00:00Z'), LA], // LA 2026-05-12 10:00
    ]
    const days = log.map(([s, tz]) => localDay(s, tz))
    expect(days).toEqual(['2026-05-10', '2026-05-11', '2026-05-11', '2026-05-12'])
    const expected: StreakState = { streak: 3, longestStreak: 3, lastActiveDay: '2026-05-12' }
    expect(streaksFromDays(days)).toEqual(expected)
    expect(extendAll(days)).toEqual(expected)
  })

  it('when the local day goes backwards, extendStreak asks for a recompute and the full computation is right', () => {
    const log: [number, string][] = [
      [at('2026-05-09T00:00:00Z'), TOKYO], // Tokyo 2026-05-09 09:00
      [at('2026-05-10T00:00:00Z'), TOKYO], // Tokyo 2026-05-10 09:00
      [at('2026-05-10T23:00:00Z'), TOKYO], // Tokyo 2026-05-11 08:00, then flies to LA
      [at('2026-05-11T01:00:00Z'), LA], // LA 2026-05-10 18:00: a day before the last one
    ]
    const days = log.map(([s, tz]) => localDay(s, tz))
    expect(days).toEqual(['2026-05-09', '2026-05-10', '2026-05-11', '2026-05-10'])

    const beforeFlight = extendAll(days.slice(0, 3))
    expect(beforeFlight).toEqual({ streak: 3, longestStreak: 3, lastActiveDay: '2026-05-11' })
    expect(extendStreak(beforeFlight, days[3] ?? '')).toBeNull()

    const recomputed = streaksFromDays(days)
    expect(recomputed).toEqual({ streak: 3, longestStreak: 3, lastActiveDay: '2026-05-11' })

    // Learning continues in LA: 2026-05-11 repeats, 2026-05-12 extends.
    const later = [at('2026-05-11T20:00:00Z'), at('2026-05-12T20:00:00Z')].map((s) => localDay(s, LA))
    expect(later).toEqual(['2026-05-11', '2026-05-12'])
    expect(extendAll(later, recomputed)).toEqual({ streak: 4, longestStreak: 4, lastActiveDay: '2026-05-12' })
    expect(streaksFromDays([...days, ...later])).toEqual({ streak: 4, longestStreak: 4, lastActiveDay: '2026-05-12' })
  })
})
