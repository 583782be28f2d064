/**
 * The host's side of the core worker: `call` answers a contract channel with its Result, `on` listens
 * to the core's events, `close` shuts the core down cleanly. The host keeps the ports (token store,
 * updater, save dialog) and serves the worker's requests for them (protocol.ts).
 *
 * A worker that dies is started again: the calls it held answer UNAVAILABLE (the learner tries again),
 * and a call answered ok was committed by the worker before it answered, so it survives the restart.
 */
import { Worker } from 'node:worker_threads'
import type { Channel, Input, Result } from '../contract/channels'
import { toErrorBody, type ErrorBody } from '../errors'
import type { Dispatch } from '../api/dispatch'
import type { PackError } from '../catalog/catalog'
import type { CoreOptions } from '../core'
import type { SyncTimings } from '../sync/engine'
import type { TokenStore } from '../sync/token-store'
import type { CallResult, CoreControl, CoreEvent, CoreEvents, CoreWorkerData, FromCoreWorker, PortCalls, PortMethod, ToCoreWorker } from './protocol'

export const CORE_RESTARTED = "Pathwise's core stopped unexpectedly and was restarted; please try again."

export interface CoreWorkerOptions extends Pick<CoreOptions, 'dataDir' | 'coursesDir' | 'migrationsDir' | 'timezone' | 'updater' | 'saveDialog'> {
  sync?: { serverUrl: string; tokens: TokenStore; timings?: Partial<SyncTimings> }
  /** The worker's entry: the tsx boot file by default; the built app passes out/main/core-worker.js. */
  entry?: URL
  /** Told each time a dead worker is replaced (logs, tests). */
  onRestart?: (exitCode: number) => void
}

export interface CoreWorker {
  call<C extends Channel>(channel: C, input: Input<C>): Promise<CallResult<C>>
  on<E extends CoreEvent>(event: E, listener: (payload: CoreEvents[E]) => void): () => void
  /** Sync triggers and the updater's schedule, which the host starts when it is ready for them. */
  control(control: CoreControl): void
  /**
   * `call` for a transport whose channel and payload come unchecked (IPC, HTTP): the worker's dispatch
   * refuses an unknown channel or a bad payload with a typed error, as it does for every call.
   */
  dispatch: Dispatch
  /** Answers a sign-in link main received (the account service's verifyLink, outside the contract). */
  verifyLink(input: unknown): Promise<Result<unknown>>
  /** Whether the core syncs (a sync server was given). */
  readonly syncs: boolean
  /** Course packs the core skipped at its last start. */
  readonly catalogErrors: readonly PackError[]
  /** The running worker (tests kill it to show what a crash does). */
  readonly worker: Worker
  /** Waits for the calls already made, lets a running sync finish (or aborts it), closes the database. */
  close(options?: { abortSync?: boolean }): Promise<void>
}

/** Opening the core in the worker failed: its reason, in the core's words (a database too new, …). */
export class CoreWorkerFailed extends Error {
  /** The core's error code (DB_TOO_NEW, …), where main's startupFailure looks for it. */
  readonly code: ErrorBody['code']
  constructor(readonly body: ErrorBody) {
    super(body.message)
    this.code = body.code
  }
}

const restartedError: ErrorBody = { code: 'UNAVAILABLE', message: CORE_RESTARTED }
const restarted: Result<never> = { ok: false, error: restartedError }
const closedAnswer: Result<never> = { ok: false, error: { code: 'UNAVAILABLE', message: 'Pathwise is closing.' } }

/** Serves the worker's port requests from the host's own ports. */
function servePort(options: CoreWorkerOptions, method: PortMethod, args: unknown[]): Promise<unknown> {
  const { sync, updater, saveDialog } = options
  const missing = () => Promise.reject(new Error(`the host serves no port for ${method}`))
  const calls: { [M in PortMethod]: (...a: PortCalls[M]['args']) => Promise<PortCalls[M]['value']> } = {
    'tokens.kept': () => sync?.tokens.kept() ?? missing(),
    'tokens.load': () => sync?.tokens.load() ?? missing(),
    'tokens.save': (token) => sync?.tokens.save(token) ?? missing(),
    'tokens.clear': () => sync?.tokens.clear() ?? missing(),
    'saveDialog.chooseExportPath': (name) => saveDialog?.chooseExportPath(name) ?? missing(),
    'updater.checkForUpdates': () => updater?.checkForUpdates() ?? missing(),
    'updater.downloadUpdate': () => updater?.downloadUpdate() ?? missing(),
    'updater.cancelDownload': async () => updater?.cancelDownload(),
    'updater.quitAndInstall': async () => updater?.quitAndInstall(),
    'updater.isOnline': async () => updater?.isOnline() ?? true,
  }
  return (calls[method] as (...a: unknown[]) => Promise<unknown>)(...args)
}

interface Running {
  worker: Worker
  ready: Promise<void>
  closed: Promise<void>
}

