/** What the main thread and the push worker (push-thread.ts, push-worker.ts) say to each other. */
import type { PushBody } from '../electron/core/sync/protocol'
import type { PushOutcome } from './sync'

export interface PushWorkerData {
  /** The server database file, already checked and migrated by the main thread. */
  file: string
  migrationsDir: string
  coursesDir: string
}

export interface PushRequest {
  id: number
  userId: string
  body: PushBody
}

/** An error as it crosses threads: an HttpError keeps its status and code; anything else only its words. */
export interface ThreadError {
  message: string
  http?: { status: number; code: string; headers: Record<string, string> }
}

export type FromPushWorker =
  | { kind: 'ready' }
  | { kind: 'failed'; error: ThreadError }
  | { kind: 'pushed'; id: number; outcome: PushOutcome }
  | { kind: 'refused'; id: number; error: ThreadError }
  | { kind: 'closed' }

export type ToPushWorker = ({ kind: 'push' } & PushRequest) | { kind: 'close' }
