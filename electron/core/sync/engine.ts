/**
 * The sync engine: pushes the outbox in order and in batches, then pulls until up to date. It runs
 * at start-up, when the connection comes back, a few seconds after each local change, every few
 * minutes and on "Sync now"; never two at once; with exponential backoff and jitter after failures.
 */
import type { Catalog } from '../catalog/catalog'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db } from '../db/database'
import { AppError, Unauthorized } from '../errors'
import { listOutbox, outboxSize, setAside, setAsideCount } from '../repositories/outbox'
import { acknowledge, applyPullPage } from './apply-pull'
import { readAccount, readCursor, readPendingLink, type Account } from './account'
import { Offline, ServerRefused, type SyncHttp } from './http'
import { MAX_PUSH_BATCH } from './protocol'
import type { TokenStore } from './token-store'

import type { SyncStatusView } from '../contract/types'

/** pending: local changes the server has not acknowledged; lastSyncAt: epoch ms of the last good sync. */
export type SyncStatus = SyncStatusView

export interface SyncTimings {
  /** Wait after a local change before syncing, so a burst of changes goes in one push. */
  debounceMs: number
  /** Sync this often while signed in. */
  periodMs: number
  backoffBaseMs: number
  backoffMaxMs: number
}

export const DEFAULT_TIMINGS: SyncTimings = { debounceMs: 3_000, periodMs: 5 * 60_000, backoffBaseMs: 2_000, backoffMaxMs: 5 * 60_000 }

export interface SyncEngineDeps {
  db: Db
  catalog: Catalog
  clock: Clock
  http: SyncHttp
  tokens: TokenStore
  timings?: Partial<SyncTimings>
  random?: () => number
}

/** Full-jitter exponential backoff: a random wait up to base·2^failures, capped. */
export function backoffDelay(failures: number, t: Pick<SyncTimings, 'backoffBaseMs' | 'backoffMaxMs'>, random: () => number): number {
  return Math.floor(random() * Math.min(t.backoffMaxMs, t.backoffBaseMs * 2 ** Math.min(failures, 30)))
}

/** The run was aborted for shutdown (stopAndDrain); never reaches a caller. */
class SyncAborted extends Error {}

