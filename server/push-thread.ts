/**
 * Pushes applied on a worker thread (push-worker.ts) when the server's database is a local file.
 * `push` answers as createSync's does: the outcome, or the same HttpError (403, …) the push failed
 * with. If the worker dies, the pushes it held fail with 503 (clients retry them; a push is applied
 * once per mutation id whatever happens) and the next push starts a new worker.
 */
import { Worker } from 'node:worker_threads'
import type { PushBody } from '../electron/core/sync/protocol'
import { HttpError, type ApiErrorCode } from './http-error'
import type { Logger } from './log'
import type { FromPushWorker, PushWorkerData, ThreadError, ToPushWorker } from './push-messages'
import type { PushOutcome } from './sync'

export interface PushThread {
  push(userId: string, body: PushBody): Promise<PushOutcome>
  /** Pushes posted to the worker and not answered yet. */
  pending(): number
  /** Lets the worker commit what it holds, then stops it. */
  close(): Promise<void>
}

interface Waiting {
  resolve(outcome: PushOutcome): void
  reject(error: unknown): void
}

function fromThreadError(error: ThreadError): Error {
  if (!error.http) return new Error(error.message)
  return new HttpError(error.http.status as HttpError['status'], error.http.code as ApiErrorCode, error.message, error.http.headers)
}

const unavailable = () => new HttpError(503, 'UNAVAILABLE', 'The server could not save these changes just now. They will be sent again.')

interface Running {
  worker: Worker
  ready: Promise<void>
  closed: Promise<void>
}

export async function startPushThread(data: PushWorkerData, log: Logger): Promise<PushThread> {
  const waiting = new Map<number, Waiting>()
  let nextId = 1
  let closing = false

  function spawn(): Running {
    const worker = new Worker(new URL('./push-worker-boot.mjs', import.meta.url), { workerData: data })
    let markReady: () => void = () => undefined
    let markFailed: (e: Error) => void = () => undefined
    let markClosed: () => void = () => undefined
    const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (markFailed = reject)))
    // Only the first start is awaited; a later worker that fails to start fails its pushes (see exit).
    ready.catch(() => undefined)
    const closed = new Promise<void>((resolve) => (markClosed = resolve))
    worker.on('message', (message: FromPushWorker) => {
      if (message.kind === 'ready') markReady()
      else if (message.kind === 'failed') markFailed(fromThreadError(message.error))
      else if (message.kind === 'closed') markClosed()
      else {
        const entry = waiting.get(message.id)
        waiting.delete(message.id)
        if (message.kind === 'pushed') entry?.resolve(message.outcome)
        else entry?.reject(fromThreadError(message.error))
      }
    })
    worker.on('error', (error) => log.error('push_worker_failed', { error: `${error.name}: ${error.message.split('\n')[0] ?? ''}` }))
    worker.on('exit', (code) => {
      markFailed(new Error(`the push worker exited with ${code} before it was ready`))
      markClosed()
      for (const entry of waiting.values()) entry.reject(unavailable())
      waiting.clear()
      if (running?.worker === worker) running = null
      if (!closing) log.error('push_worker_exited', { code })
    })
    return { worker, ready, closed }
  }

  let running: Running | null = spawn()
  await running.ready

  return {
    // Posted at once, even to a worker still starting (its port keeps messages until it listens), so
    // the order of pushes and of a later close is the order they were asked for.
    push(userId, body) {
      if (closing) return Promise.reject(unavailable())
      running ??= spawn()
      const { worker } = running
      return new Promise<PushOutcome>((resolve, reject) => {
        const id = nextId++
        waiting.set(id, { resolve, reject })
        try {
          worker.postMessage({ kind: 'push', id, userId, body } satisfies ToPushWorker)
        } catch (error) {
          // Never posted (a body structured clone cannot copy; the route's argument limits keep those
          // out), so no answer will come for it.
          waiting.delete(id)
          reject(new HttpError(400, 'INVALID', 'These changes cannot be applied: their arguments are too deeply nested or too large.', {}, error))
        }
      })
    },
    pending: () => waiting.size,
    async close() {
      closing = true
      const current = running
      if (!current) return
      current.worker.postMessage({ kind: 'close' } satisfies ToPushWorker)
      await current.closed
      await current.worker.terminate()
    },
  }
}
