/** outbox: the ordered log of local mutations waiting to be pushed. */
import { asc, count, eq } from 'drizzle-orm'
import type { Q } from '../db/database'
import { outbox, syncSetAside } from '../db/schema'

export type OutboxRow = typeof outbox.$inferSelect

export async function appendMutation(q: Q, entry: { id: string; name: string; args: unknown; createdAt: number }): Promise<void> {
  await q.insert(outbox).values({ id: entry.id, name: entry.name, args: JSON.stringify(entry.args), createdAt: entry.createdAt })
}

export async function listOutbox(q: Q, limit = 1000): Promise<OutboxRow[]> {
  return q.select().from(outbox).orderBy(asc(outbox.seq)).limit(limit)
}

export async function outboxSize(q: Q): Promise<number> {
  const rows = await q.select({ n: count() }).from(outbox)
  return rows[0]?.n ?? 0
}

/** Moves a refused entry out of the outbox, with the server's reason, so the entries after it can sync. */
export async function setAside(q: Q, seq: number, reason: string, refusedAt: number): Promise<void> {
  const [entry] = await q.select().from(outbox).where(eq(outbox.seq, seq))
  if (!entry) return
  await q.insert(syncSetAside).values({ ...entry, refusedAt, reason }).onConflictDoNothing()
  await q.delete(outbox).where(eq(outbox.seq, seq))
}

export async function setAsideCount(q: Q): Promise<number> {
  const rows = await q.select({ n: count() }).from(syncSetAside)
  return rows[0]?.n ?? 0
}
