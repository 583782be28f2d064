/**
 * Streaks: consecutive calendar days with at least one learning activity. Days are the learner's
 * local days recorded with each activity, so DST and a timezone change never rewrite the past.
 *
 * One refinement makes travel fair: flying east skips calendar days without the learner living a
 * day without learning (Los Angeles 20:00 on the 10th, then Tokyo 08:00 on the 12th, 20 hours later).
 * A calendar day lasts at least 23 hours (the shortest DST day), so a learning day that begins less
 * than 23 hours after the previous one ended can only come from moving east: it continues the streak.
 * A learner in one timezone can never bridge a skipped day this way.
 */
import { dayNumber } from './days'

/** Below the shortest calendar day (23 h on a spring-forward day). */
export const TRAVEL_BRIDGE_SECONDS = 23 * 3600

/** One day with learning: its local day and the first and last learning moment in it (epoch seconds). */
export interface LearningDay {
  day: string
  first: number
  last: number
}

export interface StreakState {
  /** Length of the run of consecutive days that ends on lastActiveDay. */
  streak: number
  longestStreak: number
  lastActiveDay: string | null
  /** Epoch seconds of the latest learning activity. */
  lastActiveAt: number | null
}

export const NO_STREAK: StreakState = { streak: 0, longestStreak: 0, lastActiveDay: null, lastActiveAt: null }

/** Does a learning day starting at `next` continue a run whose last day is `prev`? */
function continues(prev: { day: string; last: number }, next: { day: string; first: number }): boolean {
  const gap = dayNumber(next.day) - dayNumber(prev.day)
  return gap === 1 || (gap > 1 && next.first - prev.last < TRAVEL_BRIDGE_SECONDS)
}

/** Merges entries for the same day (the same day may be reported from several rows or devices). */
function byDay(days: Iterable<LearningDay>): LearningDay[] {
  const merged = new Map<string, LearningDay>()
  for (const d of days) {
    const seen = merged.get(d.day)
    merged.set(d.day, seen ? { day: d.day, first: Math.min(seen.first, d.first), last: Math.max(seen.last, d.last) } : { ...d })
  }
  return [...merged.values()].sort((a, b) => dayNumber(a.day) - dayNumber(b.day))
}

/** Full computation from every day with learning (any order, duplicates allowed). */
export function streaksFromDays(days: Iterable<LearningDay>): StreakState {
  let run = 0
  let longest = 0
  let prev: LearningDay | null = null
  let lastActiveAt: number | null = null
  for (const d of byDay(days)) {
    run = prev !== null && continues(prev, d) ? run + 1 : 1
    longest = Math.max(longest, run)
    lastActiveAt = Math.max(lastActiveAt ?? d.last, d.last)
    prev = d
  }
  return { streak: run, longestStreak: longest, lastActiveDay: prev?.day ?? null, lastActiveAt }
}

/**
 * Extends the state with one more learning moment, without rescanning history. Returns null when its
 * day lies before lastActiveDay (a clock or timezone moved backwards): the caller must recompute.
 */
export function extendStreak(state: StreakState, moment: { day: string; at: number }): StreakState | null {
  const lastActiveAt = Math.max(state.lastActiveAt ?? moment.at, moment.at)
  if (state.lastActiveDay === null || state.lastActiveAt === null) {
    return { streak: 1, longestStreak: Math.max(1, state.longestStreak), lastActiveDay: moment.day, lastActiveAt }
  }
  const gap = dayNumber(moment.day) - dayNumber(state.lastActiveDay)
  if (gap < 0) return null
  if (gap === 0) return { ...state, lastActiveAt }
  const streak = continues({ day: state.lastActiveDay, last: state.lastActiveAt }, { day: moment.day, first: moment.at }) ? state.streak + 1 : 1
  return { streak, longestStreak: Math.max(state.longestStreak, streak), lastActiveDay: moment.day, lastActiveAt }
}

/**
 * The streak as the learner sees it now: alive while learning now would still continue it, that is
 * through the end of the day after the last one (or within the travel bridge).
 */
export function currentStreak(state: StreakState, today: string, nowSeconds: number): number {
  if (state.lastActiveDay === null) return 0
  const gap = dayNumber(today) - dayNumber(state.lastActiveDay)
  const bridged = state.lastActiveAt !== null && nowSeconds - state.lastActiveAt < TRAVEL_BRIDGE_SECONDS
  return gap <= 1 || bridged ? state.streak : 0
}
