/**
 * Composition root of the core: open the database, load the catalog, make sure a learner exists and
 * build every service. Electron's main process and the loopback host run it in a worker thread
 * (electron/core/worker/, startCoreWorker); the tests mostly call it directly.
 */
import { join } from 'node:path'
import { loadCatalog, type Catalog } from './catalog/catalog'
import { nowSeconds, systemClock, systemTimezone, type Clock } from './clock'
import { openDatabase, type Db } from './db/database'
import { ensurePrivateDir } from './files/private-files'
import { createAchievementsService } from './services/achievements'
import { createActivitiesService } from './services/activities'
import { createCoursesService } from './services/courses'
import type { ServiceDeps } from './services/deps'
import { ensureLearner } from './services/learner'
import { createPressureRoomService } from './services/pressure-room'
import { createProfileService } from './services/profile'
import { createStatsService } from './services/stats'
import { createAccountService, type AccountServiceDeps } from './services/account'
import { createSyncEngine, type SyncEngine, type SyncTimings } from './sync/engine'
import { createSyncHttp } from './sync/http'
import type { TokenStore } from './sync/token-store'
import { hasOpenAttempt } from './repositories/attempts'
import { DEADLINE_GRACE_SECONDS } from './services/pressure-room'
import { createExportService } from './services/export'
import { createSaveExportService } from './services/save-export'
import type { SaveDialogPort } from './files/save-dialog'
import { createSettingsService, readAppSettings } from './services/settings'
import { createUpdatesService } from './services/updates'
import { createUpdateController, type UpdateController } from './updates/controller'
import type { UpdaterPort } from './updates/port'
import { createSqlRunner, type SqlRunner, type SqlRunnerOptions } from './sql/runner'
import { createSqlPlaygroundService } from './services/sql-playground'

export const DATABASE_FILE = 'pathwise.db'

export interface CoreOptions {
  /** The data folder (userData, or PATHWISE_DATA_DIR): database, logs and settings live here. */
  dataDir: string
  /** Folder of bundled course packs; ignored when `catalog` is given (benchmarks build their own). */
  coursesDir: string
  catalog?: Catalog
  migrationsDir: string
  clock?: Clock
  /** Timezone for a brand-new learner; defaults to the operating system's. */
  timezone?: string
  random?: () => number
  /** The sync server and where the session token is kept; without it the app works offline only. */
  sync?: { serverUrl: string; tokens: TokenStore; timings?: Partial<SyncTimings> }
  /**
   * The app's own updater (electron-updater in the packaged app, see electron/main/updater.ts). Without
   * it (development, the loopback host, tests) updates report 'unsupported' and are never checked.
   */
  updater?: UpdaterPort
  /**
   * Where "Export my data" asks for a place to save (Electron's save dialog, electron/main/save-dialog.ts).
   * Without it (the loopback host, tests) data.saveExport answers UNSUPPORTED and the browser downloads.
   */
  saveDialog?: SaveDialogPort
  /** The SQL runner's limits (tests shorten its time limit). */
  sql?: SqlRunnerOptions
}

/** What every learner's services share: this computer's preferences, the app's own updates, its save dialog. */
export interface DeviceDeps {
  updates: UpdateController
  saveDialog?: SaveDialogPort
  /** The core's one SQL runner, made at its first use. */
  sqlRunner: () => SqlRunner
}

export function createServices(deps: ServiceDeps, account: AccountServiceDeps, device: DeviceDeps) {
  const exporter = createExportService(deps)
  return {
    profile: createProfileService(deps),
    courses: createCoursesService(deps, device.sqlRunner),
    sql: createSqlPlaygroundService({ catalog: deps.catalog, runner: device.sqlRunner }),
    stats: createStatsService(deps),
    activities: createActivitiesService(deps),
    achievements: createAchievementsService(deps),
    pressureRoom: createPressureRoomService(deps),
    account: createAccountService(account),
    settings: createSettingsService({ db: deps.db, onChange: (settings) => device.updates.setEnabled(settings.autoUpdate) }),
    updates: createUpdatesService(device.updates),
    data: { ...exporter, ...createSaveExportService({ exportData: exporter.export, dialog: device.saveDialog }) },
  }
}

export type Services = ReturnType<typeof createServices>

export interface Core {
  db: Db
  catalog: Catalog
  /** The learner this device works for: the local learner, or the account's after sign-in. */
  readonly userId: string
  readonly services: Services
  /** Null when no sync server is configured. */
  sync: SyncEngine | null
  /** The app's own updates; main starts it (wireAutoUpdates) in the packaged app. */
  updates: UpdateController
  close(): void
}

export async function openCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock
  // The learner's alone (0700): their database, logs and settings live here (files/private-files.ts).
  ensurePrivateDir(options.dataDir)
  const catalog = options.catalog ?? (await loadCatalog(options.coursesDir))
  const db = await openDatabase({ file: join(options.dataDir, DATABASE_FILE), migrationsDir: options.migrationsDir, now: nowSeconds(clock) })
  try {
    let userId = await ensureLearner(db, options.timezone ?? systemTimezone(), nowSeconds(clock))
    const updates = createUpdateController({
      port: options.updater,
      enabled: (await db.read(readAppSettings)).autoUpdate,
      clock,
      // Reads the current learner at each call: signing in switches userId.
      isPressureRoomOpen: () => db.read((q) => hasOpenAttempt(q, userId, nowSeconds(clock) - DEADLINE_GRACE_SECONDS)),
      log: (message) => console.warn(message),
    })
    const sync = options.sync
      ? (() => {
          const http = createSyncHttp(options.sync.serverUrl)
          const engine = createSyncEngine({ db, catalog, clock, http, tokens: options.sync.tokens, timings: options.sync.timings })
          return { http, tokens: options.sync.tokens, engine }
        })()
      : null
    // Its worker (and the SQL engine's memory) exists only once a learner runs or checks SQL.
    let sqlRunner: SqlRunner | null = null
    const runner = () => (sqlRunner ??= createSqlRunner(options.sql))
    const build = (learner: string): Services =>
      createServices(
        { db, catalog, clock, userId: learner, random: options.random, onCommit: () => sync?.engine.notifyLocalChange() },
        {
          db,
          catalog,
          sync,
          onLearnerChanged: (id) => {
            userId = id
            services = build(id)
          },
        },
        { updates, saveDialog: options.saveDialog, sqlRunner: runner },
      )
    let services = build(userId)
    return {
      db,
      catalog,
      get userId() {
        return userId
      },
      get services() {
        return services
      },
      sync: sync?.engine ?? null,
      updates,
      close: () => {
        updates.stop()
        sync?.engine.stop()
        // Queued runs finish, then its worker stops; nothing of it touches the database.
        void sqlRunner?.close()
        db.close()
      },
    }
  } catch (e) {
    db.close()
    throw e
  }
}
