/** course_enrollments: one row per (learner, course). */
import { and, desc, eq, sql } from 'drizzle-orm'
import type { Q } from '../db/database'
import { preparedQuery } from '../db/prepared'
import { courseEnrollments } from '../db/schema'
import { factId } from '../ids'

export type EnrollmentRow = typeof courseEnrollments.$inferSelect

const enrollmentOf = preparedQuery((q) =>
  q
    .select()
    .from(courseEnrollments)
    .where(and(eq(courseEnrollments.userId, sql.placeholder('userId')), eq(courseEnrollments.courseId, sql.placeholder('courseId'))))
    .prepare(),
)

export async function findEnrollment(q: Q, userId: string, courseId: string): Promise<EnrollmentRow | null> {
  return (await enrollmentOf(q).get({ userId, courseId })) ?? null
}

/** Newest first; ties by id (synced), never the local rowid, so every device lists the same order. */
export async function listEnrollments(q: Q, userId: string): Promise<EnrollmentRow[]> {
  return q
    .select()
    .from(courseEnrollments)
    .where(eq(courseEnrollments.userId, userId))
    .orderBy(desc(courseEnrollments.enrolledAt), desc(courseEnrollments.id))
}

const factsOf = preparedQuery((q) =>
  q
    .select({ completedAt: courseEnrollments.completedAt, pressureRoom: courseEnrollments.pressureRoom })
    .from(courseEnrollments)
    .where(eq(courseEnrollments.userId, sql.placeholder('userId')))
    .prepare(),
)

/** Just what achievements and stats count: whether each enrollment is complete and its Pressure Room record. */
export async function enrollmentFacts(q: Q, userId: string): Promise<Pick<EnrollmentRow, 'completedAt' | 'pressureRoom'>[]> {
  return factsOf(q).all({ userId })
}

/** Creates the enrollment if missing (id derived from learner and course); returns true when created. */
export async function insertEnrollment(q: Q, userId: string, courseId: string, at: number): Promise<boolean> {
  const result = await q
    .insert(courseEnrollments)
    .values({ id: factId(userId, 'enrollment', courseId), userId, courseId, enrolledAt: at })
    .onConflictDoNothing()
  return result.rowsAffected > 0
}

export async function updateEnrollment(
  q: Q,
  userId: string,
  courseId: string,
  patch: Partial<Pick<EnrollmentRow, 'enrolledAt' | 'startedAt' | 'completedAt' | 'progress' | 'status' | 'pressureRoom'>>,
): Promise<void> {
  await q
    .update(courseEnrollments)
    .set(patch)
    .where(and(eq(courseEnrollments.userId, userId), eq(courseEnrollments.courseId, courseId)))
}
