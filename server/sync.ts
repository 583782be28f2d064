/**
 * Push and pull. A push replays the client's mutations with the desktop's own code
 * (runMutationBatch), each exactly once per (client, mutation id), in a savepoint that first bumps the
 * learner's change version; triggers stamp every row it writes with that version in change_log. The
 * pushes waiting for the database commit together in one transaction (group commit), each within the
 * time budget of server/push-limits.ts. A pull pages through change_log after the client's cursor.
 * The learner is always the session's, never the body's: the mutations scope every row they read or
 * write by that user id, and a pull reads only rows whose owner column is that user.
 * See docs/architecture.md#push, docs/architecture.md#pull and docs/architecture.md#merge-rules.
 */
import type { InValue, Row, Transaction } from '@libsql/client'
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Catalog } from '../electron/core/catalog/catalog'
import type { Q } from '../electron/core/db/database'
import { AppError } from '../electron/core/errors'
import { MAX_CLOCK_LEAD_MS, clampHlc } from '../electron/core/domain/hlc'
import { MutationArgs, type MutationName } from '../electron/core/mutations/args'
import { BatchStopped, runMutationBatch } from '../electron/core/mutations/run'
import {
  SYNC_TABLE_NAMES,
  syncTableShape,
  type PullAnswer,
  type TableChanges,
  type PullBody,
  type PushBody,
  type SyncTableName,
} from '../electron/core/sync/protocol'
import type { ServerDb } from './db'
import { HttpError } from './http-error'
import { GROUP_TIME_BUDGET_MS, PUSH_TIME_BUDGET_MS } from './push-limits'

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

type PushedMutation = PushBody['mutations'][number]

/** A pushed mutation the server will not apply, and why in words. */
class Refused extends Error {
  constructor(
    readonly mutation: PushedMutation,
    readonly reason: string,
  ) {
    super(`${mutation.name} #${mutation.id}: ${reason}`)
  }
}

/**
 * The last mutation id applied of the learner's device, or null for a device new to them. Client ids
 * are per learner (server/migrations/002): the same id used by another learner is another device, and
 * nothing in the answer tells that it exists.
 */
async function lastApplied(q: Q, clientId: string, userId: string): Promise<number | null> {
  const row = (await q.all<{ last_mutation_id: number }>(sql`SELECT last_mutation_id FROM sync_clients WHERE user_id = ${userId} AND client_id = ${clientId}`))[0]
  return row ? Number(row.last_mutation_id) : null
}

/**
 * Runs `fn` in a savepoint of the transaction `tx`: what it wrote is kept if it returns and undone if
 * it throws. Written on `tx` itself rather than through drizzle's nested transaction, which hands out
 * a new handle each time: the pushes of a group share one handle, so each query is built once per
 * group (db/prepared.ts).
 */
async function inSavepoint<T>(tx: Q, fn: () => Promise<T>): Promise<T> {
  await tx.run(sql`SAVEPOINT push`)
  try {
    const result = await fn()
    await tx.run(sql`RELEASE push`)
    return result
  } catch (e) {
    await tx.run(sql`ROLLBACK TO push`)
    await tx.run(sql`RELEASE push`)
    throw e
  }
}

/** Most pushes one transaction applies (group commit, see flushWaiting). */
export const MAX_PUSH_GROUP = 64

interface WaitingPush {
  userId: string
  body: PushBody
  resolve(outcome: PushOutcome): void
  reject(error: unknown): void
}

interface Applied {
  last: number
  /** The time budget ended the push before its last mutation. */
  exhausted: boolean
}

export interface PushBudget {
  /** Apply time one learner's pushes may use in one group transaction (ms). */
  pushMs: number
  /** A group transaction starts no further push after this long (ms). */
  groupMs: number
}

/**
 * The push's mutations as the batch applies them, every last-writer-wins clock reading clamped to at
 * most `limitMs` (the server's time plus a day). A device whose clock is broken (a year ahead) keeps its
 * edit, but it cannot pin the field beyond a day: anyone writing after that wins. Refusing the mutation
 * instead would drop an edit the app had already reported saved.
 */
