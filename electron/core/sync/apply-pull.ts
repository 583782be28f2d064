/**
 * Applying a pulled page: the server's rows replace ours, then the mutations the server has not seen
 * yet are applied again on top (rebase), so nothing the learner just did is lost or jumps back.
 * Everything happens in one transaction with the new cursor.
 */
import { getTableColumns, lte, sql } from 'drizzle-orm'
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

/** Most values one INSERT may carry (SQLite allows 32 766 bound parameters). */
const MAX_PARAMS = 30_000

/**
 * Writes the rows as the server has them, many rows per statement, parents before children (users
 * first, in SYNC_TABLES order) so foreign keys hold whatever order the page came in.
 */
async function upsertAll(tx: Q, changes: readonly Change[]): Promise<void> {
  for (const name of SYNC_TABLE_NAMES) {
    const rows = changes.filter((c) => c.table === name).map((c) => c.row)
    if (rows.length === 0) continue
    const { table, key } = SYNC_TABLES[name]
    const columns = getTableColumns(table) as Record<string, { name: string }>
    const set = Object.fromEntries(
      Object.entries(columns)
        .filter(([field]) => field !== key)
        .map(([field, column]) => [field, sql.raw(`excluded."${column.name}"`)]),
    )
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(columns).length))
    for (let i = 0; i < rows.length; i += perStatement) {
      // Types are checked by the server's schema; the rows are written as the server has them.
      await (tx.insert(table) as unknown as { values(v: unknown[]): { onConflictDoUpdate(c: unknown): Promise<unknown> } })
        .values(rows.slice(i, i + perStatement))
        .onConflictDoUpdate({ target: columns[key], set })
    }
  }
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
  await upsertAll(tx, changes)

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
