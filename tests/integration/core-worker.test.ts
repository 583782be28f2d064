/**
 * The core in a worker thread (electron/core/worker): contract calls cross the one message protocol,
 * the host's ports answer the worker's requests, a worker that dies is replaced without losing an
 * acknowledged write, and closing lets a sync finish or aborts it before the database closes.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import Database from 'libsql'
import { openDatabase } from '../../electron/core/db/database'
import { readMigrations } from '../../electron/core/db/migrate'
import { DATABASE_FILE } from '../../electron/core/core'
import { listOutbox } from '../../electron/core/repositories/outbox'
import { createMemoryTokenStore } from '../../electron/core/sync/token-store'
import type { SyncStatusView } from '../../electron/core/contract/types'
import { CORE_RESTARTED, CoreWorkerFailed, startCoreWorker, type CoreWorker, type CoreWorkerOptions } from '../../electron/core/worker/client'
import { tempDir } from '../helpers/core'
import { fakeUpdater } from '../helpers/updater'
import { COURSES_DIR, MIGRATIONS_DIR } from '../helpers/paths'
import { latestCode, startServer, type TestServer } from '../helpers/server'

const NEVER = 2_000_000_000
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function start(options: Partial<CoreWorkerOptions> = {}): Promise<CoreWorker & { dataDir: string }> {
  const dataDir = options.dataDir ?? (await tempDir('pathwise-worker-'))
  const core = await startCoreWorker({ dataDir, coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR, timezone: 'UTC', ...options })
  cleanups.push(async () => {
    await core.close()
    await rm(dataDir, { recursive: true, force: true })
  })
  return Object.assign(core, { dataDir })
}

/** The outbox as the database file holds it, read over a connection of the test's own. */
async function outboxArgs(dataDir: string): Promise<string[]> {
  const db = await openDatabase({ file: join(dataDir, DATABASE_FILE), migrationsDir: MIGRATIONS_DIR })
  try {
    return (await db.read((q) => listOutbox(q))).map((row) => row.args)
  } finally {
    db.close()
  }
}

/** Resolves with the first event that passes `test` (tests wait on conditions, not sleeps). */
function nextStatus(core: CoreWorker, test: (status: SyncStatusView) => boolean): Promise<SyncStatusView> {
  return new Promise((resolve) => {
    const stop = core.on('sync.status', (status) => {
      if (!test(status)) return
      stop()
      resolve(status)
    })
  })
}

