/** user_activities: the append-only activity log (the source of truth for XP and streaks). */
import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm'
import type { Q } from '../db/database'
import { userActivities } from '../db/schema'
import type { LearningDay } from '../domain/streaks'
import { ACTIVITY_TYPES } from '../domain/xp'

export type ActivityRow = typeof userActivities.$inferSelect
export type NewActivity = typeof userActivities.$inferInsert & { id: string }

export type RecordResult = 'inserted' | 'moved-earlier' | 'unchanged'

/**
 * Records a one-time fact by its deterministic id. If the row exists, the earliest occurrence wins
 * (its created_at and local_day), so the same fact made on two devices ends up as one row.
 */
export async function recordActivity(q: Q, row: NewActivity): Promise<RecordResult> {
  const inserted = await q.insert(userActivities).values(row).onConflictDoNothing()
  if (inserted.rowsAffected > 0) return 'inserted'
  const moved = await q
    .update(userActivities)
    .set({ createdAt: row.createdAt, localDay: row.localDay })
    .where(and(eq(userActivities.id, row.id), eq(userActivities.userId, row.userId), sql`${userActivities.createdAt} > ${row.createdAt}`))
  return moved.rowsAffected > 0 ? 'moved-earlier' : 'unchanged'
}

/** Where a listed row stands: the keyset of the log's order. */
export interface ActivityCursor {
  createdAt: number
  rank: number
  id: string
}

/**
 * Within one second, a fact comes after the facts it follows from (ACTIVITY_TYPES lists them in that
 * order: enrolled, lesson, Pressure Room, course, award), so the newest-first log shows an award above
 * the lesson that earned it; unknown types come last. Only synced values order the log (never the
 * local rowid), so every device lists the same rows in the same order.
 */
export function activityRank(type: string): number {
  return (ACTIVITY_TYPES as readonly string[]).indexOf(type)
}

const rank = sql<number>`(CASE ${userActivities.activityType} ${sql.join(
  ACTIVITY_TYPES.map((type, i) => sql`WHEN ${type} THEN ${sql.raw(String(i))}`),
  sql` `,
)} ELSE -1 END)`

/** A page of the log, newest first; keyset pagination on (created_at, rank, id), the order's whole key. */
export async function listActivities(q: Q, userId: string, limit: number, before?: ActivityCursor): Promise<ActivityRow[]> {
  const older = before ? sql`(${userActivities.createdAt}, ${rank}, ${userActivities.id}) < (${before.createdAt}, ${before.rank}, ${before.id})` : undefined
  return q
    .select()
    .from(userActivities)
    .where(and(eq(userActivities.userId, userId), older))
    .orderBy(desc(userActivities.createdAt), desc(rank), desc(userActivities.id))
    .limit(limit)
}

export async function countsByType(q: Q, userId: string): Promise<Map<string, number>> {
  const rows = await q
    .select({ type: userActivities.activityType, n: sql<number>`COUNT(*)` })
    .from(userActivities)
    .where(eq(userActivities.userId, userId))
    .groupBy(userActivities.activityType)
  return new Map(rows.map((r) => [r.type, Number(r.n)]))
}

/** Every local day with an activity of one of `types`, with the first and last such moment in it. */
export async function activeDays(q: Q, userId: string, types: readonly string[]): Promise<LearningDay[]> {
  const rows = await q
    .select({ day: userActivities.localDay, first: sql<number>`MIN(${userActivities.createdAt})`, last: sql<number>`MAX(${userActivities.createdAt})` })
    .from(userActivities)
    .where(and(eq(userActivities.userId, userId), inArray(userActivities.activityType, [...types])))
    .groupBy(userActivities.localDay)
  return rows.map((r) => ({ day: r.day, first: Number(r.first), last: Number(r.last) }))
}

/** Activity counts per local day from `sinceDay` on (inclusive), oldest first. */
export async function countsByDay(q: Q, userId: string, sinceDay: string): Promise<{ day: string; count: number }[]> {
  // Folded into one row with group_concat: materialising ~365 result rows costs more than the query.
  const perDay = q
    .select({ day: userActivities.localDay, n: sql<number>`COUNT(*)`.as('n') })
    .from(userActivities)
    .where(and(eq(userActivities.userId, userId), gte(userActivities.localDay, sinceDay)))
    .groupBy(userActivities.localDay)
    .as('per_day')
  const rows = await q.select({ packed: sql<string | null>`group_concat(${perDay.day} || ':' || ${perDay.n}, ',')` }).from(perDay)
  const packed = rows[0]?.packed
  if (!packed) return []
  return packed
    .split(',')
    .map((entry) => {
      const [day = '', count = '0'] = entry.split(':')
      return { day, count: Number(count) }
    })
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
}

/** The learner's whole log, oldest first (data export). */
export async function listAllActivities(q: Q, userId: string): Promise<ActivityRow[]> {
  return q.select().from(userActivities).where(eq(userActivities.userId, userId)).orderBy(userActivities.createdAt, rank, userActivities.id)
}
