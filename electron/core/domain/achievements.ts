/**
 * The achievement catalog: one declarative entry per badge, each a threshold on one learner metric.
 * Everything else (checking, progress, the locked list) is derived from this table.
 */

/** The learner figures that achievements are defined over. */
export interface AchievementMetrics {
  lessonsCompleted: number
  coursesCompleted: number
  coursesEnrolled: number
  longestStreak: number
  pressureRoomsPassed: number
  perfectPressureRooms: number
  xp: number
  level: number
  totalTimeSeconds: number
  notesWritten: number
}

export interface AchievementDef {
  key: string
  title: string
  description: string
  metric: keyof AchievementMetrics
  target: number
}

export const ACHIEVEMENTS: readonly AchievementDef[] = [
  { key: 'first_lesson', title: 'First Step', description: 'Complete your first lesson.', metric: 'lessonsCompleted', target: 1 },
  { key: 'ten_lessons', title: 'Getting Going', description: 'Complete 10 lessons.', metric: 'lessonsCompleted', target: 10 },
  { key: 'fifty_lessons', title: 'Dedicated Learner', description: 'Complete 50 lessons.', metric: 'lessonsCompleted', target: 50 },
  { key: 'first_enrollment', title: 'Curious Mind', description: 'Enroll in your first course.', metric: 'coursesEnrolled', target: 1 },
  { key: 'three_enrollments', title: 'Explorer', description: 'Enroll in 3 courses.', metric: 'coursesEnrolled', target: 3 },
  { key: 'first_course', title: 'Course Finisher', description: 'Complete every lesson of a course.', metric: 'coursesCompleted', target: 1 },
  { key: 'three_courses', title: 'Triple Crown', description: 'Complete 3 courses.', metric: 'coursesCompleted', target: 3 },
  { key: 'streak_3', title: 'On a Roll', description: 'Learn 3 days in a row.', metric: 'longestStreak', target: 3 },
  { key: 'streak_7', title: 'Week Warrior', description: 'Learn 7 days in a row.', metric: 'longestStreak', target: 7 },
  { key: 'streak_30', title: 'Unstoppable', description: 'Learn 30 days in a row.', metric: 'longestStreak', target: 30 },
  { key: 'first_pr_pass', title: 'Under Pressure', description: 'Pass a Pressure Room.', metric: 'pressureRoomsPassed', target: 1 },
  { key: 'perfect_pr', title: 'Flawless', description: 'Score 100% in a Pressure Room.', metric: 'perfectPressureRooms', target: 1 },
  { key: 'xp_1000', title: 'Thousand Club', description: 'Earn 1,000 XP.', metric: 'xp', target: 1000 },
  { key: 'level_5', title: 'Rising Star', description: 'Reach level 5.', metric: 'level', target: 5 },
  { key: 'study_hour', title: 'Deep Focus', description: 'Spend an hour studying lessons.', metric: 'totalTimeSeconds', target: 3600 },
  { key: 'note_taker', title: 'Note Taker', description: 'Write notes on 5 lessons.', metric: 'notesWritten', target: 5 },
]

export function achievementByKey(key: string): AchievementDef | undefined {
  return ACHIEVEMENTS.find((a) => a.key === key)
}

export function isEarned(def: AchievementDef, metrics: AchievementMetrics): boolean {
  return metrics[def.metric] >= def.target
}

/** The achievements the metrics qualify for that are not yet in `earned`, in catalog order. */
export function newlyEarned(metrics: AchievementMetrics, earned: ReadonlySet<string>): AchievementDef[] {
  return ACHIEVEMENTS.filter((a) => !earned.has(a.key) && isEarned(a, metrics))
}

/** Progress toward an achievement, 0..1, with the figures behind it. */
export function achievementProgress(def: AchievementDef, metrics: AchievementMetrics) {
  const current = Math.min(metrics[def.metric], def.target)
  return { current, target: def.target, ratio: def.target === 0 ? 1 : current / def.target }
}
