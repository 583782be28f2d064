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
import { latestHlc } from '../domain/hlc'
import { receiveReading } from '../services/hlc-clock'
import { writeCursor } from './account'
import {
  SYNC_TABLE_NAMES,
  SYNC_TABLES,
  syncTableShape,
  type PullAnswer,
  type SyncColumn,
  type SyncTableName,
  type SyncTableShape,
  type TableChanges,
} from './protocol'

/** Removes the mutations the server has acknowledged. */
export async function acknowledge(tx: Q, lastMutationId: number): Promise<void> {
  await tx.delete(outbox).where(lte(outbox.seq, lastMutationId))
}

/** A pulled table's rows this device will write: only known columns, only the learner's own rows. */
interface OwnRows {
  shape: SyncTableShape
  /** The known columns, with where each sits in a pulled row. */
  columns: { column: SyncColumn; at: number }[]
  rows: unknown[][]
}

/**
 * Keeps the learner's rows (the server never sends others, and we never write them) and the columns
 * this version knows; null when the table's key or owner column is missing.
 */
function ownRows(changes: TableChanges, userId: string): OwnRows | null {
  const shape = syncTableShape(changes.table)
  const columns = shape.columns.map((column) => ({ column, at: changes.columns.indexOf(column.field) })).filter((c) => c.at !== -1)
  const owner = changes.columns.indexOf(shape.owner.field)
  if (owner === -1 || changes.columns.indexOf(shape.key.field) === -1) return null
  return { shape, columns, rows: changes.rows.filter((row) => Array.isArray(row) && row[owner] === userId) }
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
async function upsertAll(raw: RawSql, tables: ReadonlyMap<SyncTableName, OwnRows>): Promise<void> {
  for (const name of SYNC_TABLE_NAMES) {
    const table = tables.get(name)
    if (!table || table.rows.length === 0) continue
    const { shape, columns, rows } = table
    const head = `INSERT INTO ${quote(shape.sqlName)} (${columns.map((c) => quote(c.column.sqlName)).join(', ')}) VALUES `
    const update = columns
      .filter((c) => !shape.primaryKey.includes(c.column))
      .map((c) => `${quote(c.column.sqlName)} = excluded.${quote(c.column.sqlName)}`)
      .join(', ')
    const tail = ` ON CONFLICT (${shape.primaryKey.map((c) => quote(c.sqlName)).join(', ')}) DO UPDATE SET ${update}`
    const tuple = `(${columns.map(() => '?').join(', ')})`
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length))
    for (let i = 0; i < rows.length; i += perStatement) {
      const slice = rows.slice(i, i + perStatement)
      const args = slice.flatMap((row) => columns.map((c) => toSqlValue(row[c.at])))
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

/** "course/lesson" of every lesson_progress row pulled. */
function lessonsIn(table: OwnRows | undefined): Set<string> {
  const at = (field: string) => table?.columns.find((c) => c.column.field === field)?.at ?? -1
  const course = at('courseId')
  const lesson = at('lessonId')
  return new Set((table?.rows ?? []).map((row) => `${String(row[course])}/${String(row[lesson])}`))
}

/** A pulled table's values of one column (none if the page lacks it). */
function valuesOf(table: OwnRows | undefined, field: string): unknown[] {
  const at = table?.columns.find((c) => c.column.field === field)?.at
  return at === undefined || !table ? [] : table.rows.map((row) => row[at])
}

/** Every last-writer-wins clock reading in a page: the notes' clocks and each profile field's. */
function* pulledReadings(tables: ReadonlyMap<SyncTableName, OwnRows>): Generator<unknown> {
  yield* valuesOf(tables.get('lesson_progress'), 'notesClock')
  for (const json of valuesOf(tables.get('user_profiles'), 'fieldClocks')) {
    try {
      const clocks: unknown = typeof json === 'string' ? JSON.parse(json) : null
      if (clocks && typeof clocks === 'object') yield* Object.values(clocks)
    } catch {
      // A malformed field_clocks carries no reading to take in.
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
  raw: RawSql,
  env: { userId: string; catalog: Catalog; nowSeconds: number },
  page: PullAnswer,
  refresh: boolean,
): Promise<void> {
  await acknowledge(tx, page.lastMutationId)
  const tables = new Map<SyncTableName, OwnRows>()
  for (const changes of page.changes) {
    const own = Object.hasOwn(SYNC_TABLES, changes.table) ? ownRows(changes, env.userId) : null
    if (own && own.rows.length > 0) tables.set(changes.table, own)
  }
  await upsertAll(raw, tables)
  // The device's clock takes in what it pulled, so its next edit of a pulled value beats it even when
  // the device that wrote it has a clock running ahead of this one's.
  const seen = latestHlc(pulledReadings(tables))
  if (seen !== null) await receiveReading(tx, seen, env.nowSeconds * 1000)

  const pending = await listOutbox(tx, Number.MAX_SAFE_INTEGER)
  if (tables.size > 0 && pending.length > 0) {
    const replaced = lessonsIn(tables.get('lesson_progress'))
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