function clampClocks(mutations: readonly PushedMutation[], limitMs: number): { name: MutationName; args: unknown }[] {
  let clamped = 0
  return mutations.map((m) => {
    const args = m.args
    if (!args || typeof args !== 'object' || !('hlc' in args) || typeof args.hlc !== 'string') return { name: m.name as MutationName, args }
    const hlc = clampHlc(args.hlc, limitMs, clamped)
    if (hlc === args.hlc) return { name: m.name as MutationName, args }
    clamped++
    return { name: m.name as MutationName, args: { ...args, hlc } }
  })
}

export function createSync(deps: { db: ServerDb; catalog: Catalog; pageSize?: number; budget?: Partial<PushBudget> }) {
  const { db, catalog } = deps
  const pageSize = deps.pageSize ?? PULL_PAGE_SIZE
  const { pushMs, groupMs }: PushBudget = { pushMs: PUSH_TIME_BUDGET_MS, groupMs: GROUP_TIME_BUDGET_MS, ...deps.budget }

  /**
   * Applies the client's new mutations in order as one batch (runMutationBatch: the derived data is
   * recomputed once, not after each), up to but not including mutation id `before`, and only while
   * `deadline` (performance.now()) has not passed; at least one is applied.
   */
  async function applyPush(tx: Q, userId: string, body: PushBody, until: { before?: number; deadline?: number } = {}): Promise<Applied> {
    const { before = Number.POSITIVE_INFINITY, deadline = Number.POSITIVE_INFINITY } = until
    const known = await lastApplied(tx, body.clientId, userId)
    if (known === null) await tx.run(sql`INSERT INTO sync_clients (client_id, user_id, last_mutation_id) VALUES (${body.clientId}, ${userId}, 0)`)
    const first = known ?? 0
    const fresh = body.mutations.filter((m) => m.id > first && m.id < before) // applied before: exactly once per (client, id)
    if (fresh.length === 0) return { last: first, exhausted: false }
    // Before any write, so the change-log triggers stamp this push's rows with the new version.
    await tx.run(sql`INSERT INTO user_versions (user_id, version) VALUES (${userId}, 1) ON CONFLICT (user_id) DO UPDATE SET version = version + 1`)
    const unknown = fresh.find((m) => !isMutationName(m.name))
    if (unknown) throw new Refused(unknown, 'this server does not know that kind of change')
    let applied: number
    try {
      const stopWhen = () => performance.now() >= deadline
      applied = await runMutationBatch({ tx, userId, catalog }, clampClocks(fresh, Date.now() + MAX_CLOCK_LEAD_MS), { stopWhen })
    } catch (e) {
      if (!(e instanceof BatchStopped)) throw e
      const m = fresh[e.index] as PushedMutation
      if (e.cause instanceof AppError) throw new Refused(m, e.cause.message)
      // Rows are keyed by learner, so this can only clash with the learner's own data.
      if (isConstraintError(e.cause)) throw new Refused(m, 'it clashes with data that already exists on the server')
      throw e.cause
    }
    const last = (fresh[applied - 1] as PushedMutation).id
    await tx.run(sql`UPDATE sync_clients SET last_mutation_id = ${last} WHERE user_id = ${userId} AND client_id = ${body.clientId}`)
    return { last, exhausted: applied < fresh.length }
  }

  /**
   * One push in its own savepoint of the group's transaction. When a mutation is refused, the savepoint
   * is rolled back and the mutations before the refused one are applied again without it, so they are
   * committed and nothing after it is. Refusals are rare, so the common path needs no savepoint per mutation.
   */
  async function applyOne(tx: Q, { userId, body }: WaitingPush, deadline: number): Promise<{ outcome: PushOutcome; exhausted: boolean }> {
    try {
      const { last, exhausted } = await inSavepoint(tx, () => applyPush(tx, userId, body, { deadline }))
      return { outcome: { lastMutationId: last }, exhausted }
    } catch (e) {
      if (!(e instanceof Refused)) throw e
      // The first run reached the refused mutation within the budget; this one repeats what it applied.
      const { last } = await inSavepoint(tx, () => applyPush(tx, userId, body, { before: e.mutation.id }))
      const rejected = { mutationId: e.mutation.id, message: `${e.mutation.name} #${e.mutation.id}: ${e.reason}` }
      return { outcome: { lastMutationId: last, rejected }, exhausted: false }
    }
  }

  /**
   * Group commit: the pushes that arrive while the database is busy are applied together in one
   * transaction, each in its own savepoint, and answered once it commits. Under load a commit (writing
   * the WAL) cost more than the push itself; a push that fails alone fails only itself.
   *
   * Bounded (push-limits.ts): each learner's pushes get `pushMs` of the group; once a learner's is
   * spent, their later pushes wait for the next group (in order, so a client's pushes still apply in
   * the order they came), and the group takes no new push after `groupMs`.
   * Pushes that arrive while the group runs may join it.
   */
  const waiting: WaitingPush[] = []
  let flushing = false

  function flushWaiting(): void {
    if (flushing || waiting.length === 0) return
    flushing = true
    const group: WaitingPush[] = []
    const outcomes = new Map<WaitingPush, { outcome: PushOutcome } | { error: unknown }>()
    const applied = db.write(async (tx) => {
      const groupEnds = performance.now() + groupMs
      const used = new Map<string, number>() // apply time per learner in this group
      for (let i = 0; i < waiting.length && group.length < MAX_PUSH_GROUP && performance.now() < groupEnds; ) {
        const push = waiting[i] as WaitingPush
        const spent = used.get(push.userId) ?? 0
        if (spent >= pushMs) {
          i++
          continue
        }
        waiting.splice(i, 1)
        group.push(push)
        const started = performance.now()
        try {
          const { outcome, exhausted } = await applyOne(tx, push, started + pushMs - spent)
          outcomes.set(push, { outcome })
          used.set(push.userId, exhausted ? pushMs : spent + performance.now() - started)
        } catch (error) {
          outcomes.set(push, { error })
          used.set(push.userId, spent + performance.now() - started)
        }
      }
    })
    const answered = applied.then(
      () => {
        for (const push of group) {
          const result = outcomes.get(push)
          if (result && 'outcome' in result) push.resolve(result.outcome)
          else push.reject(result?.error ?? new Error('the push was not applied'))
        }
      },
      (error: unknown) => {
        if (group.length === 0) {
          // The transaction did not even begin (the file locked past the busy timeout, read-only, gone):
          // answer the pushes waiting now, and let their clients retry, instead of trying again at
          // once and, on a lasting failure, for ever.
          const unavailable = new HttpError(503, 'UNAVAILABLE', 'The server could not save these changes just now. They will be sent again.', {}, error)
          for (const push of waiting.splice(0)) push.reject(unavailable)
          return
        }
        // The COMMIT failed: nothing of the group was kept. A push that had failed on its own says why.
        for (const push of group) {
          const own = outcomes.get(push)
          push.reject(own && 'error' in own ? own.error : error)
        }
      },
    )
    void answered.finally(() => {
      flushing = false
      flushWaiting()
    })
  }

  function push(userId: string, body: PushBody): Promise<PushOutcome> {
    return new Promise((resolve, reject) => {
      waiting.push({ userId, body, resolve, reject })
      flushWaiting()
    })
  }

  async function pull(userId: string, body: PullBody): Promise<PullPage> {
    const after = decodeCursor(body.cursor)
    // One read transaction: the page comes from one snapshot, and while pushes commit from another
    // connection (push-worker.ts) SQLite refreshes its page cache once per pull, not once per statement.
    return db.read(async () => {
      const snapshot = await db.client.transaction('read')
      try {
        return await readPage(snapshot, userId, body, after)
      } finally {
        snapshot.close()
      }
    })
  }

  async function readPage(snapshot: Transaction, userId: string, body: PullBody, after: Position): Promise<PullPage> {
    const read = (sql: string, args: InValue[]) => snapshot.execute({ sql, args }).then((r) => r.rows)
    const client = (await read(PULL_SQL.client, [userId, body.clientId]))[0]
    const { end, hasMore } = await pageEnd(read, userId, after, pageSize)
    const changes: PullPage['changes'] = []
    const touched = end ? new Set((await read(PULL_SQL.tablesChanged, [userId, ...tupleOf(after), ...tupleOf(end)])).map((r) => String(r.table_name))) : new Set<string>()
    for (const table of SYNC_TABLE_NAMES.filter((t) => touched.has(t))) {
      const rows = await read(PULL_SQL.changedRows[table], [userId, table, ...tupleOf(after), ...tupleOf(end as Position), userId])
      if (rows.length > 0) changes.push({ table, columns: syncTableShape(table).columns.map((c) => c.field), rows: rows.map((row) => String(row[0])) })
    }
    return {
      cursor: encodeCursor(end ?? after),
      lastMutationId: Number(client?.last_mutation_id ?? 0),
      changes,
      hasMore,
    }
  }

  return { push, pull }
}

