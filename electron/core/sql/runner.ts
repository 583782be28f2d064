/**
 * The sandboxed SQL runner behind "Try it" and SQL exercises (issue #14 §2).
 *
 * Learner SQL runs in sql.js (SQLite in WebAssembly, with no file system but its own memory) in a
 * worker thread of its own, one run at a time: every run opens a fresh in-memory copy of the dataset,
 * so nothing a learner writes reaches the next run, and nothing can reach the learner's own LibSQL
 * database. A run that exceeds its time is stopped with worker.terminate(), which interrupts the
 * WebAssembly wherever it is, and a fresh worker is started at once for the next run. The thread that
 * calls `run` only waits on messages, so its event loop stays free while a query runs away.
 */
import { basename, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { EMPTY_MESSAGE, ENGINE_STOPPED, MAX_QUERY_LENGTH, timeoutMessage, tooLargeMessage } from './messages'
import type { FromSqlWorker, ToSqlWorker } from './protocol'
import type { SqlRun } from './result'

export type { SqlErrorKind, SqlRun, SqlRunError, SqlTable, SqlValue } from './result'
export { EMPTY_MESSAGE, ENGINE_STOPPED, MAX_QUERY_LENGTH, timeoutMessage, tooLargeMessage } from './messages'

export const DEFAULT_TIMEOUT_MS = 2000
export const DEFAULT_ROW_CAP = 1000

export interface SqlRunnerOptions {
  /** How long one run may take before its worker is stopped. */
  timeoutMs?: number
  /** Rows of the result kept; a longer result comes back cut, with truncated: true. */
  rowCap?: number
  /** The worker's entry; found beside this module by default (workerEntry). */
  entry?: URL
}

export interface SqlRunner {
  /** Runs `query` on a fresh in-memory database loaded from `dataset` (SQL text: DDL and INSERTs). */
  run(dataset: string, query: string): Promise<SqlRun>
  /** Lets the queued runs finish, then stops the worker. */
  close(): Promise<void>
  readonly timeoutMs: number
  readonly rowCap: number
}

/** The dataset's own SQL failed: the course is broken, not the learner's query. */
export class SqlDatasetError extends Error {
  override readonly name = 'SqlDatasetError'
}

/** The engine could not start at all (its .wasm missing, …). */
export class SqlEngineError extends Error {
  override readonly name = 'SqlEngineError'
}

/**
 * The worker's entry. From the TypeScript sources (tests, tsx) a boot file registers tsx in the new
 * thread. In the built app this module is bundled into out/main/core-worker.js or a chunk of
 * out/main/chunks/, and electron.vite.config.ts builds the worker as out/main/sql-worker.js.
 */
export function workerEntry(moduleUrl: string = import.meta.url): URL {
  const here = fileURLToPath(moduleUrl)
  if (here.endsWith('.ts')) return new URL('./sql-worker-boot.mjs', moduleUrl)
  return new URL(basename(dirname(here)) === 'chunks' ? '../sql-worker.js' : './sql-worker.js', moduleUrl)
}

// Queries that can create files (in the engine's memory file system, which outlives one database):
// their worker is replaced after the run, so no file, and none of its memory, is left for the next run.
const MAY_CREATE_FILES = /attach|vacuum/i

interface Pending {
  id: number
  settle(run: SqlRun): void
  fail(error: Error): void
}

interface Engine {
  worker: Worker
  ready: Promise<void>
  pending: Pending | null
  stopped: boolean
}

export function createSqlRunner(options: SqlRunnerOptions = {}): SqlRunner {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const rowCap = options.rowCap ?? DEFAULT_ROW_CAP
  const entry = options.entry ?? workerEntry()
  let engine: Engine | null = null
  let nextId = 1
  let closed = false
  let lastDataset: string | null = null
  // Runs go one at a time: `tail` is the last one queued.
  let tail: Promise<unknown> = Promise.resolve()
  const stopping = new Set<Promise<unknown>>()

  function stop(target: Engine): void {
    if (target.stopped) return
    target.stopped = true
    const terminated = target.worker.terminate()
    stopping.add(terminated)
    void terminated.finally(() => stopping.delete(terminated))
    // The learner's next run (the query fixed) finds a worker already started, with the dataset they
    // ran on loaded.
    if (engine !== target) return
    engine = closed ? null : spawn()
    if (engine && lastDataset !== null) engine.worker.postMessage({ kind: 'prepare', dataset: lastDataset } satisfies ToSqlWorker)
  }

  function spawn(): Engine {
    const worker = new Worker(entry)
    // An idle worker does not keep the process alive (a host that forgets close() still exits); a
    // worker with a run to answer does (execute).
    worker.unref()
    let markReady: () => void = () => undefined
    let markFailed: (error: Error) => void = () => undefined
    const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (markFailed = reject)))
    ready.catch(() => undefined)
    const spawned: Engine = { worker, ready, pending: null, stopped: false }
    worker.on('message', (message: FromSqlWorker) => {
      switch (message.kind) {
        case 'ready':
          return markReady()
        case 'failed':
          return markFailed(new SqlEngineError(`The SQL engine could not start: ${message.message}`))
        case 'result':
          if (spawned.pending?.id === message.id) spawned.pending.settle(message.run)
          return
        case 'dataset-failed':
          if (spawned.pending?.id === message.id) spawned.pending.fail(new SqlDatasetError(message.message))
          return
      }
    })
    // An uncaught error in the worker ends it: 'exit' follows and answers the run it held.
    worker.on('error', () => undefined)
    worker.on('exit', (code) => {
      markFailed(new SqlEngineError(`The SQL engine could not start (its worker exited with code ${code}).`))
      if (engine === spawned) engine = null
      spawned.stopped = true
      spawned.pending?.settle({ ok: false, error: { kind: 'runtime', message: ENGINE_STOPPED } })
    })
    return spawned
  }

  async function execute(dataset: string, query: string): Promise<SqlRun> {
    lastDataset = dataset
    const current = engine ?? (engine = spawn())
    current.worker.ref()
    try {
      await current.ready
    } finally {
      current.worker.unref()
    }
    return new Promise<SqlRun>((resolve, reject) => {
      const id = nextId++
      current.worker.ref()
      const timer = setTimeout(() => {
        current.pending = null
        stop(current)
        resolve({ ok: false, error: { kind: 'timeout', message: timeoutMessage(timeoutMs) } })
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        current.worker.unref()
        current.pending = null
        if (MAY_CREATE_FILES.test(query)) stop(current)
      }
      current.pending = {
        id,
        settle: (run) => (done(), resolve(run)),
        fail: (error) => (done(), reject(error)),
      }
      const message: ToSqlWorker = { kind: 'run', id, dataset, query, rowCap }
      current.worker.postMessage(message)
    })
  }

  return {
    timeoutMs,
    rowCap,
    run(dataset, query) {
      if (closed) return Promise.reject(new Error('The SQL runner is closed.'))
      if (query.trim() === '') return Promise.resolve({ ok: false, error: { kind: 'empty', message: EMPTY_MESSAGE } })
      if (query.length > MAX_QUERY_LENGTH) return Promise.resolve({ ok: false, error: { kind: 'too-large', message: tooLargeMessage(query.length) } })
      const run = tail.then(() => execute(dataset, query))
      tail = run.catch(() => undefined)
      return run
    },
    async close() {
      closed = true
      await tail
      if (engine) stop(engine)
      await Promise.all(stopping)
    },
  }
}
