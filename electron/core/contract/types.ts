/**
 * The shapes that cross the IPC bridge (and the loopback HTTP transport): what each channel answers.
 * Services implement these; the renderer reads them. Type-only, no runtime code, no Node imports.
 */
import type { Question } from '../catalog/pack-schema'
import type { PresentedQuestion } from '../exercises/present'
import type { Solution, Verdict } from '../exercises/grade'
import type { Response } from '../exercises/response'
import type { SqlRun, SqlTable, SqlValue } from '../sql/result'
import type { EnrollmentStatus } from '../domain/course-progress'
import type { PressureRoomRecord } from '../domain/pressure-room'
import type { ActivityType } from '../domain/xp'

export type { ActivityType, EnrollmentStatus, PresentedQuestion, PressureRoomRecord, Question, Response, Solution, SqlRun, SqlTable, SqlValue, Verdict }
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
  /** The lesson's practice, without its keys: each answer is checked by courses.checkAnswer. */
  quiz: PresentedQuestion[]
  /** True when the course has a sample database: its SQL examples can be run (sql.run). */
  runnableSql: boolean
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
  /** The attempt's seed: the draw and every shuffle follow from it (exercises/random.ts). */
  seed: number
  questions: PresentedQuestion[]
  /** Answers already recorded, for an attempt that is shown again. */
  answers: Record<string, Response>
}

/** A checked answer: the verdict, and now that it was submitted, the key and why. */
export interface CheckedAnswer extends Verdict {
  explanation: string
  solution: Solution
}

export interface ReviewedQuestion extends CheckedAnswer {
  question: PresentedQuestion
  /** The learner's answer, or null when none was counted. */
  response: Response | null
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
  review: ReviewedQuestion[]
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
  /**
   * 'awaiting-confirmation': a sign-in link signed this computer in to `email`'s account, and nothing of
   * this computer's progress goes there (nothing is pushed or pulled) until the learner confirms it
   * (auth.confirmLink) or signs out (auth.signOut).
   */
  state: 'signed-out' | 'awaiting-confirmation' | 'offline' | 'syncing' | 'up-to-date' | 'error'
  pending: number
  /** Changes the server refused, set aside so the rest could sync (kept on this computer). */
  setAside: number
  lastSyncAt: number | null
  lastError: string | null
  email: string | null
  /**
   * Where the session token is kept on this computer: 'keychain' (encrypted by the OS keychain),
   * 'memory' (only while the app runs: no keyring, so the learner signs in again next start), 'file'
   * (the loopback host and tests). Null while sync is not set up or before the engine first reports.
   */
  tokenKept: TokenKept | null
}

/** auth.signOutEverywhere: how many sessions of the account the server ended (this one included), and this computer's status after. */
export interface SignedOutEverywhere {
  signedOut: number
  status: SyncStatusView
}

/** See SyncStatusView.tokenKept. */
export type TokenKept = 'keychain' | 'memory' | 'file'

/** Learner-facing preferences of this computer (not synced: each computer updates itself). */
export interface AppSettings {
  /** Check for, download and install new versions of Pathwise by itself. */
  autoUpdate: boolean
}

/**
 * Where the app's own update stands. 'unsupported': this copy cannot update itself (a development
 * build, or the browser host used by tests); 'disabled': automatic updates are off.
 */
export type UpdateState = 'disabled' | 'unsupported' | 'idle' | 'checking' | 'downloading' | 'ready' | 'error' | 'up-to-date'

export interface UpdateStatusView {
  state: UpdateState
  /** The version being downloaded or ready to install. */
  version?: string
  /** The version running now, when the app knows it. */
  currentVersion?: string
  /** Download progress, 0–100. */
  percent?: number
  /** Epoch ms of the last check that reached the update server. */
  lastCheckedAt?: number
  /** Words for the learner: why updates are unavailable, or what went wrong. */
  message?: string
  /** An update is ready but a Pressure Room attempt is open: restarting now would end it. */
  restartBlockedByPressureRoom?: boolean
}

/**
 * "Export my data": everything Pathwise keeps about the learner on this computer, as one JSON document.
 * Version 1. Timestamps are Unix epoch seconds (as in the database) except `exportedAt`, an ISO 8601
 * string. Never contains the session token, sync bookkeeping (outbox, cursors, clocks) or other learners.
 */
export interface PathwiseExport {
  format: 'pathwise-export'
  version: 1
  exportedAt: string
  app: { name: 'Pathwise' }
  learner: Profile & {
    /** Derived from the activity log; kept here for reading convenience. */
    xp: number
    level: number
    longestStreak: number
    lastActiveDay: string | null
  }
  enrollments: {
    courseId: string
    /** Null when the course is no longer installed on this computer. */
    courseTitle: string | null
    status: string
    progress: number
    enrolledAt: number
    startedAt: number | null
    completedAt: number | null
    pressureRoom: PressureRoomRecord | null
  }[]
  lessonProgress: {
    courseId: string
    lessonId: string
    lessonTitle: string | null
    completed: boolean
    completedAt: number | null
    timeSpentSeconds: number
    notes: string
    updatedAt: number | null
  }[]
  activities: {
    id: string
    type: string
    description: string
    metadata: Record<string, unknown>
    createdAt: number
    localDay: string
  }[]
  achievements: { key: string; title: string; description: string; earnedAt: number }[]
  pressureRoomAttempts: {
    id: string
    courseId: string
    startedAt: number
    deadline: number
    submittedAt: number | null
    score: number | null
    passed: boolean | null
    /** Question ids in the order they were shown. */
    questionIds: string[]
    /** The seed the questions were drawn and shuffled with; null for attempts made before seeds. */
    seed: number | null
    /** questionId → the learner's response (a choice's original index, typed text, …). */
    answers: Record<string, Response>
  }[]
  settings: AppSettings
}

/** What data.export answers: the document and the file name to save it under. */
export interface DataExport {
  fileName: string
  data: PathwiseExport
}

/** data.saveExport: where the file went (the name the learner chose), or nothing when they cancelled. */
export type SavedExport = { saved: true; fileName: string } | { saved: false }
