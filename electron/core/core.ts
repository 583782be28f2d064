/**
 * Composition root of the core: open the database, load the catalog, make sure a learner exists and
 * build every service. Electron's main process, the loopback host and the tests all start here.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { loadCatalog, type Catalog } from './catalog/catalog'
import { nowSeconds, systemClock, systemTimezone, type Clock } from './clock'
import { openDatabase, type Db } from './db/database'
import { createAchievementsService } from './services/achievements'
import { createActivitiesService } from './services/activities'
import { createCoursesService } from './services/courses'
import type { ServiceDeps } from './services/deps'
import { ensureLearner } from './services/learner'
import { createPressureRoomService } from './services/pressure-room'
import { createProfileService } from './services/profile'
import { createStatsService } from './services/stats'

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
}

export function createServices(deps: ServiceDeps) {
  return {
    profile: createProfileService(deps),
    courses: createCoursesService(deps),
    stats: createStatsService(deps),
    activities: createActivitiesService(deps),
    achievements: createAchievementsService(deps),
    pressureRoom: createPressureRoomService(deps),
  }
}

export type Services = ReturnType<typeof createServices>

export interface Core {
  db: Db
  catalog: Catalog
  userId: string
  services: Services
  close(): void
}

export async function openCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock
  await mkdir(options.dataDir, { recursive: true })
  const catalog = options.catalog ?? (await loadCatalog(options.coursesDir))
  const db = await openDatabase({ file: join(options.dataDir, DATABASE_FILE), migrationsDir: options.migrationsDir, now: nowSeconds(clock) })
  try {
    const userId = await ensureLearner(db, options.timezone ?? systemTimezone(), nowSeconds(clock))
    const services = createServices({ db, catalog, clock, userId, random: options.random })
    return { db, catalog, userId, services, close: () => db.close() }
  } catch (e) {
    db.close()
    throw e
  }
}