/** A pull page as the server sends it: a PullAnswer whose rows are already JSON text (see changedRows). */
export interface PullPage extends Omit<PullAnswer, 'changes'> {
  changes: (Omit<TableChanges, 'rows'> & { rows: string[] })[]
}

/** The JSON of the PullAnswer a page stands for; the rows go in as SQLite wrote them. */
export function pullPageJson(page: PullPage): string {
  const tables = page.changes.map((t) => `{"table":${JSON.stringify(t.table)},"columns":${JSON.stringify(t.columns)},"rows":[${t.rows.join(',')}]}`)
  return `{"cursor":${JSON.stringify(page.cursor)},"lastMutationId":${page.lastMutationId},"changes":[${tables.join(',')}],"hasMore":${page.hasMore}}`
}

const tupleOf = (p: Position): InValue[] => [p.version, p.table, p.rowId]

/**
 * The pull's statements, as fixed text: a pull runs on every sync of every device, and building them
 * through drizzle each time cost more than running them. Positions are (version, table, row id) tuples.
 */
const PULL_SQL = (() => {
  const newer = 'user_id = ? AND (version, table_name, row_id) > (?, ?, ?)'
  /**
   * The learner's rows of one table whose change_log entries lie in (after, end], oldest change first,
   * each as the JSON text of an array of its values in the order of syncTableShape(table).columns.
   * SQLite writes the JSON (json_array): a first sync sends tens of thousands of rows, and reading each
   * value into JavaScript only to write it out again was most of the server's time.
   */
  const changedRows = (table: SyncTableName) => {
    const shape = syncTableShape(table)
    const column = (name: string) => `t."${name}"`
    return `SELECT json_array(${shape.columns.map((c) => column(c.sqlName)).join(', ')})
      FROM change_log c JOIN "${shape.sqlName}" t ON ${column(shape.key.sqlName)} = c.row_id
      WHERE c.user_id = ? AND c.table_name = ?
        AND (c.version, c.table_name, c.row_id) > (?, ?, ?)
        AND (c.version, c.table_name, c.row_id) <= (?, ?, ?)
        AND ${column(shape.owner.sqlName)} = ?
      ORDER BY c.version, c.row_id`
  }
  return {
    client: 'SELECT last_mutation_id FROM sync_clients WHERE user_id = ? AND client_id = ?',
    /** The entries just past a full page: the page's last one, and whether another follows. */
    pageBounds: `SELECT version, table_name, row_id FROM change_log WHERE ${newer} ORDER BY version, table_name, row_id LIMIT 2 OFFSET ?`,
    lastEntry: `SELECT version, table_name, row_id FROM change_log WHERE ${newer} ORDER BY version DESC, table_name DESC, row_id DESC LIMIT 1`,
    /** Which tables have entries in (after, end]: a small sync touches two or three of them. */
    tablesChanged: `SELECT DISTINCT table_name FROM change_log WHERE ${newer} AND (version, table_name, row_id) <= (?, ?, ?)`,
    changedRows: Object.fromEntries(SYNC_TABLE_NAMES.map((t) => [t, changedRows(t)])) as Record<SyncTableName, string>,
  }
})()

type Read = (sql: string, args: InValue[]) => Promise<Row[]>

/**
 * Where a page that starts after `after` ends: its last change_log entry (null when nothing changed)
 * and whether more follow. Only the boundary entries are read, never the page's own.
 */
async function pageEnd(read: Read, userId: string, after: Position, pageSize: number): Promise<{ end: Position | null; hasMore: boolean }> {
  const toPosition = (e: Row): Position => ({ version: Number(e.version), table: String(e.table_name), rowId: String(e.row_id) })
  const bounds = await read(PULL_SQL.pageBounds, [userId, ...tupleOf(after), pageSize - 1])
  if (bounds[0]) return { end: toPosition(bounds[0]), hasMore: bounds.length > 1 }
  const last = await read(PULL_SQL.lastEntry, [userId, ...tupleOf(after)])
  return { end: last[0] ? toPosition(last[0]) : null, hasMore: false }
}
