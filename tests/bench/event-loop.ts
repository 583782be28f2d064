/**
 * The calling thread's event-loop lag (what Electron's main would feel: windows, IPC) while the core
 * works hard: a 50k-row first pull, and the backup taken before a schema upgrade of a heavy learner's
 * database. Each is measured with the core on the calling thread (the baseline) and in its worker
 * (electron/core/worker), in the same run. Target with the worker: p99 ≤ 10 ms, max ≤ 50 ms.
 */
import { copyFile, cp, mkdir, readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { loadCatalog } from '../../electron/core/catalog/catalog'
import type { SyncStatusView } from '../../electron/core/contract/types'
import { DATABASE_FILE, openCore } from '../../electron/core/core'
import { createFileTokenStore } from '../../electron/core/sync/token-store'
import { startCoreWorker } from '../../electron/core/worker/client'
import { tempDir } from '../helpers/core'
import { COURSES_DIR, MIGRATIONS_DIR } from '../helpers/paths'
import { latestCode, signIn, startServer } from '../helpers/server'
import { benchCatalog, seedHeavyLearner } from './heavy-learner'
import { lagDuring, round, type BenchResult } from './measure'
import { heavyLearnerRows, seedServer } from './sync-pull'
import { note } from './sync-util'

const NEVER = 2_000_000_000
const timings = { debounceMs: NEVER, periodMs: NEVER, backoffBaseMs: NEVER, backoffMaxMs: NEVER }

function results(label: string, where: string, lag: { p99: number; max: number }): BenchResult[] {
  return [
    { name: `event-loop lag p99, ${label}, core ${where}`, value: lag.p99, unit: 'ms' },
    { name: `event-loop lag max, ${label}, core ${where}`, value: lag.max, unit: 'ms' },
  ]
}

async function benchPullLag(): Promise<BenchResult[]> {
  const server = await startServer()
  try {
    const email = `lag-pull-${Date.now()}@example.com`
    const { user } = await signIn(server, email)
    const catalog = await loadCatalog(COURSES_DIR)
    const logged = await seedServer(join(server.dir, 'server.db'), user.id, heavyLearnerRows(user.id, catalog, Math.floor(Date.now() / 1000)))
    note(`lag: the server holds ${logged} rows of the learner`)

    // Baseline: the core on this thread signs in and pulls it all.
    const mainDir = await tempDir('pathwise-lag-')
    const core = await openCore({ dataDir: mainDir, coursesDir: COURSES_DIR, catalog, migrationsDir: MIGRATIONS_DIR, timezone: 'UTC', sync: { serverUrl: server.url, tokens: createFileTokenStore(join(mainDir, 'token')), timings } })
    await core.services.account.start({ email })
    const code = await latestCode(server, email)
    const onThread = await lagDuring(async () => {
      await core.services.account.verify({ email, code })
      await core.sync?.idle()
    })
    if (core.sync?.status().state !== 'up-to-date') throw new Error(`the baseline pull did not finish: ${JSON.stringify(core.sync?.status())}`)
    core.close()
    await rm(mainDir, { recursive: true, force: true })

    // The same pull in the worker.
    const workerDir = await tempDir('pathwise-lag-')
    const worker = await startCoreWorker({ dataDir: workerDir, coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR, timezone: 'UTC', sync: { serverUrl: server.url, tokens: createFileTokenStore(join(workerDir, 'token')), timings } })
    await worker.call('auth.start', { email })
    const workerCode = await latestCode(server, email)
    let last: SyncStatusView | null = null
    const inWorker = await lagDuring(async () => {
      const done = new Promise<void>((resolve) =>
        worker.on('sync.status', (status) => {
          last = status
          if (status.state !== 'syncing') resolve()
        }),
      )
      const verified = await worker.call('auth.verify', { email, code: workerCode })
      if (!verified.ok) throw new Error(verified.error.message)
      await done
    })
    if ((last as SyncStatusView | null)?.state !== 'up-to-date') throw new Error(`the worker pull did not finish: ${JSON.stringify(last)}`)
    await worker.close()
    await rm(workerDir, { recursive: true, force: true })
    note(`lag: pull took ${onThread.ms} ms on the thread, ${inWorker.ms} ms in the worker`)
    return [...results('50k-row first pull', 'on the calling thread', onThread), ...results('50k-row first pull', 'in a worker', inWorker)]
  } finally {
    await server.stop()
  }
}

/** A heavy learner's database one schema version behind, so opening it backs it up and migrates it. */
async function oldHeavyDatabase(dir: string): Promise<string> {
  const oldMigrations = join(dir, 'old-migrations')
  await mkdir(oldMigrations)
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort()
  for (const file of files.slice(0, -1)) await copyFile(join(MIGRATIONS_DIR, file), join(oldMigrations, file))
  const made = join(dir, 'made')
  const core = await openCore({ dataDir: made, coursesDir: COURSES_DIR, catalog: benchCatalog(), migrationsDir: oldMigrations, timezone: 'UTC' })
  await seedHeavyLearner(core, Math.floor(Date.now() / 1000))
  await core.db.client.execute('PRAGMA wal_checkpoint(TRUNCATE)')
  core.close()
  return made
}

async function benchBackupLag(): Promise<BenchResult[]> {
  const dir = await tempDir('pathwise-lag-')
  try {
    const made = await oldHeavyDatabase(dir)
    note(`lag: the heavy learner's database is ${round((await stat(join(made, DATABASE_FILE))).size / 1e6, 1)} MB`)
    const copy = async (name: string) => {
      const to = join(dir, name)
      await cp(made, to, { recursive: true })
      return to
    }
    const mainDir = await copy('on-thread')
    const workerDir = await copy('in-worker')
    const onThread = await lagDuring(async () => {
      const core = await openCore({ dataDir: mainDir, coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR, timezone: 'UTC' })
      if (!core.db.backupFile) throw new Error('the baseline open took no backup')
      core.close()
    })
    const inWorker = await lagDuring(async () => {
      const worker = await startCoreWorker({ dataDir: workerDir, coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR, timezone: 'UTC' })
      await worker.close()
    })
    const backups = (await readdir(workerDir)).filter((f) => f.startsWith(`${DATABASE_FILE}.v`) && f.endsWith('.bak'))
    if (backups.length !== 1) throw new Error(`the worker's open took ${backups.length} backups`)
    note(`lag: backup and upgrade took ${onThread.ms} ms on the thread, ${inWorker.ms} ms with the worker (its start included)`)
    return [...results('backup before upgrade', 'on the calling thread', onThread), ...results('backup before upgrade', 'in a worker', inWorker)]
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export async function benchEventLoopLag(): Promise<BenchResult[]> {
  return [...(await benchPullLag()), ...(await benchBackupLag())]
}
