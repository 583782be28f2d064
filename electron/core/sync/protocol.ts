/**
 * The sync and sign-in HTTP API v1: request bodies as zod schemas (the server validates
 * every body with them), answers as types, and the tables a pull carries. Shared by the server and the
 * client sync engine.
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
