/**
 * The derived caches in user_profiles (xp, level, streak, longest streak) and achievement awards,
 * refreshed in the same transaction as every mutation. The activity log stays the source of truth:
 * recomputeFromLog rebuilds everything from it; the incremental path is only a shortcut.
 */
import type { Q } from '../db/database'
import { ACHIEVEMENTS, newlyEarned, type AchievementDef, type AchievementMetrics } from '../domain/achievements'
import { extendStreak, streaksFromDays, type StreakState } from '../domain/streaks'
import { LEARNING_ACTIVITIES, isLearningActivity, levelForXp, xpFor, xpFromCounts } from '../domain/xp'
import { parsePressureRoom } from '../domain/pressure-room-record'
import { activeDays, countsByType } from '../repositories/activities'
import { awardAchievement, earnedKeys } from '../repositories/achievements'
import { enrollmentFacts } from '../repositories/enrollments'
import { findProfile, updateProfile, type ProfileRow } from '../repositories/learners'
import { lessonTotals } from '../repositories/lesson-progress'
import { logActivity, type LoggedActivity, type LoggingContext } from './context'
import { changedFields, isEmptyPatch } from './patch'

interface CacheState extends StreakState {
  xp: number
}

export interface DerivedOutcome {
  xp: number
  level: number
  previousLevel: number
  newAchievements: Pick<AchievementDef, 'key' | 'title' | 'description'>[]
}

/** Rebuilds XP and streaks from the whole activity log. */
export async function recomputeFromLog(q: Q, userId: string): Promise<CacheState> {
  const [counts, days] = await Promise.all([countsByType(q, userId), activeDays(q, userId, LEARNING_ACTIVITIES)])
  return { xp: xpFromCounts(counts), ...streaksFromDays(days) }
}

/** Folds newly logged activities into the cache; null when only a full recompute can be right. */
function foldLogged(state: CacheState, logged: readonly LoggedActivity[]): CacheState | null {
  let next: CacheState | null = state
  for (const a of logged) {
    if (!next) return null
    if (a.result === 'moved-earlier') {
      // XP is unchanged, but an earlier day may change the streaks.
      if (isLearningActivity(a.type)) return null
      continue
    }
    const xp: number = next.xp + xpFor(a.type)
    const streaks: StreakState | null = isLearningActivity(a.type) ? extendStreak(next, { day: a.localDay, at: a.at }) : next
    next = streaks ? { ...streaks, xp } : null
  }
  return next
}

/** Where each metric comes from, so a write only reads what its still-locked achievements need. */
const METRIC_SOURCE: Record<keyof AchievementMetrics, 'lessons' | 'enrollments' | 'cache'> = {
  lessonsCompleted: 'lessons',
  totalTimeSeconds: 'lessons',
  notesWritten: 'lessons',
  coursesEnrolled: 'enrollments',
  coursesCompleted: 'enrollments',
  pressureRoomsPassed: 'enrollments',
  perfectPressureRooms: 'enrollments',
  longestStreak: 'cache',
  xp: 'cache',
  level: 'cache',
}

const ALL_METRICS = new Set(Object.keys(METRIC_SOURCE) as (keyof AchievementMetrics)[])

/**
 * The learner's achievement metrics. Metrics outside `needed` are left at 0: callers pass the metrics
 * of the achievements they are about to evaluate, so an unread metric can never award anything.
 */
export async function gatherMetrics(
  q: Q,
  userId: string,
  state: Pick<CacheState, 'xp' | 'longestStreak'>,
  needed: ReadonlySet<keyof AchievementMetrics> = ALL_METRICS,
): Promise<AchievementMetrics> {
  const sources = new Set([...needed].map((m) => METRIC_SOURCE[m]))
  const lessons = sources.has('lessons') ? await lessonTotals(q, userId) : { lessonsCompleted: 0, totalTimeSeconds: 0, notesWritten: 0 }
  const enrollments = sources.has('enrollments') ? await enrollmentFacts(q, userId) : []
  let pressureRoomsPassed = 0
  let perfectPressureRooms = 0
  for (const e of enrollments) {
    const record = parsePressureRoom(e.pressureRoom)
    if (record?.passedAt != null) pressureRoomsPassed++
    if (record && record.bestScore >= 100) perfectPressureRooms++
  }
  return {
    ...lessons,
    coursesEnrolled: enrollments.length,
    coursesCompleted: enrollments.filter((e) => e.completedAt !== null).length,
    longestStreak: state.longestStreak,
    pressureRoomsPassed,
    perfectPressureRooms,
    xp: state.xp,
    level: levelForXp(state.xp).level,
  }
}

/**
 * Updates the caches from what the mutation logged, awards every achievement now earned (each award
 * is itself an activity worth XP, which may earn another), and stores the result.
 */
export async function refreshDerived(
  ctx: LoggingContext,
  options: { full?: boolean; profile?: ProfileRow } = {},
): Promise<DerivedOutcome> {
  const { tx, userId } = ctx
  // Mutations never touch the cached columns, so a profile read before the mutation is still current.
  const profile = options.profile ?? (await findProfile(tx, userId))
  if (!profile) throw new Error(`learner ${userId} has no profile`)
  const cached: CacheState = {
    xp: profile.xp,
    streak: profile.streak,
    longestStreak: profile.longestStreak,
    lastActiveDay: profile.lastActiveDay,
    lastActiveAt: profile.lastActiveAt,
  }
  const previousLevel = profile.level

  let processed = 0
  const advance = async (state: CacheState | null): Promise<CacheState> => {
    const folded = state && foldLogged(state, ctx.logged.slice(processed))
    processed = ctx.logged.length
    return folded ?? recomputeFromLog(tx, userId)
  }

  let state = await advance(options.full ? null : cached)
  const earned = await earnedKeys(tx, userId)
  const newAchievements: DerivedOutcome['newAchievements'] = []
  for (;;) {
    const locked = ACHIEVEMENTS.filter((a) => !earned.has(a.key))
    if (locked.length === 0) break
    const due = newlyEarned(await gatherMetrics(tx, userId, state, new Set(locked.map((a) => a.metric))), earned)
    if (due.length === 0) break
    for (const def of due) {
      earned.add(def.key)
      if (await awardAchievement(tx, userId, def, ctx.at)) newAchievements.push({ key: def.key, title: def.title, description: def.description })
      await logActivity(ctx, {
        type: 'achievement_earned',
        subject: def.key,
        description: `Earned "${def.title}"`,
        metadata: { key: def.key },
      })
    }
    state = await advance(state)
  }

  const level = levelForXp(state.xp).level
  const patch = changedFields(profile, {
    xp: state.xp,
    level,
    streak: state.streak,
    longestStreak: state.longestStreak,
    lastActiveDay: state.lastActiveDay,
    lastActiveAt: state.lastActiveAt,
  })
  if (!isEmptyPatch(patch)) await updateProfile(tx, userId, patch)
  return { xp: state.xp, level, previousLevel, newAchievements }
}
