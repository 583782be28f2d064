/**
 * The sync and sign-in HTTP API v1: request bodies as zod schemas (the server validates
 * every body with them), answers as types, and the tables a pull carries. Shared by the server and the
 * client sync engine. See docs/architecture.md#sync-protocol.
 */
import { getTableColumns, getTableName } from 'drizzle-orm'
import { getTableConfig } from 'drizzle-orm/sqlite-core'
import { z } from 'zod'
import {
  courseEnrollments,
  lessonProgress,
  pressureRoomAttempts,
  userAchievements,
  userActivities,
  userProfiles,
  users,
} from '../db/schema'

// Sign-in bodies are also IPC inputs, so they live with the contract.
import { EmailStartBody } from '../contract/inputs'
export { EmailStartBody, EmailVerifyBody } from '../contract/inputs'

/**
 * A random value the app makes when it asks for a code; the server puts it into the sign-in link it
 * mails, and the app accepts a link only with a nonce it made itself for that email, so a link from
 * someone else's mailbox cannot sign this device into their account.
 */
export const SignInNonce = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'is not a sign-in nonce')

/** POST /v1/auth/email/start: the app's own request carries its nonce (older apps send none). */
export const SyncEmailStartBody = EmailStartBody.extend({ nonce: SignInNonce.optional() }).strict()
export type SyncEmailStartBody = z.infer<typeof SyncEmailStartBody>

export const ClientId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'is not a client id')

/** Most mutations one push may carry; the client sends its outbox in batches of this size. */
export const MAX_PUSH_BATCH = 500

export const PushedMutation = z
  .object({
    /** The outbox sequence number: increasing per client, applied exactly once. */
    id: z.number().int().positive(),
    name: z.string().min(1).max(64),
    args: z.unknown(),
    createdAt: z.number().int().min(0),
  })
  .strict()

export const PushBody = z
  .object({ clientId: ClientId, mutations: z.array(PushedMutation).max(MAX_PUSH_BATCH) })
  .strict()
  .refine((body) => body.mutations.every((m, i) => i === 0 || m.id > (body.mutations[i - 1] as { id: number }).id), {
    message: 'mutation ids must increase',
    path: ['mutations'],
  })
export const PullBody = z.object({ clientId: ClientId, cursor: z.string().max(512).nullable() }).strict()

export type PushBody = z.infer<typeof PushBody>
export type PullBody = z.infer<typeof PullBody>

export interface SyncUser {
  id: string
  email: string
  name: string | null
}

export interface VerifyAnswer {
  token: string
  user: SyncUser
}

export interface PushAnswer {
  /** The highest mutation id of this client the server has applied. */
  lastMutationId: number
}

/** The learner tables a pull carries, each with its drizzle table and primary key. */
export const SYNC_TABLES = {
  users: { table: users, key: 'id' },
  user_profiles: { table: userProfiles, key: 'userId' },
  course_enrollments: { table: courseEnrollments, key: 'id' },
  lesson_progress: { table: lessonProgress, key: 'id' },
  user_activities: { table: userActivities, key: 'id' },
  user_achievements: { table: userAchievements, key: 'id' },
  pressure_room_attempts: { table: pressureRoomAttempts, key: 'id' },
} as const
export type SyncTableName = keyof typeof SYNC_TABLES
export const SYNC_TABLE_NAMES = Object.keys(SYNC_TABLES) as SyncTableName[]

export interface SyncColumn {
  /** The field name rows carry (drizzle's camelCase). */
  field: string
  /** The column's name in SQL. */
  sqlName: string
}

export interface SyncTableShape {
  sqlName: string
  columns: SyncColumn[]
  key: SyncColumn
  /** The column naming the learner who owns the row. */
  owner: SyncColumn
  /** The table's primary key: `key`, or (owner, key) for rows whose id the device chose (attempts). */
  primaryKey: SyncColumn[]
}

const shapes = new Map<SyncTableName, SyncTableShape>()

/** A synced table's SQL shape, from the drizzle schema: what pulls read and write with plain SQL. */
export function syncTableShape(name: SyncTableName): SyncTableShape {
  const known = shapes.get(name)
  if (known) return known
  const { table, key } = SYNC_TABLES[name]
  const columns = Object.entries(getTableColumns(table) as Record<string, { name: string }>).map(([field, column]) => ({ field, sqlName: column.name }))
  const byField = (field: string) => columns.find((c) => c.field === field)
  const composite = getTableConfig(table).primaryKeys[0]?.columns.map((c) => columns.find((s) => s.sqlName === c.name) as SyncColumn)
  const shape = {
    sqlName: getTableName(table),
    columns,
    key: byField(key) as SyncColumn,
    owner: (byField('userId') ?? byField('id')) as SyncColumn,
    primaryKey: composite ?? [byField(key) as SyncColumn],
  }
  shapes.set(name, shape)
  return shape
}

/**
 * One table's rows in a pull page: the field names (drizzle's camelCase) once, then each row's values
 * in that order. A first sync carries tens of thousands of rows; naming every field in every row would
 * nearly double what is sent and parsed.
 */
export interface TableChanges {
  table: SyncTableName
  columns: string[]
  rows: unknown[][]
}