describe('the core worker', () => {
  it('answers contract calls with their Result, and bad input with a typed error', async () => {
    const core = await start()
    const profile = await core.call('profile.get', undefined)
    expect(profile.ok).toBe(true)
    const updated = await core.call('profile.update', { name: 'Ada' })
    expect(updated).toMatchObject({ ok: true, value: { name: 'Ada' } })
    expect(await core.call('profile.update', { name: '' })).toMatchObject({ ok: false, error: { code: 'INVALID' } })
    // @ts-expect-error: a channel the contract does not have
    expect(await core.call('nope.nothing', undefined)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('refuses to start with the core\'s own reason when the database cannot be opened', async () => {
    const dataDir = await tempDir('pathwise-worker-')
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
    const made = await startCoreWorker({ dataDir, coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR })
    await made.close()
    // A newer Pathwise recorded a migration this one does not know.
    const raw = new Database(join(dataDir, DATABASE_FILE))
    raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from_the_future', 0)").run((await readMigrations(MIGRATIONS_DIR)).length + 1)
    raw.close()
    const failed = await startCoreWorker({ dataDir, coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR }).then(
      () => null,
      (error: unknown) => error,
    )
    expect(failed).toBeInstanceOf(CoreWorkerFailed)
    expect(failed).toMatchObject({ code: 'DB_TOO_NEW', body: { code: 'DB_TOO_NEW' }, message: expect.stringContaining('newer version of Pathwise') as string })
  })

  it('saves an export through the host save dialog port', async () => {
    const dataDir = await tempDir('pathwise-worker-')
    const target = join(dataDir, 'export.json')
    const asked: string[] = []
    const core = await start({ dataDir, saveDialog: { chooseExportPath: (name) => (asked.push(name), Promise.resolve(target)) } })
    const saved = await core.call('data.saveExport', undefined)
    expect(saved.ok).toBe(true)
    expect(asked).toHaveLength(1)
    expect(JSON.parse(await readFile(target, 'utf8'))).toMatchObject({ format: 'pathwise-export' })
  })

  it('runs the host updater port: calls go to the host, its events come back as update status', async () => {
    const updater = fakeUpdater({ version: '1.2.3' })
    const core = await start({ updater: updater.port })
    const statuses: string[] = []
    core.on('updates.status', (status) => statuses.push(status.state))
    const checked = await core.call('updates.check', undefined)
    expect(checked).toMatchObject({ ok: true, value: { state: 'checking', currentVersion: '1.2.3' } })
    expect(updater.calls.check).toBe(1)
    const available = new Promise<void>((resolve) => core.on('updates.status', (s) => s.state === 'downloading' && resolve()))
    updater.emit({ type: 'available', version: '1.3.0' })
    await available
    // The worker's download request reaches the host's updater.
    await vi.waitFor(() => expect(updater.calls.download).toBe(1))
    expect(statuses).toContain('checking')
  })

  it('restarts a worker killed in a burst of writes; every write answered ok is in the database', async () => {
    const restarts: number[] = []
    const core = await start({ onRestart: (code) => restarts.push(code) })
    const names = Array.from({ length: 60 }, (_, i) => `Learner ${i}`)
    let answered = 0
    const first = core.worker
    const results = names.map((name) =>
      core.call('profile.update', { name }).then((result) => {
        // Killed once a few writes are acknowledged and the rest are still queued or running.
        if (++answered === 10) void first.terminate()
        return result
      }),
    )
    const settled = await Promise.all(results)
    const ok = names.filter((_, i) => settled[i]?.ok)
    const refused = settled.filter((r) => !r.ok)
    expect(ok.length).toBeGreaterThanOrEqual(10)
    expect(refused.length).toBeGreaterThan(0)
    for (const r of refused) expect(r).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: CORE_RESTARTED } })
    expect(restarts).toHaveLength(1)
    expect(core.worker).not.toBe(first)
    // The new worker answers, over the same database.
    expect(await core.call('profile.update', { name: 'After restart' })).toMatchObject({ ok: true })
    await core.close()
    const outbox = (await outboxArgs(core.dataDir)).join('\n')
    for (const name of ok) expect(outbox).toContain(JSON.stringify(name))
    expect(outbox).toContain('After restart')
  })

  describe('with a sync server', () => {
    let server: TestServer
    afterEach(async () => server.stop())
    const timings = { debounceMs: NEVER, periodMs: NEVER, backoffBaseMs: NEVER, backoffMaxMs: NEVER }

    async function signedIn() {
      server = await startServer()
      const tokens = createMemoryTokenStore()
      const core = await start({ sync: { serverUrl: server.url, tokens, timings } })
      const email = 'worker@example.com'
      expect(await core.call('auth.start', { email })).toMatchObject({ ok: true })
      const verified = await core.call('auth.verify', { email, code: await latestCode(server, email) })
      expect(verified.ok).toBe(true)
      return { core, tokens }
    }

    it('keeps the token in the host token store and forwards sync status events', async () => {
      const { core, tokens } = await signedIn()
      // The worker saved the session through the host's store.
      expect(await tokens.load()).toMatch(/.+/)
      const upToDate = nextStatus(core, (s) => s.state === 'up-to-date' && s.pending === 0)
      await core.call('profile.update', { name: 'Synced' })
      expect(await core.call('sync.now', undefined)).toMatchObject({ ok: true })
      await upToDate
    })

    it('close() lets a running sync finish before the database closes', async () => {
      const { core } = await signedIn()
      await core.call('profile.update', { name: 'Pushed on close' })
      const syncing = nextStatus(core, (s) => s.state === 'syncing')
      core.control('sync.start')
      await syncing
      await core.close()
      // The push finished before the close: nothing is left waiting in the outbox.
      expect(await outboxArgs(core.dataDir)).toEqual([])
    })

    it('close({ abortSync }) gives up on a sync waiting for a server that never answers', async () => {
      const { core, tokens } = await signedIn()
      await core.close()
      // The same device, now pointed at a server that takes the request and never answers.
      const stalled: Server = createServer(() => undefined)
      await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve))
      cleanups.push(() => new Promise((resolve) => (stalled.closeAllConnections(), stalled.close(() => resolve()))))
      const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`
      const again = await startCoreWorker({ dataDir: core.dataDir, coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR, sync: { serverUrl: url, tokens, timings } })
      await again.call('profile.update', { name: 'Still waiting' })
      const syncing = nextStatus(again, (s) => s.state === 'syncing')
      again.control('sync.start')
      await syncing
      await again.close({ abortSync: true })
      // Closed cleanly: the write is still there for the next sync.
      expect((await outboxArgs(core.dataDir)).join('\n')).toContain('Still waiting')
    })
  })
})
