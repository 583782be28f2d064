/**
 * The shapes that cross the IPC bridge (and the loopback HTTP transport): what each channel answers.
 * Services implement these; the renderer reads them. Type-only, no runtime code, no Node imports.
 */
import type { Question } from '../catalog/pack-schema'
import type { EnrollmentStatus } from '../domain/course-progress'
import type { PressureRoomRecord } from '../domain/pressure-room'
import type { ActivityType } from '../domain/xp'

export type { ActivityType, EnrollmentStatus, PressureRoomRecord, Question }
export type CourseLevel = 'beginner' | 'intermediate' | 'advanced'

/** What a write tells the learner about: XP, level-ups and achievements it brought. */
export interface WriteOutcome {
  xp: number
  level: number
  leveledUp: boolean
  newAchievements: { key: string; title: string; description: string }[]
}

export interface Profile {
  id: string
  name: string
  email: string | null
  image: string | null
  bio: string
  location: string
  website: string
  timezone: string
}

export interface Enrollment {
  courseId: string
  courseTitle: string
  status: EnrollmentStatus
  progress: number
  enrolledAt: number
  startedAt: number | null
  completedAt: number | null
  pressureRoom: PressureRoomRecord | null
}

export interface CourseSummary {
  id: string
  title: string
  summary: string
  level: CourseLevel
  tags: string[]
  lessonCount: number
  minutes: number
  enrollment: Enrollment | null
}

export interface LessonSummary {
  id: string
  title: string
  minutes: number
  completed: boolean
  completedAt: number | null
  timeSpent: number
}

export interface CourseDetail extends CourseSummary {
  lessons: LessonSummary[]
  pressureRoom: { timeLimitSeconds: number; passMark: number; questionCount: number }
}

export interface LessonDetail {
  courseId: string
  courseTitle: string
  id: string
  title: string
  minutes: number
  markdown: string
  /** The lesson quiz is practice, checked in the page; the Pressure Room never sends answers. */
  quiz: Question[]
  completed: boolean
  completedAt: number | null
  timeSpent: number
  notes: string
  previousLessonId: string | null
  nextLessonId: string | null
}

export interface PressureRoomAttempt {
  attemptId: string
  courseId: string
  courseTitle: string
  startedAt: number
  /** Epoch seconds after which answers no longer count. */
  deadline: number
  timeLimitSeconds: number
  passMark: number
  questions: { id: string; prompt: string; choices: string[] }[]
}

export interface PressureRoomResult {
  attemptId: string
  courseId: string
  score: number
  correct: number
  total: number
  passed: boolean
  passMark: number
  /** True when the submission came after the deadline: only answers given in time were counted. */
  late: boolean
  record: PressureRoomRecord | null
  review: { id: string; prompt: string; choices: string[]; answer: number; chosen: number | null; explanation: string }[]
  outcome: WriteOutcome
}

export interface Activity {
  id: string
  type: ActivityType
  description: string
  metadata: Record<string, unknown>
  createdAt: number
  localDay: string
  xp: number
}

export interface ActivityPage {
  items: Activity[]
  /** Pass back to get the next (older) page; null at the end of the log. */
  nextCursor: string | null
}

export interface Stats {
  xp: number
  level: number
  xpIntoLevel: number
  levelSpan: number
  xpToNextLevel: number
  currentStreak: number
  longestStreak: number
  lessonsCompleted: number
  coursesCompleted: number
  coursesEnrolled: number
  totalTimeSeconds: number
  /** The learner's today, in their timezone. */
  today: string
  /** Activity counts for each of the last 365 days (oldest first), days without activity included. */
  activityByDay: { day: string; count: number }[]
}

export interface AchievementView {
  key: string
  title: string
  description: string
  earnedAt: number | null
  progress: { current: number; target: number; ratio: number }
}

export interface AchievementList {
  earned: AchievementView[]
  locked: AchievementView[]
}

/** Where "continue learning" takes the learner: the lesson they touched last, or the next one. */
export interface ContinueLearning {
  courseId: string
  courseTitle: string
  lessonId: string
  lessonTitle: string
  progress: number
}

/** The one honest status line: offline with N changes waiting, syncing, up to date, or an error. */
export interface SyncStatusView {
  state: 'signed-out' | 'offline' | 'syncing' | 'up-to-date' | 'error'
  pending: number
  lastSyncAt: number | null
  lastError: string | null
  email: string | null
}
