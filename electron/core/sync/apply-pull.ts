/**
 * Applying a pulled page: the server's rows replace ours, then the mutations the server has not seen
 * yet are applied again on top (rebase), so nothing the learner just did is lost or jumps back.
 * Everything happens in one transaction with the new cursor.
 */
import { lte } from 'drizzle-orm'
import type { Catalog } from '../catalog/catalog'
import type { Q } from '../db/database'
import { outbox } from '../db/schema'
import type { MutationName } from '../mutations/args'
import { refreshDerived } from '../mutations/derived'
import { runMutation } from '../mutations/run'
import { shareAwards } from '../mutations/awards'
import { findProfile } from '../repositories/learners'
import { listOutbox } from '../repositories/outbox'
import { writeCursor } from './account'
import { SYNC_TABLE_NAMES, SYNC_TABLES, type Change, type PullAnswer } from './protocol'

/** Removes the mutations the server has acknowledged. */
export async function acknowledge(tx: Q, lastMutationId: number): Promise<void> {
  await tx.delete(outbox).where(lte(outbox.seq, lastMutationId))
}

function ownerOf(change: Change): unknown {
  return change.table === 'users' ? change.row.id : change.row.userId
}

async function upsert(tx: Q, change: Change): Promise<void> {
  const { table, key } = SYNC_TABLES[change.table]
  const { [key]: _key, ...rest } = change.row
  // Types are checked by the server's schema; the row is written as the server has it.
  await (tx.insert(table) as unknown as { values(v: unknown): { onConflictDoUpdate(c: unknown): Promise<unknown> } })
    .values(change.row)
    .onConflictDoUpdate({ target: (table as unknown as Record<string, unknown>)[key], set: rest })
}

/**
 * `refresh`: rebuild the derived caches after this page. The engine asks for it on the last page of a
 * pull that brought any change (a full recount costs more than a page, and nothing to recount if
 * nothing came).
 */
export async function applyPullPage(
  tx: Q,
  env: { userId: string; catalog: Catalog; nowSeconds: number },
  page: PullAnswer,
  refresh: boolean,
): Promise<void> {
  await acknowledge(tx, page.lastMutationId)
  // Only this learner's rows: the server never sends others, and we never write them.
  const changes = page.changes.filter((c) => c.table in SYNC_TABLES && ownerOf(c) === env.userId)
  // Parents before children (users first), whatever order the page has, so foreign keys hold.
  const order = (c: Change) => SYNC_TABLE_NAMES.indexOf(c.table)
  for (const change of [...changes].sort((a, b) => order(a) - order(b))) await upsert(tx, change)

  const pending = await listOutbox(tx, Number.MAX_SAFE_INTEGER)
  if (changes.length > 0 && pending.length > 0) {
    const replaced = new Set(changes.filter((c) => c.table === 'lesson_progress').map((c) => `${c.row.courseId}/${c.row.lessonId}`))
    for (const entry of pending) {
      const args = JSON.parse(entry.args) as Record<string, unknown>
      // Every mutation is idempotent except adding time; that one counts again only where the
      // server's row (which cannot include it yet) replaced ours.
      if (entry.name === 'lesson.addTime' && !replaced.has(`${args.courseId}/${args.lessonId}`)) continue
      const derived = await runMutation({ tx, userId: env.userId, catalog: env.catalog }, entry.name as MutationName, args)
      await shareAwards(tx, derived, { at: args.at as number, tz: args.tz as string })
    }
  }
  if (refresh) {
    const tz = (await findProfile(tx, env.userId))?.timezone ?? 'UTC'
    const derived = await refreshDerived({ tx, userId: env.userId, catalog: env.catalog, at: env.nowSeconds, tz, logged: [] }, { full: true })
    await shareAwards(tx, derived, { at: env.nowSeconds, tz })
  }
  await writeCursor(tx, page.cursor)
}