export async function startCoreWorker(options: CoreWorkerOptions): Promise<CoreWorker> {
  const entry = options.entry ?? new URL('./core-worker-boot.mjs', import.meta.url)
  const data: CoreWorkerData = {
    dataDir: options.dataDir,
    coursesDir: options.coursesDir,
    migrationsDir: options.migrationsDir,
    timezone: options.timezone,
    sync: options.sync ? { serverUrl: options.sync.serverUrl, timings: options.sync.timings } : undefined,
    updater: options.updater ? { currentVersion: options.updater.currentVersion, online: options.updater.isOnline() } : undefined,
    saveDialog: options.saveDialog !== undefined,
  }
  const waiting = new Map<number, (result: Result<unknown>) => void>()
  const listeners = new Map<CoreEvent, Set<(payload: never) => void>>()
  // Controls sent so far, sent again to a restarted worker so its sync and updates run as before.
  const controls = new Set<CoreControl>()
  let nextId = 1
  let closing = false
  let catalogErrors: readonly PackError[] = []
  let failure: ErrorBody | null = null

  function spawn(): Running {
    const worker = new Worker(entry, { workerData: data })
    let markReady: () => void = () => undefined
    let markFailed: (e: Error) => void = () => undefined
    let markClosed: () => void = () => undefined
    const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (markFailed = reject)))
    ready.catch(() => undefined)
    const closed = new Promise<void>((resolve) => (markClosed = resolve))
    const post = (message: ToCoreWorker) => worker.postMessage(message)
    let opened = false
    worker.on('message', (message: FromCoreWorker) => {
      switch (message.kind) {
        case 'ready':
          opened = true
          catalogErrors = message.catalogErrors
          return markReady()
        case 'failed':
          failure = message.error
          return markFailed(new CoreWorkerFailed(message.error))
        case 'closed':
          return markClosed()
        case 'answer': {
          const resolve = waiting.get(message.id)
          waiting.delete(message.id)
          return resolve?.(message.result)
        }
        case 'event':
          for (const listener of listeners.get(message.event) ?? []) (listener as (payload: unknown) => void)(message.payload)
          return
        case 'port':
          servePort(options, message.method, message.args).then(
            (value) => post({ kind: 'port-answer', id: message.id, result: { ok: true, value } }),
            (error: unknown) => post({ kind: 'port-answer', id: message.id, result: { ok: false, error: toErrorBody(error) } }),
          )
      }
    })
    worker.on('error', (error) => console.error('[pathwise] the core worker failed', error))
    worker.on('exit', (code) => {
      markFailed(new Error(`the core worker exited with ${code} before it was ready`))
      markClosed()
      if (running?.worker !== worker) return
      for (const resolve of waiting.values()) resolve(restarted)
      waiting.clear()
      running = null
      // One that never opened (the database became unreadable, …) is not started again and again: the
      // calls that follow answer with its reason.
      if (closing || !opened) return
      // Started again at once, so events and the sync go on; a worker that cannot even open answers
      // its calls with the reason (ready rejects, see ask).
      running = spawn()
      for (const control of controls) running.worker.postMessage({ kind: 'control', control } satisfies ToCoreWorker)
      options.onRestart?.(code)
    })
    return { worker, ready, closed }
  }

  let running: Running | null = spawn()
  const first = running
  try {
    await first.ready
  } catch (error) {
    closing = true
    await first.worker.terminate()
    throw error
  }
  const updaterEvents = options.updater?.onEvent((event) => running?.worker.postMessage({ kind: 'updater-event', event } satisfies ToCoreWorker))

  /** Posts one request that the worker answers with an `answer` of the same id. */
  function ask(request: (id: number) => ToCoreWorker): Promise<Result<unknown>> {
    if (closing) return Promise.resolve(closedAnswer)
    if (!running) return Promise.resolve({ ok: false, error: failure ?? restartedError })
    const current = running
    return new Promise((resolve) => {
      const id = nextId++
      waiting.set(id, resolve as (result: Result<unknown>) => void)
      // A worker that failed to open answers with its reason; the message never reaches it.
      current.ready.catch((error: unknown) => {
        if (!waiting.delete(id)) return
        resolve({ ok: false, error: error instanceof CoreWorkerFailed ? error.body : restartedError })
      })
      try {
        current.worker.postMessage(request(id))
      } catch {
        // Structured clone refused the input (a function, a symbol): the contract would refuse it too.
        waiting.delete(id)
        resolve({ ok: false, error: { code: 'INVALID', message: 'This request cannot be sent to the core.' } })
      }
    })
  }

  const dispatch: Dispatch = (channel, payload) => ask((id) => ({ kind: 'call', id, channel, input: payload }) as ToCoreWorker)

  return {
    syncs: options.sync !== undefined,
    verifyLink: (input) => ask((id) => ({ kind: 'verifyLink', id, input })),
    get worker() {
      if (!running) throw new Error('the core worker is closed')
      return running.worker
    },
    get catalogErrors() {
      return catalogErrors
    },
    call: (channel, input) => dispatch(channel, input) as Promise<CallResult<typeof channel>>,
    dispatch,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as (payload: never) => void)
      return () => set.delete(listener as (payload: never) => void)
    },
    control(control) {
      if (control !== 'sync.notifyOnline') controls.add(control)
      running?.worker.postMessage({ kind: 'control', control } satisfies ToCoreWorker)
    },
    async close(closeOptions = {}) {
      if (closing) return
      closing = true
      updaterEvents?.()
      const current = running
      if (!current) return
      current.worker.postMessage({ kind: 'close', abortSync: closeOptions.abortSync ?? false } satisfies ToCoreWorker)
      await current.closed
      await current.worker.terminate()
      running = null
    },
  }
}
