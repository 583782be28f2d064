/** stats.get: everything the dashboard shows about the learner's progress. */
import { nowSeconds } from '../clock'
import { addDays, localDay } from '../domain/days'
import { currentStreak } from '../domain/streaks'
import { levelForXp } from '../domain/xp'
import { countsByDay } from '../repositories/activities'
import { enrollmentFacts } from '../repositories/enrollments'
import { findProfile } from '../repositories/learners'
import { lessonTotals } from '../repositories/lesson-progress'
import { NotFound } from '../errors'
import type { ServiceDeps } from './deps'
import type { Stats } from '../contract/types'

export const HEATMAP_DAYS = 365

export function createStatsService(deps: ServiceDeps) {
  const { db, userId, clock } = deps
  return {
    get: (): Promise<Stats> =>
      db.read(async (q) => {
        const profile = await findProfile(q, userId)
        if (!profile) throw new NotFound('Your profile could not be found.')
        const now = nowSeconds(clock)
        const today = localDay(now, profile.timezone)
        const since = addDays(today, -(HEATMAP_DAYS - 1))
        const [lessons, enrollments, days] = await Promise.all([lessonTotals(q, userId), enrollmentFacts(q, userId), countsByDay(q, userId, since)])
        const counts = new Map(days.map((d) => [d.day, d.count]))
        return {
          xp: profile.xp,
          ...levelForXp(profile.xp),
          currentStreak: currentStreak(profile, today, now),
          longestStreak: profile.longestStreak,
          lessonsCompleted: lessons.lessonsCompleted,
          coursesCompleted: enrollments.filter((e) => e.completedAt !== null).length,
          coursesEnrolled: enrollments.length,
          totalTimeSeconds: lessons.totalTimeSeconds,
          today,
          activityByDay: Array.from({ length: HEATMAP_DAYS }, (_, i) => {
            const day = addDays(since, i)
            return { day, count: counts.get(day) ?? 0 }
          }),
        }
      }),
  }
}
