/**
 * The sync and sign-in HTTP API v1 (DESIGN.md §5): request bodies as zod schemas (the server validates
 * every body with them), answers as types, and the tables a pull carries. Shared by the server and the
 * client sync engine.
 */
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
export { EmailStartBody, EmailVerifyBody } from '../contract/inputs'

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

export const PushBody = z.object({ clientId: ClientId, mutations: z.array(PushedMutation).max(MAX_PUSH_BATCH) }).strict()
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

export interface Change {
  table: SyncTableName
  /** The row as drizzle selects it (camelCase fields). */
  row: Record<string, unknown>
}

export interface PullAnswer {
  cursor: string
  lastMutationId: number
  changes: Change[]
  /** More changes wait beyond this page: pull again with the new cursor. */
  hasMore: boolean
}

export interface ApiErrorBody {
  error: { code: string; message: string; mutationId?: number }
}

/** A push refused at one mutation: those before it were applied, up to lastMutationId. */
export interface PushRejected extends ApiErrorBody {
  lastMutationId: number
}
