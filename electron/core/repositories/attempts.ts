/** pressure_room_attempts: timed attempts, open until submitted. */
import { and, asc, eq, gte, isNotNull, isNull } from 'drizzle-orm'
import type { Q } from '../db/database'
import { pressureRoomAttempts } from '../db/schema'

export type AttemptRow = typeof pressureRoomAttempts.$inferSelect
export type NewAttempt = typeof pressureRoomAttempts.$inferInsert

export async function insertAttempt(q: Q, row: NewAttempt): Promise<void> {
  await q.insert(pressureRoomAttempts).values(row)
}

export async function findAttempt(q: Q, userId: string, attemptId: string): Promise<AttemptRow | null> {
  const rows = await q
    .select()
    .from(pressureRoomAttempts)
    .where(and(eq(pressureRoomAttempts.userId, userId), eq(pressureRoomAttempts.id, attemptId)))
  return rows[0] ?? null
}

export async function updateAttempt(q: Q, attemptId: string, patch: Partial<Omit<AttemptRow, 'id' | 'userId'>>): Promise<void> {
  await q.update(pressureRoomAttempts).set(patch).where(eq(pressureRoomAttempts.id, attemptId))
}

export async function finishedAttempts(q: Q, userId: string, courseId: string): Promise<AttemptRow[]> {
  return q
    .select()
    .from(pressureRoomAttempts)
    .where(and(eq(pressureRoomAttempts.userId, userId), eq(pressureRoomAttempts.courseId, courseId), isNotNull(pressureRoomAttempts.submittedAt)))
}

/** Whether the learner has an attempt that is not submitted and whose deadline is at or after `notBefore`. */
export async function hasOpenAttempt(q: Q, userId: string, notBefore: number): Promise<boolean> {
  const rows = await q
    .select({ id: pressureRoomAttempts.id })
    .from(pressureRoomAttempts)
    .where(and(eq(pressureRoomAttempts.userId, userId), isNull(pressureRoomAttempts.submittedAt), gte(pressureRoomAttempts.deadline, notBefore)))
    .limit(1)
  return rows.length > 0
}

/** Every attempt of the learner, oldest first (data export). */
export async function listAttempts(q: Q, userId: string): Promise<AttemptRow[]> {
  return q.select().from(pressureRoomAttempts).where(eq(pressureRoomAttempts.userId, userId)).orderBy(asc(pressureRoomAttempts.startedAt))
}
