/** XP and levels: the one table of what each activity is worth, and pure functions over it. */

export const ACTIVITY_TYPES = [
  'course_enrolled',
  'lesson_completed',
  'pr_completed',
  'course_completed',
  'achievement_earned',
] as const
export type ActivityType = (typeof ACTIVITY_TYPES)[number]

export const XP_TABLE: Readonly<Record<ActivityType, number>> = {
  course_enrolled: 0,
  lesson_completed: 10,
  pr_completed: 50,
  course_completed: 100,
  achievement_earned: 25,
}

/** Activities that count as a day of learning for the streak (enrolling or earning a badge do not). */
export const LEARNING_ACTIVITIES: readonly ActivityType[] = ['lesson_completed', 'pr_completed', 'course_completed']

export function isLearningActivity(type: string): boolean {
  return (LEARNING_ACTIVITIES as readonly string[]).includes(type)
}

export function xpFor(type: ActivityType): number {
  return XP_TABLE[type]
}

/** Total XP of an activity log given as counts per type. Unknown types are worth nothing. */
export function xpFromCounts(counts: Iterable<readonly [string, number]>): number {
  let xp = 0
  for (const [type, n] of counts) {
    if (Object.hasOwn(XP_TABLE, type)) xp += XP_TABLE[type as ActivityType] * n
  }
  return xp
}

/** Total XP needed to reach `level` (level 1 needs 0; each level costs 100 more than the last). */
export function xpToReachLevel(level: number): number {
  return 50 * level * (level - 1)
}

export interface LevelInfo {
  level: number
  /** XP earned inside the current level. */
  xpIntoLevel: number
  /** XP the current level spans, from its start to the next level. */
  levelSpan: number
  xpToNextLevel: number
}

/** Above any XP a learner can earn; keeps a corrupted cache value from looping forever. */
const MAX_XP = 1e12

export function levelForXp(xp: number): LevelInfo {
  const total = Number.isFinite(xp) ? Math.min(MAX_XP, Math.max(0, Math.floor(xp))) : 0
  // Closed form of the inverse of xpToReachLevel, then corrected for float rounding.
  let level = Math.max(1, Math.floor((1 + Math.sqrt(1 + total / 12.5)) / 2))
  while (xpToReachLevel(level + 1) <= total) level++
  while (level > 1 && xpToReachLevel(level) > total) level--
  const start = xpToReachLevel(level)
  const next = xpToReachLevel(level + 1)
  return { level, xpIntoLevel: total - start, levelSpan: next - start, xpToNextLevel: next - total }
}
