/**
 * Applying a pulled page: the server's rows replace ours, then the mutations the server has not seen
 * yet are applied again on top (rebase), so nothing the learner just did is lost or jumps back.
 * Everything happens in one transaction with the new cursor.
 */
import { lte } from 'drizzle-orm'
import type { Catalog } from '../catalog/catalog'
import type { Q, RawSql } from '../db/database'
import { outbox } from '../db/schema'
import type { MutationName } from '../mutations/args'
import { refreshDerived } from '../mutations/derived'
import { runMutation } from '../mutations/run'
import { shareAwards } from '../mutations/awards'
import { findProfile } from '../repositories/learners'
import { listOutbox } from '../repositories/outbox'
import { writeCursor } from './account'
import { SYNC_TABLE_NAMES, SYNC_TABLES, type Change, type PullAnswer, syncTableShape } from './protocol'

/** Removes the mutations the server has acknowledged. */
export async function acknowledge(tx: Q, lastMutationId: number): Promise<void> {
  await tx.delete(outbox).where(lte(outbox.seq, lastMutationId))
}

function ownerOf(change: Change): unknown {
  return change.table === 'users' ? change.row.id : change.row.userId
}

/** Most values one INSERT may carry (SQLite allows 32 766 bound parameters). */
const MAX_PARAMS = 30_000

const quote = (identifier: string) => `"${identifier}"`

/**
 * Writes the rows as the server has them, many rows per statement, parents before children (users
 * first, in SYNC_TABLES order) so foreign keys hold whatever order the page came in. A first sync
 * brings tens of thousands of rows, so the statements are plain SQL with positional arguments rather
 * than built by drizzle row by row.
 */
async function upsertAll(raw: RawSql, changes: readonly Change[]): Promise<void> {
  for (const name of SYNC_TABLE_NAMES) {
    const rows = changes.filter((c) => c.table === name).map((c) => c.row)
    if (rows.length === 0) continue
    const { sqlName: tableName, columns, key: keyColumn } = syncTableShape(name)
    const head = `INSERT INTO ${quote(tableName)} (${columns.map((c) => quote(c.sqlName)).join(', ')}) VALUES `
    const update = columns
      .filter((c) => c.sqlName !== keyColumn.sqlName)
      .map((c) => `${quote(c.sqlName)} = excluded.${quote(c.sqlName)}`)
      .join(', ')
    const tail = ` ON CONFLICT (${quote(keyColumn.sqlName)}) DO UPDATE SET ${update}`
    const tuple = `(${columns.map(() => '?').join(', ')})`
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length))
    for (let i = 0; i < rows.length; i += perStatement) {
      const slice = rows.slice(i, i + perStatement)
      const args = slice.flatMap((row) => columns.map((c) => toSqlValue(row[c.field])))
      await raw({ sql: head + slice.map(() => tuple).join(', ') + tail, args })
    }
  }
}

/** JSON carries only strings, numbers, booleans and null; anything else is stored as null. */
function toSqlValue(value: unknown): string | number | null {
  if (typeof value === 'string' || typeof value === 'number') return value
  if (typeof value === 'boolean') return value ? 1 : 0
  return null
}

/**
 * `refresh`: rebuild the derived caches after this page. The engine asks for it on the last page of a
 * pull that brought any change (a full recount costs more than a page, and nothing to recount if
 * nothing came).
 */
export async function applyPullPage(
  tx: Q,
  raw: RawSql,
  env: { userId: string; catalog: Catalog; nowSeconds: number },
  page: PullAnswer,
  refresh: boolean,
): Promise<void> {
  await acknowledge(tx, page.lastMutationId)
  // Only this learner's rows: the server never sends others, and we never write them.
  const changes = page.changes.filter((c) => c.table in SYNC_TABLES && ownerOf(c) === env.userId)
  await upsertAll(raw, changes)

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
    const derived = await refreshDerived({ tx, userId: env.userId, at: env.nowSeconds, tz, logged: [] }, { full: true })
    await shareAwards(tx, derived, { at: env.nowSeconds, tz })
  }
  await writeCursor(tx, page.cursor)
}
