/**
 * The push worker: applies pushes on its own thread, over its own connection to the server's database
 * file, with the same code as ever (createSync's group commit). The main thread meanwhile keeps
 * reading requests, looking up sessions and answering pulls; on a two-core machine under load that
 * was the difference between one busy core and two. Started by push-thread.ts.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { loadCatalog } from '../electron/core/catalog/catalog'
import { openDatabase } from '../electron/core/db/database'
import { HttpError } from './http-error'
import type { FromPushWorker, PushWorkerData, ThreadError, ToPushWorker } from './push-messages'
import { createSync } from './sync'

const port = parentPort
if (!port) throw new Error('push-worker.ts runs only as a worker thread (see push-thread.ts)')

const send = (message: FromPushWorker) => port.postMessage(message)

function toThreadError(error: unknown): ThreadError {
  if (error instanceof HttpError) return { message: error.message, http: { status: error.status, code: error.code, headers: error.headers } }
  return { message: error instanceof Error ? `${error.name}: ${error.message.split('\n')[0] ?? ''}` : String(error) }
}

const { file, migrationsDir, coursesDir } = workerData as PushWorkerData
try {
  const db = await openDatabase({ file, migrationsDir })
  const sync = createSync({ db, catalog: await loadCatalog(coursesDir) })
  const answering = new Set<Promise<void>>()
  port.on('message', (message: ToPushWorker) => {
    if (message.kind === 'push') {
      const answered = sync.push(message.userId, message.body).then(
        (outcome) => send({ kind: 'pushed', id: message.id, outcome }),
        (error: unknown) => send({ kind: 'refused', id: message.id, error: toThreadError(error) }),
      )
      answering.add(answered)
      void answered.finally(() => answering.delete(answered))
    } else {
      // Every push received before the close is answered first: a push whose learner had used their
      // time budget waits for a later transaction, which the database queue does not hold yet.
      void Promise.all(answering).then(() => db.read(async () => undefined)).then(() => {
        db.close()
        send({ kind: 'closed' })
        port.close()
      })
    }
  })
  send({ kind: 'ready' })
} catch (e) {
  send({ kind: 'failed', error: toThreadError(e) })
  port.close()
}