/** A changed row as an object (field to value). */
export interface Change {
  table: SyncTableName
  row: Record<string, unknown>
}

export interface PullAnswer {
  cursor: string
  lastMutationId: number
  /** At most one entry per table, only for tables with changed rows. */
  changes: TableChanges[]
  /** More changes wait beyond this page: pull again with the new cursor. */
  hasMore: boolean
}

/**
 * The answers' schemas: the client checks every answer before it writes anything, so a malformed or
 * hostile server answer is refused as a whole (http.ts: MalformedAnswer) and changes nothing here.
 * The pull answer is checked strictly: only the tables and columns this version writes, so a server
 * sending anything else needs a new API version. The push and sign-in answers keep only the fields read.
 */
const AnswerCount = z.number().int().min(0) // zod's int() is a safe integer: 1e400 or 2^53 + 1 are refused

export const SyncUser = z.object({ id: z.string().min(1).max(100), email: z.string().min(3).max(320), name: z.string().max(200).nullable() }) satisfies z.ZodType<SyncUser>
/** The server refuses longer bearer tokens (server/auth.ts authenticate). */
export const VerifyAnswer = z.object({ token: z.string().min(1).max(200), user: SyncUser }) satisfies z.ZodType<VerifyAnswer>
export const MeAnswer = z.object({ user: SyncUser })
export const SignOutAllAnswer = z.object({ signedOut: AnswerCount })
export const PushAnswer = z.object({ lastMutationId: AnswerCount }) satisfies z.ZodType<PushAnswer>
/** A refusal's body (any status); what does not fit this is treated as a refusal without a reason. */
export const RefusalAnswer = z.object({
  error: z.object({ code: z.string().max(64).optional(), message: z.string().max(2_000).optional(), mutationId: z.number().int().positive().optional() }),
  lastMutationId: AnswerCount.optional(),
})

const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/

/** What SQLite's json_array writes for a row's value (text, integer, real, null); booleans are stored as 1/0. */
const isRowValue = (value: unknown): boolean =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))

/**
 * One table's rows. The rows are checked by one plain loop rather than a zod schema per value: a first
 * sync carries tens of thousands of rows and this check runs on every one.
 */
const TableChangesAnswer = z
  .object({
    table: z.enum(SYNC_TABLE_NAMES as [SyncTableName, ...SyncTableName[]]),
    columns: z.array(z.string().max(64)).max(64),
    rows: z.custom<unknown[][]>((rows) => Array.isArray(rows), 'is not a list of rows'),
  })
  .strict()
  .superRefine(({ table, columns, rows }, ctx) => {
    const shape = syncTableShape(table)
    // A column this app does not know is ignored, not refused (a newer server may send more; apply-pull
    // writes known columns only); a name no column of ours could have is refused.
    const odd = columns.findIndex((c) => !COLUMN_NAME.test(c) || c === '__proto__')
    if (odd !== -1) ctx.addIssue({ code: 'custom', path: ['columns', odd], message: 'is not a column name' })
    if (new Set(columns).size !== columns.length) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'names a column twice' })
    if (!columns.includes(shape.key.field) || !columns.includes(shape.owner.field)) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'lacks the key or owner' })
    for (let i = 0; i < rows.length; i++) {
      const row: unknown = rows[i]
      if (!Array.isArray(row) || row.length !== columns.length || !row.every(isRowValue)) {
        ctx.addIssue({ code: 'custom', path: ['rows', i], message: `is not a row of ${columns.length} values` })
        return
      }
    }
  })

/** The client sends the cursor back in its next PullBody, which takes at most 512 characters. */
/**
 * Tables this app does not know are left out before the page is checked: a newer server (same API
 * version) may sync more tables, which an older app simply does not keep.
 */
const withoutUnknownTables = (page: unknown): unknown => {
  if (typeof page !== 'object' || page === null || !('changes' in page) || !Array.isArray(page.changes)) return page
  const known = new Set<unknown>(SYNC_TABLE_NAMES)
  const changes = page.changes.filter((c: unknown) => !(typeof c === 'object' && c !== null && 'table' in c && typeof c.table === 'string' && !known.has(c.table)))
  return { ...page, changes }
}

export const PullAnswer = z.preprocess(
  withoutUnknownTables,
  z
    .object({ cursor: z.string().max(512), lastMutationId: AnswerCount, changes: z.array(TableChangesAnswer).max(SYNC_TABLE_NAMES.length), hasMore: z.boolean() })
    .strict()
    .refine((page) => new Set(page.changes.map((c) => c.table)).size === page.changes.length, { message: 'names a table twice', path: ['changes'] }),
) satisfies z.ZodType<PullAnswer>

/** A page's rows as objects, table by table: for tests and tools (the app writes the arrays as they are). */
export function rowsOf(changes: readonly TableChanges[]): Change[] {
  return changes.flatMap(({ table, columns, rows }) => rows.map((values) => ({ table, row: Object.fromEntries(columns.map((c, i) => [c, values[i]])) })))
}

export interface ApiErrorBody {
  error: { code: string; message: string; mutationId?: number }
}

/** A push refused at one mutation: those before it were applied, up to lastMutationId. */
export interface PushRejected extends ApiErrorBody {
  lastMutationId: number
}