export function createSyncEngine(deps: SyncEngineDeps) {
  const { db, catalog, clock, http, tokens } = deps
  const timings = { ...DEFAULT_TIMINGS, ...deps.timings }
  const random = deps.random ?? Math.random
  const listeners = new Set<(status: SyncStatus) => void>()
  let status: SyncStatus = { state: 'signed-out', pending: 0, setAside: 0, lastSyncAt: null, lastError: null, email: null, tokenKept: null }
  let running: Promise<void> | null = null
  let again = false
  let failures = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  let periodic: ReturnType<typeof setInterval> | null = null
  let stopped = true
  /** Aborted by stopAndDrain({ signal }): the run in progress ends at its next step and writes nothing more. */
  let abort = new AbortController()
  /** Callers waiting for the next run's first status (a sign-in answers with it, not the one before). */
  const statusWaiters: (() => void)[] = []

  async function publish(patch: Partial<SyncStatus>): Promise<void> {
    const [[pending, setAsideNow], tokenKept] = await Promise.all([db.read((q) => Promise.all([outboxSize(q), setAsideCount(q)])), tokens.kept()])
    status = { ...status, ...patch, pending, setAside: setAsideNow, tokenKept }
    for (const listener of listeners) listener(status)
  }

  function schedule(ms: number): void {
    if (stopped) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      void syncNow()
    }, ms)
  }

  /** A network answer or a step of the run, given up on as soon as the run is aborted. */
  function unlessAborted<T>(step: Promise<T>): Promise<T> {
    const signal = abort.signal
    if (signal.aborted) return Promise.reject(new SyncAborted())
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new SyncAborted())
      signal.addEventListener('abort', onAbort, { once: true })
      step.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }

  async function push(account: Account, token: string): Promise<void> {
    for (;;) {
      if (abort.signal.aborted) throw new SyncAborted()
      const batch = await db.read((q) => listOutbox(q, MAX_PUSH_BATCH))
      if (batch.length === 0) return
      const mutations = batch.map((m) => ({ id: m.seq, name: m.name, args: JSON.parse(m.args) as unknown, createdAt: m.createdAt }))
      try {
        const { lastMutationId } = await unlessAborted(http.push(token, { clientId: account.clientId, mutations }))
        await db.write((tx) => acknowledge(tx, lastMutationId))
      } catch (error) {
        if (!(error instanceof ServerRefused) || error.mutationId === undefined) throw error
        // The server applied what came before the refused change and nothing after it. The refused one
        // would be refused again forever and hold back everything behind it: it is set aside, with the
        // server's reason, and the push goes on. The pull that follows puts the server's rows back.
        const refused = error.mutationId
        await db.write(async (tx) => {
          await acknowledge(tx, error.lastMutationId ?? 0)
          await setAside(tx, refused, error.message, nowSeconds(clock))
        })
      }
      await publish({})
    }
  }

  /**
   * Pulls pages until the server has no more. The next page is fetched while this one is written,
   * so the server, the network and the local database work at the same time on a long first sync.
   */
  async function pull(account: Account, token: string): Promise<void> {
    const fetchPage = (cursor: string | null) => {
      const page = http.pull(token, { clientId: account.clientId, cursor })
      page.catch(() => undefined) // awaited below; a failure while a page is being written is reported then
      return page
    }
    let changed = false
    let next = fetchPage((await db.read((q) => readCursor(q))) || null)
    for (;;) {
      const page = await unlessAborted(next)
      if (page.hasMore) next = fetchPage(page.cursor)
      changed ||= page.changes.length > 0
      const refresh = changed && !page.hasMore
      await db.write((tx, raw) => applyPullPage(tx, raw, { userId: account.userId, catalog, nowSeconds: nowSeconds(clock) }, page, refresh))
      if (!page.hasMore) return
    }
  }

  /** `announced` is called once this run has published who is signed in, before any network call. */
  async function runOnce(announced: () => void): Promise<void> {
    // The token before the database: a link sign-in clears the token, records the waiting account, then
    // saves the new token, so a run never pairs the new account's token with the old account.
    const token = await tokens.load()
    const [account, waiting] = await db.read((q) => Promise.all([readAccount(q), readPendingLink(q)]))
    // A sign-in link's account the learner has not confirmed: nothing is sent or fetched until they do.
    if (waiting && token) {
      await publish({ state: 'awaiting-confirmation', email: waiting.email, lastError: null })
      return
    }
    if (!account || !token) {
      await publish({ state: 'signed-out', email: null })
      return
    }
    await publish({ state: 'syncing', email: account.email })
    announced()
    try {
      await push(account, token)
      await pull(account, token)
      failures = 0
      await publish({ state: 'up-to-date', lastSyncAt: clock.now(), lastError: null })
    } catch (error) {
      // Shutting down: the database is about to close, so nothing more is written or published.
      if (error instanceof SyncAborted) return
      if (error instanceof Unauthorized) {
        await tokens.clear()
        await publish({ state: 'signed-out', lastError: 'Your session ended. Sign in again to keep syncing.' })
        return
      }
      failures++
      const offline = error instanceof Offline
      const message = error instanceof AppError ? error.message : 'Sync failed unexpectedly.'
      await publish({ state: offline ? 'offline' : 'error', lastError: offline ? null : message })
      schedule(backoffDelay(failures, timings, random))
    }
  }

  /** Syncs now, or right after the sync in progress (never two at once). */
  async function syncNow(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        const waiters = statusWaiters.splice(0)
        const announced = () => {
          for (const resolve of waiters.splice(0)) resolve()
        }
        // Every return and failure of the run releases its waiters too; the early returns publish first.
        await runOnce(announced).finally(announced)
      } while (again && !stopped)
    })().finally(() => {
      running = null
      // Stopped before the run they waited for: they answer with the status as it is.
      for (const resolve of statusWaiters.splice(0)) resolve()
    })
    return running
  }

  /** Starts the triggers: a sync now, then every few minutes. */
  function start(): void {
    stopped = false
    periodic ??= setInterval(() => void syncNow(), timings.periodMs)
    void syncNow()
  }

  function stop(): void {
    stopped = true
    if (timer) clearTimeout(timer)
    if (periodic) clearInterval(periodic)
    timer = null
    periodic = null
  }

  return {
    status: () => status,
    subscribe(listener: (status: SyncStatus) => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start,
    /**
     * Starts the triggers and resolves once the sync this starts has published its first status (who
     * is signed in, 'syncing'), without waiting for the server: a sign-in answers with that status.
     */
    startAndAnnounce(): Promise<void> {
      const announced = new Promise<void>((resolve) => statusWaiters.push(resolve))
      start()
      return announced
    },
    stop,
    /**
     * Stops the triggers and resolves once no sync runs, so the database can close under nothing. A
     * running sync finishes, unless `signal` aborts: it then stops at its next step (a network answer
     * it waits for is given up on; a page or batch being written is committed or not, never half).
     */
    async stopAndDrain(options: { signal?: AbortSignal } = {}): Promise<void> {
      stop()
      const { signal } = options
      const current = abort
      const onAbort = () => current.abort()
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort, { once: true })
      try {
        await (running ?? Promise.resolve())
      } finally {
        signal?.removeEventListener('abort', onAbort)
        // A later start() runs again normally.
        if (current === abort) abort = new AbortController()
      }
    },
    /** A local write happened: sync shortly, once the burst is over. */
    notifyLocalChange(): void {
      void publish({})
      schedule(timings.debounceMs)
    },
    /** The operating system reports a connection again. */
    notifyOnline(): void {
      failures = 0
      schedule(0)
    },
    syncNow,
    /** Waits for the sync in progress, if any (tests and shutdown). */
    idle: () => running ?? Promise.resolve(),
  }
}

export type SyncEngine = ReturnType<typeof createSyncEngine>
