/** lesson_progress: one row per (learner, course, lesson). */
import { and, desc, eq, sql } from 'drizzle-orm'
import type { Q } from '../db/database'
import { preparedQuery } from '../db/prepared'
import { lessonProgress } from '../db/schema'
import { factId } from '../ids'

export type LessonProgressRow = typeof lessonProgress.$inferSelect

const lessonOf = preparedQuery((q) =>
  q
    .select()
    .from(lessonProgress)
    .where(
      and(
        eq(lessonProgress.userId, sql.placeholder('userId')),
        eq(lessonProgress.courseId, sql.placeholder('courseId')),
        eq(lessonProgress.lessonId, sql.placeholder('lessonId')),
      ),
    )
    .prepare(),
)

export async function findLessonProgress(q: Q, userId: string, courseId: string, lessonId: string): Promise<LessonProgressRow | null> {
  return (await lessonOf(q).get({ userId, courseId, lessonId })) ?? null
}

export async function listCourseProgress(q: Q, userId: string, courseId: string): Promise<LessonProgressRow[]> {
  return q
    .select()
    .from(lessonProgress)
    .where(and(eq(lessonProgress.userId, userId), eq(lessonProgress.courseId, courseId)))
}

// updated_at only moves forward, whatever order mutations are applied in.
const touched = (at: number) => sql`MAX(COALESCE(${lessonProgress.updatedAt}, 0), ${at})`

/** Inserts the row if missing (id derived from its key, so two devices create the same row) and returns it. */
async function ensureRow(q: Q, userId: string, courseId: string, lessonId: string): Promise<LessonProgressRow> {
  const existing = await findLessonProgress(q, userId, courseId, lessonId)
  if (existing) return existing
  const rows = await q.insert(lessonProgress).values(newRow(userId, courseId, lessonId)).returning()
  return rows[0] as LessonProgressRow
}

/** Marks the lesson complete, keeping the earliest completed_at; returns the completed_at it keeps. */
export async function markLessonComplete(q: Q, userId: string, courseId: string, lessonId: string, at: number): Promise<number> {
  const row = await ensureRow(q, userId, courseId, lessonId)
  if (row.completed && row.completedAt !== null && row.completedAt <= at) return row.completedAt
  await q.update(lessonProgress).set({ completed: 1, completedAt: at, updatedAt: touched(at) }).where(eq(lessonProgress.id, row.id))
  return at
}

const completedOf = preparedQuery((q) =>
  q
    .select({ lessonId: lessonProgress.lessonId, completedAt: lessonProgress.completedAt })
    .from(lessonProgress)
    .where(and(eq(lessonProgress.userId, sql.placeholder('userId')), eq(lessonProgress.courseId, sql.placeholder('courseId')), eq(lessonProgress.completed, 1)))
    .prepare(),
)

/** The course's completed lessons with their completion times. */
export async function completedLessons(q: Q, userId: string, courseId: string): Promise<{ lessonId: string; completedAt: number | null }[]> {
  return completedOf(q).all({ userId, courseId })
}

const rowKey = [lessonProgress.userId, lessonProgress.courseId, lessonProgress.lessonId]

const newRow = (userId: string, courseId: string, lessonId: string) => ({ id: factId(userId, 'lesson', courseId, lessonId), userId, courseId, lessonId })

export interface TimeIncrement {
  courseId: string
  lessonId: string
  seconds: number
  /** Epoch seconds of the increment. */
  at: number
}

/** Rows per statement: 6 bound values each, well under SQLite's 32 766. */
const INCREMENTS_PER_STATEMENT = 1000

/**
 * Adds each increment to its lesson's time, creating rows as needed, many per statement: adding time
 * is the write learners make most often. Rows for the same lesson in one statement add up, because
 * SQLite resolves each row's conflict against the rows before it.
 */
export async function addLessonTimes(q: Q, userId: string, increments: readonly TimeIncrement[]): Promise<void> {
  for (let i = 0; i < increments.length; i += INCREMENTS_PER_STATEMENT) {
    const rows = increments.slice(i, i + INCREMENTS_PER_STATEMENT).map((t) => ({ ...newRow(userId, t.courseId, t.lessonId), timeSpent: t.seconds, updatedAt: t.at }))
    await q
      .insert(lessonProgress)
      .values(rows)
      .onConflictDoUpdate({
        target: rowKey,
        set: { timeSpent: sql`${lessonProgress.timeSpent} + excluded.time_spent`, updatedAt: sql`MAX(COALESCE(${lessonProgress.updatedAt}, 0), excluded.updated_at)` },
      })
  }
}

/** Sets the notes if `clock` is newer than the clock of the notes stored (last writer wins). */
export async function setLessonNotes(
  q: Q,
  userId: string,
  courseId: string,
  lessonId: string,
  notes: string | null,
  clock: string,
  at: number,
): Promise<void> {
  await q
    .insert(lessonProgress)
    .values({ ...newRow(userId, courseId, lessonId), notes, notesClock: clock, updatedAt: at })
    .onConflictDoUpdate({
      target: rowKey,
      set: { notes, notesClock: clock, updatedAt: touched(at) },
      setWhere: sql`${lessonProgress.notesClock} IS NULL OR ${lessonProgress.notesClock} < ${clock}`,
    })
}

export interface LessonTotals {
  lessonsCompleted: number
  totalTimeSeconds: number
  notesWritten: number
}

const totalsOf = preparedQuery((q) =>
  q
    .select({
      lessonsCompleted: sql<number>`COALESCE(SUM(${lessonProgress.completed}), 0)`,
      totalTimeSeconds: sql<number>`COALESCE(SUM(${lessonProgress.timeSpent}), 0)`,
      notesWritten: sql<number>`COALESCE(SUM(${lessonProgress.notes} IS NOT NULL AND ${lessonProgress.notes} <> ''), 0)`,
    })
    .from(lessonProgress)
    .where(eq(lessonProgress.userId, sql.placeholder('userId')))
    .prepare(),
)

export async function lessonTotals(q: Q, userId: string): Promise<LessonTotals> {
  const r = await totalsOf(q).get({ userId })
  return { lessonsCompleted: Number(r?.lessonsCompleted ?? 0), totalTimeSeconds: Number(r?.totalTimeSeconds ?? 0), notesWritten: Number(r?.notesWritten ?? 0) }
}

/** The lesson the learner touched last, for "continue learning". */
export async function lastTouchedLesson(q: Q, userId: string): Promise<LessonProgressRow | null> {
  const rows = await q
    .select()
    .from(lessonProgress)
    .where(and(eq(lessonProgress.userId, userId), sql`${lessonProgress.updatedAt} IS NOT NULL`))
    .orderBy(desc(lessonProgress.updatedAt))
    .limit(1)
  return rows[0] ?? null
}

/** Every lesson row of the learner, by course and lesson (data export). */
export async function listLessonProgress(q: Q, userId: string): Promise<LessonProgressRow[]> {
  return q.select().from(lessonProgress).where(eq(lessonProgress.userId, userId)).orderBy(lessonProgress.courseId, lessonProgress.lessonId)
}
