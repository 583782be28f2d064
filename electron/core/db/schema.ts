/**
 * The drizzle schema: the TypeScript view of migrations/*.sql. The SQL files are what runs;
 * tests/integration/schema-drift.test.ts fails when this file and the migrated database disagree.
 */

import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

// --- 001_create_auth_tables.sql -------------------------------------------------------------

export const users = sqliteTable('users', {
  id: text('id').primaryKey().notNull(),
  name: text('name'),
  email: text('email').unique(),
  image: text('image'),
})

export const accounts = sqliteTable(
  'accounts',
  {
    id: text('id').primaryKey().notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    provider: text('provider').notNull(),
    providerAccountId: text('provider_account_id').notNull(),
    refreshToken: text('refresh_token'),
    accessToken: text('access_token'),
    expiresAt: integer('expires_at'),
    tokenType: text('token_type'),
    scope: text('scope'),
    idToken: text('id_token'),
    sessionState: text('session_state'),
  },
  (t) => [
    uniqueIndex('accounts_provider_provider_account_id_unique').on(t.provider, t.providerAccountId),
    index('idx_accounts_user_id').on(t.userId),
  ],
)

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey().notNull(),
    sessionToken: text('session_token').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expires: integer('expires').notNull(),
  },
  (t) => [index('idx_sessions_user_id').on(t.userId)],
)

export const verificationTokens = sqliteTable(
  'verification_tokens',
  {
    identifier: text('identifier').notNull(),
    token: text('token').notNull(),
    expires: integer('expires').notNull(),
    // 004_sync.sql
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
)

export const userProfiles = sqliteTable('user_profiles', {
  userId: text('user_id')
    .primaryKey()
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  bio: text('bio'),
  location: text('location'),
  website: text('website'),
  level: integer('level').notNull().default(1),
  xp: integer('xp').notNull().default(0),
  streak: integer('streak').notNull().default(0),
  // 003_offline_learner.sql
  timezone: text('timezone').notNull().default('UTC'),
  longestStreak: integer('longest_streak').notNull().default(0),
  lastActiveDay: text('last_active_day'),
  lastActiveAt: integer('last_active_at'),
  updatedAt: integer('updated_at'),
  // 004_sync.sql: JSON { field: hybrid logical clock } for last-writer-wins per field.
  fieldClocks: text('field_clocks').notNull().default('{}'),
})

// --- 002_create_course_tables.sql -----------------------------------------------------------

export const courseEnrollments = sqliteTable(
  'course_enrollments',
  {
    id: text('id').primaryKey().notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    courseId: text('course_id').notNull(),
    /** JSON `{ bestScore, attempts, passedAt }`, null before the first attempt. */
    pressureRoom: text('pressure_room'),
    enrolledAt: integer('enrolled_at').notNull(),
    startedAt: integer('started_at'),
    completedAt: integer('completed_at'),
    progress: integer('progress').notNull().default(0),
    status: text('status').notNull().default('enrolled'),
  },
  (t) => [
    uniqueIndex('course_enrollments_user_id_course_id_unique').on(t.userId, t.courseId),
    index('idx_course_enrollments_user_id').on(t.userId),
    index('idx_course_enrollments_status').on(t.status),
  ],
)

export const lessonProgress = sqliteTable(
  'lesson_progress',
  {
    id: text('id').primaryKey().notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    courseId: text('course_id').notNull(),
    lessonId: text('lesson_id').notNull(),
    completed: integer('completed').notNull().default(0),
    completedAt: integer('completed_at'),
    timeSpent: integer('time_spent').notNull().default(0),
    notes: text('notes'),
    // 003_offline_learner.sql
    updatedAt: integer('updated_at'),
    // 004_sync.sql: hybrid logical clock of the write that set `notes`.
    notesClock: text('notes_clock'),
  },
  (t) => [
    index('idx_lesson_progress_user_updated').on(t.userId, t.updatedAt),
    uniqueIndex('lesson_progress_user_id_course_id_lesson_id_unique').on(t.userId, t.courseId, t.lessonId),
    index('idx_lesson_progress_user_id').on(t.userId),
    index('idx_lesson_progress_course_id').on(t.courseId),
  ],
)

export const userActivities = sqliteTable(
  'user_activities',
  {
    id: text('id').primaryKey().notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    activityType: text('activity_type').notNull(),
    description: text('description'),
    /** JSON object stored as TEXT. */
    metadata: text('metadata'),
    createdAt: integer('created_at').notNull(),
    // 003_offline_learner.sql
    localDay: text('local_day').notNull().default('1970-01-01'),
  },
  (t) => [
    index('idx_user_activities_user_id').on(t.userId),
    index('idx_user_activities_activity_type').on(t.activityType),
    index('idx_user_activities_created_at').on(t.createdAt),
    index('idx_user_activities_user_day').on(t.userId, t.localDay),
    index('idx_user_activities_user_created').on(t.userId, t.createdAt),
  ],
)

export const userAchievements = sqliteTable(
  'user_achievements',
  {
    id: text('id').primaryKey().notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    achievementKey: text('achievement_key').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    earnedAt: integer('earned_at').notNull(),
  },
  (t) => [
    uniqueIndex('user_achievements_user_id_achievement_key_unique').on(t.userId, t.achievementKey),
    index('idx_user_achievements_user_id').on(t.userId),
    index('idx_user_achievements_achievement_key').on(t.achievementKey),
  ],
)

// --- 003_offline_learner.sql ----------------------------------------------------------------

export const outbox = sqliteTable('outbox', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  id: text('id').notNull().unique(),
  name: text('name').notNull(),
  /** JSON of the mutation's arguments. */
  args: text('args').notNull(),
  createdAt: integer('created_at').notNull(),
})

/** Outbox entries the sync server refused, moved aside so the rest can sync (migration 005). */
export const syncSetAside = sqliteTable('sync_set_aside', {
  seq: integer('seq').primaryKey(),
  id: text('id').notNull().unique(),
  name: text('name').notNull(),
  args: text('args').notNull(),
  createdAt: integer('created_at').notNull(),
  refusedAt: integer('refused_at').notNull(),
  reason: text('reason').notNull(),
})

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey().notNull(),
  value: text('value').notNull(),
})

/** Keyed by (learner, attempt id) since 006_attempts_per_learner.sql: the device chooses the id. */
export const pressureRoomAttempts = sqliteTable(
  'pressure_room_attempts',
  {
    id: text('id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    courseId: text('course_id').notNull(),
    /** JSON array of question ids in the order shown. */
    questionIds: text('question_ids').notNull(),
    /** 007: the attempt's seed (draw and shuffles, exercises/random.ts); null for attempts made before. */
    seed: integer('seed'),
    startedAt: integer('started_at').notNull(),
    deadline: integer('deadline').notNull(),
    /**
     * JSON `{ [questionId]: { response, at } }` of answers received before the deadline while open, and
     * `{ [questionId]: response }` once submitted (rows from before 007: `choice` for `response`).
     */
    answers: text('answers').notNull().default('{}'),
    submittedAt: integer('submitted_at'),
    score: integer('score'),
    passed: integer('passed'),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    // 006: covers the course record's aggregate (repositories/attempts.ts attemptSummary).
    index('idx_pressure_room_attempts_user_course').on(t.userId, t.courseId, t.submittedAt, t.score, t.passed),
  ],
)

