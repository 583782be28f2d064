/**
 * Push and pull (DESIGN.md §3). A push replays the client's mutations with the desktop's own code
 * (runMutation), each exactly once per (client, mutation id), in one transaction that first bumps the
 * learner's change version; triggers stamp every row it writes with that version in change_log. A pull
 * pages through change_log after the client's cursor. The learner is always the session's, never the
 * body's: runMutation scopes every row it reads or writes by that user id.
 */
import { and, eq, getTableColumns, inArray, sql } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { z } from 'zod'
import type { Catalog } from '../electron/core/catalog/catalog'
import type { Q } from '../electron/core/db/database'
import { AppError } from '../electron/core/errors'
import { MutationArgs, type MutationName } from '../electron/core/mutations/args'
import { runMutation } from '../electron/core/mutations/run'
import {
  SYNC_TABLE_NAMES,
  SYNC_TABLES,
  type Change,
  type PullAnswer,
  type PullBody,
  type PushBody,
  type SyncTableName,
} from '../electron/core/sync/protocol'
import type { ServerDb } from './db'
import { HttpError } from './http-error'

/** Most changes one pull answers with; the client pulls again while hasMore. */
export const PULL_PAGE_SIZE = 5000

export interface PushOutcome {
  lastMutationId: number
  /** The mutation that stopped the batch; everything before it is committed, nothing after it ran. */
  rejected?: { mutationId: number; message: string }
}

interface Position {
  version: number
  table: string
  rowId: string
}

const START: Position = { version: 0, table: '', rowId: '' }
const CursorTuple = z.tuple([z.number().int().min(0), z.union([z.literal(''), z.enum(SYNC_TABLE_NAMES)]), z.string().max(200)])

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify([p.version, p.table, p.rowId])).toString('base64url')
}

export function decodeCursor(cursor: string | null): Position {
  if (cursor === null) return START
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    parsed = null
  }
  const tuple = CursorTuple.safeParse(parsed)
  if (!tuple.success) throw new HttpError(400, 'INVALID', 'The sync cursor is not one this server gave out. Pull again from the beginning (cursor null).')
  const [version, table, rowId] = tuple.data
  return { version, table, rowId }
}

const isMutationName = (name: string): name is MutationName => Object.hasOwn(MutationArgs, name)

/** A SQLite constraint failure anywhere in the error's cause chain (drizzle wraps the driver's error). */
function isConstraintError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) return true
  }
  return false
}

interface ClientRow {
  user_id: string
  last_mutation_id: number
}

async function findClient(q: Q, clientId: string, userId: string): Promise<ClientRow | null> {
  const rows = await q.all<ClientRow>(sql`SELECT user_id, last_mutation_id FROM sync_clients WHERE client_id = ${clientId}`)
  const row = rows[0]
  if (row && row.user_id !== userId) throw new HttpError(403, 'FORBIDDEN', 'This device is linked to another account. Sign out and sign in again to sync it.')
  return row ? { user_id: row.user_id, last_mutation_id: Number(row.last_mutation_id) } : null
}

export function createSync(deps: { db: ServerDb; catalog: Catalog; pageSize?: number }) {
  const { db, catalog } = deps
  const pageSize = deps.pageSize ?? PULL_PAGE_SIZE

  /** Applies one mutation inside a savepoint; returns why it was refused, or null when applied. */
  async function applyOne(tx: Q, userId: string, name: string, args: unknown): Promise<string | null> {
    if (!isMutationName(name)) return 'this server does not know that kind of change'
    try {
      await tx.transaction((sp) => runMutation({ tx: sp, userId, catalog }, name, args))
      return null
    } catch (e) {
      if (e instanceof AppError) return e.message
      // e.g. an id that already belongs to another learner's row: that row is never touched.
      if (isConstraintError(e)) return 'it clashes with data that already exists on the server'
      throw e
    }
  }

  async function push(userId: string, body: PushBody): Promise<PushOutcome> {
    return db.write(async (tx) => {
      const client = await findClient(tx, body.clientId, userId)
      if (!client) await tx.run(sql`INSERT INTO sync_clients (client_id, user_id, last_mutation_id) VALUES (${body.clientId}, ${userId}, 0)`)
      const first = client?.last_mutation_id ?? 0
      let last = first
      let bumped = false
      let rejected: PushOutcome['rejected']
      for (const m of body.mutations) {
        if (m.id <= last) continue // applied before: exactly once per (client, id)
        if (!bumped) {
          // Before any write, so the change-log triggers stamp this push's rows with the new version.
          await tx.run(sql`INSERT INTO user_versions (user_id, version) VALUES (${userId}, 1) ON CONFLICT (user_id) DO UPDATE SET version = version + 1`)
          bumped = true
        }
        const reason = await applyOne(tx, userId, m.name, m.args)
        if (reason !== null) {
          rejected = { mutationId: m.id, message: `${m.name} #${m.id}: ${reason}` }
          break
        }
        last = m.id
      }
      if (last !== first) await tx.run(sql`UPDATE sync_clients SET last_mutation_id = ${last} WHERE client_id = ${body.clientId}`)
      return rejected ? { lastMutationId: last, rejected } : { lastMutationId: last }
    })
  }

  async function pull(userId: string, body: PullBody): Promise<PullAnswer> {
    const after = decodeCursor(body.cursor)
    return db.read(async (q) => {
      const client = await findClient(q, body.clientId, userId)
      const log = await q.all<{ table_name: string; row_id: string; version: number }>(sql`
        SELECT table_name, row_id, version FROM change_log
        WHERE user_id = ${userId} AND (version, table_name, row_id) > (${after.version}, ${after.table}, ${after.rowId})
        ORDER BY version, table_name, row_id
        LIMIT ${pageSize + 1}`)
      const page = log.slice(0, pageSize)
      const rows = await loadRows(q, userId, page)
      const changes: Change[] = []
      for (const entry of page) {
        const row = rows.get(entry.table_name)?.get(entry.row_id)
        if (row) changes.push({ table: entry.table_name as SyncTableName, row })
      }
      const end = page.at(-1)
      return {
        cursor: encodeCursor(end ? { version: Number(end.version), table: end.table_name, rowId: end.row_id } : after),
        lastMutationId: client?.last_mutation_id ?? 0,
        changes,
        hasMore: log.length > pageSize,
      }
    })
  }

  return { push, pull }
}

/** The rows named by a page of change_log, by table and key; only ever the learner's own. */
async function loadRows(q: Q, userId: string, page: readonly { table_name: string; row_id: string }[]) {
  const wanted = new Map<SyncTableName, string[]>()
  for (const entry of page) {
    const name = entry.table_name as SyncTableName
    if (!Object.hasOwn(SYNC_TABLES, name)) continue
    const ids = wanted.get(name) ?? []
    ids.push(entry.row_id)
    wanted.set(name, ids)
  }
  const found = new Map<string, Map<string, Record<string, unknown>>>()
  for (const [name, ids] of wanted) {
    const spec = SYNC_TABLES[name]
    const columns = getTableColumns(spec.table) as Record<string, SQLiteColumn>
    const key = columns[spec.key] as SQLiteColumn
    const owner = (columns.userId ?? columns.id) as SQLiteColumn
    const rows = (await q
      .select()
      .from(spec.table as SQLiteTable)
      .where(and(inArray(key, ids), eq(owner, userId)))) as Record<string, unknown>[]
    found.set(name, new Map(rows.map((r) => [String(r[spec.key]), r])))
  }
  return found
}
