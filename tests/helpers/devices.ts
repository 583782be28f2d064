/**
 * Learner devices for sync tests: each a real core over its own LibSQL file, signed in to a real sync
 * server process through the emailed code. Syncs only when the test says so (the automatic triggers
 * are pushed far into the future), so every interleaving is chosen by the test.
 */
import { join } from 'node:path'
import { loadCatalog, type Catalog } from '../../electron/core/catalog/catalog'
import { openCore, type Core } from '../../electron/core/core'
import type { Clock } from '../../electron/core/clock'
import { createFileTokenStore } from '../../electron/core/sync/token-store'
import { tempDir } from './core'
import { COURSES_DIR, MIGRATIONS_DIR } from './paths'
import { latestCode, type TestServer } from './server'

const NEVER = 2_000_000_000 // ms: longer than any test, within setTimeout's range

// Loaded once per test process: every device reads the same bundled packs.
let catalog: Promise<Catalog> | null = null

export interface Device {
  core: Core
  dataDir: string
  /** Closes and opens the device again on the same folder, as after a restart. */
  restart(): Promise<void>
  signIn(email: string): Promise<void>
  sync(): Promise<void>
  close(): void
}

export interface DeviceOptions {
  /** Another courses folder than the bundled packs (the server must be started on the same one). */
  coursesDir?: string
  /** The core's random source (deps.random): two devices given the same one draw the same attempts. */
  random?: () => number
}

export async function openDevice(
  server: Pick<TestServer, 'url' | 'mailDir'> & Partial<TestServer>,
  clock: Clock,
  dataDir?: string,
  options: DeviceOptions = {},
): Promise<Device> {
  const dir = dataDir ?? (await tempDir('pathwise-device-'))
  const coursesDir = options.coursesDir ?? COURSES_DIR
  catalog ??= loadCatalog(COURSES_DIR)
  const packs = coursesDir === COURSES_DIR ? await catalog : await loadCatalog(coursesDir)
  const open = () =>
    openCore({
      dataDir: dir,
      coursesDir,
      catalog: packs,
      migrationsDir: MIGRATIONS_DIR,
      clock,
      random: options.random,
      timezone: 'UTC',
      sync: {
        serverUrl: server.url,
        tokens: createFileTokenStore(join(dir, 'session-token')),
        timings: { debounceMs: NEVER, periodMs: NEVER, backoffBaseMs: NEVER, backoffMaxMs: NEVER },
      },
    })
  const device: Device = {
    core: await open(),
    dataDir: dir,
    async restart() {
      await device.core.sync?.idle()
      device.core.close()
      device.core = await open()
    },
    async signIn(email) {
      await device.core.services.account.start({ email })
      const code = await latestCode(server as TestServer, email)
      await device.core.services.account.verify({ email, code })
      await device.core.sync?.idle()
    },
    async sync() {
      await device.core.services.account.syncNow()
    },
    close() {
      device.core.close()
    },
  }
  return device
}

const LEARNER_TABLES = ['users', 'user_profiles', 'course_enrollments', 'lesson_progress', 'user_activities', 'user_achievements', 'pressure_room_attempts'] as const

/** Everything a learner has, table by table, in a stable order: equal snapshots mean equal data. */
export async function learnerSnapshot(core: Core): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {}
  for (const table of LEARNER_TABLES) {
    // An attempt still open is a local draft; it reaches other devices once submitted.
    const where = table === 'pressure_room_attempts' ? ' WHERE submitted_at IS NOT NULL' : ''
    const rows = (await core.db.client.execute(`SELECT * FROM ${table}${where}`)).rows.map((r) => ({ ...r }) as Record<string, unknown>)
    snapshot[table] = rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
  }
  return snapshot
}
