/**
 * Streaks: consecutive calendar days with at least one learning activity. Days are the learner's
 * local days recorded with each activity, so DST and a timezone change never rewrite the past.
 */
import { dayNumber } from './days'

export interface StreakState {
  /** Length of the run of consecutive days that ends on lastActiveDay. */
  streak: number
  longestStreak: number
  lastActiveDay: string | null
}

export const NO_STREAK: StreakState = { streak: 0, longestStreak: 0, lastActiveDay: null }

/** Full computation from every day with a learning activity (any order, duplicates allowed). */
export function streaksFromDays(days: Iterable<string>): StreakState {
  const numbers = [...new Set(days)].map((d) => ({ d, n: dayNumber(d) })).sort((a, b) => a.n - b.n)
  let run = 0
  let longest = 0
  let prev: number | null = null
  for (const { n } of numbers) {
    run = prev !== null && n === prev + 1 ? run + 1 : 1
    longest = Math.max(longest, run)
    prev = n
  }
  const last = numbers.at(-1)
  return { streak: run, longestStreak: longest, lastActiveDay: last ? last.d : null }
}

/**
 * Extends the state with one more learning day, without rescanning history. Returns null when the day
 * lies before lastActiveDay (a clock or timezone moved backwards): the caller must recompute in full.
 */
export function extendStreak(state: StreakState, day: string): StreakState | null {
  if (state.lastActiveDay === null) return { streak: 1, longestStreak: Math.max(1, state.longestStreak), lastActiveDay: day }
  const gap = dayNumber(day) - dayNumber(state.lastActiveDay)
  if (gap < 0) return null
  if (gap === 0) return state
  const streak = gap === 1 ? state.streak + 1 : 1
  return { streak, longestStreak: Math.max(state.longestStreak, streak), lastActiveDay: day }
}

/** The streak as the learner sees it today: it survives until the end of the day after the last one. */
export function currentStreak(state: StreakState, today: string): number {
  if (state.lastActiveDay === null) return 0
  const gap = dayNumber(today) - dayNumber(state.lastActiveDay)
  return gap <= 1 ? state.streak : 0
}
