/**
 * The tests' own model of XP and badges: what each thing a learner does is worth and which badges it
 * earns, written out here from the product's rules rather than imported from electron/core, so a bug
 * in the app's derivation (or its table) cannot also be in the expected figures.
 */

/** XP per fact (the table electron/core/domain/xp.ts implements). */
export const XP = {
  courseEnrolled: 0,
  lessonCompleted: 10,
  pressureRoomPassed: 50,
  courseCompleted: 100,
  badgeEarned: 25,
} as const

/** What a learner has done, counted by the test from the actions it performed. */
export interface LearnerFacts {
  lessonsCompleted: number
  coursesCompleted: number
  coursesEnrolled: number
  /** Courses whose Pressure Room was passed at least once (a pass is worth XP once per course). */
  pressureRoomsPassed: number
  perfectPressureRooms: number
  longestStreak: number
  totalTimeSeconds: number
  notesWritten: number
}

export const NO_FACTS: LearnerFacts = {
  lessonsCompleted: 0,
  coursesCompleted: 0,
  coursesEnrolled: 0,
  pressureRoomsPassed: 0,
  perfectPressureRooms: 0,
  longestStreak: 0,
  totalTimeSeconds: 0,
  notesWritten: 0,
}

/** Level 1 starts at 0 XP and each level costs 100 more than the one before: 0, 100, 300, 600, 1000, … */
export function levelAt(xp: number): number {
  let level = 1
  for (let next = 100; xp >= next; next += 100 * level) level++
  return level
}

/** Every badge and the fact that earns it, from the catalog's descriptions. */
const BADGES: Readonly<Record<string, (f: LearnerFacts & { xp: number }) => boolean>> = {
  first_lesson: (f) => f.lessonsCompleted >= 1,
  ten_lessons: (f) => f.lessonsCompleted >= 10,
  fifty_lessons: (f) => f.lessonsCompleted >= 50,
  first_enrollment: (f) => f.coursesEnrolled >= 1,
  three_enrollments: (f) => f.coursesEnrolled >= 3,
  first_course: (f) => f.coursesCompleted >= 1,
  three_courses: (f) => f.coursesCompleted >= 3,
  streak_3: (f) => f.longestStreak >= 3,
  streak_7: (f) => f.longestStreak >= 7,
  streak_30: (f) => f.longestStreak >= 30,
  first_pr_pass: (f) => f.pressureRoomsPassed >= 1,
  perfect_pr: (f) => f.perfectPressureRooms >= 1,
  xp_1000: (f) => f.xp >= 1000,
  level_5: (f) => levelAt(f.xp) >= 5,
  study_hour: (f) => f.totalTimeSeconds >= 3600,
  note_taker: (f) => f.notesWritten >= 5,
}

export const STREAK_BADGES: readonly string[] = ['streak_3', 'streak_7', 'streak_30']

/** XP of the facts alone, before any badge. */
export function factsXp(f: LearnerFacts): number {
  return (
    f.coursesEnrolled * XP.courseEnrolled +
    f.lessonsCompleted * XP.lessonCompleted +
    f.pressureRoomsPassed * XP.pressureRoomPassed +
    f.coursesCompleted * XP.courseCompleted
  )
}

/**
 * The badges the facts earn and the total XP, badges included: a badge's XP can earn an XP or level
 * badge, so this repeats until nothing new is earned. `alsoEarned` are badges the caller knows were
 * earned some other way (they count, and are kept).
 */
export function expectedProgress(facts: LearnerFacts, alsoEarned: readonly string[] = []): { xp: number; badges: string[] } {
  const badges = new Set(alsoEarned)
  for (;;) {
    const xp = factsXp(facts) + badges.size * XP.badgeEarned
    const before = badges.size
    for (const [key, earned] of Object.entries(BADGES)) if (earned({ ...facts, xp })) badges.add(key)
    if (badges.size === before) return { xp, badges: [...badges].sort() }
  }
}
