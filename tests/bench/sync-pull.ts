/**
 * Initial pull: the server holds a heavy learner (50 000 rows: their activity history, lesson
 * progress and enrollments on the real courses), inserted straight into its database file while it
 * runs, with the change-log triggers stamping every row. A fresh device signs in and pulls it all;
 * timed from the sync's start (status "syncing") to "up-to-date". The baseline is the same rows, same
 * columns, inserted raw through @libsql/client into a fresh database of the app's schema in one
 * transaction of multi-row INSERTs.
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createClient, type Client, type Transaction } from '@libsql/client'
import { loadCatalog, type Catalog } from '../../electron/core/catalog/catalog'
import { openDatabase } from '../../electron/core/db/database'
import { localDay } from '../../electron/core/domain/days'
import { formatHlc } from '../../electron/core/domain/hlc'
import { ACTIVITY_TYPES } from '../../electron/core/domain/xp'
import { factId, newId } from '../../electron/core/ids'
import type { Q, RawSql } from '../../electron/core/db/database'
import { applyPullPage } from '../../electron/core/sync/apply-pull'
import { SYNC_TABLE_NAMES, type PullAnswer } from '../../electron/core/sync/protocol'
import { fakeClock } from '../helpers/clock'
import { tempDir } from '../helpers/core'
import { openDevice } from '../helpers/devices'
import { COURSES_DIR, MIGRATIONS_DIR } from '../helpers/paths'
import { call, signIn, startServer, type Reply, type TestServer } from '../helpers/server'
import { round, type BenchResult } from './measure'
import { note, serverRequests, sum, timeFetch } from './sync-util'

export const HEAVY_SYNC_ROWS = 50_000
const PULL_TARGET_ROWS_PER_S = 50_000
const SHARE_TARGET = 0.4

type Row = (string | number | null)[]
interface SeedTable {
  table: string
  columns: string[]
  rows: Row[]
}

/** A learner of ten years on the real courses: every enrollment and lesson row, the rest activity history. */
export function heavyLearnerRows(userId: string, catalog: Catalog, nowSeconds: number): SeedTable[] {
  const start = nowSeconds - 10 * 365 * 86_400
  const tz = 'UTC'
  const enrollments: Row[] = []
  const lessons: Row[] = []
  const facts: Row[] = []
  catalog.courses.forEach((course, ci) => {
    const enrolledAt = start + ci * 86_400
    const done = course.lessons.length - 2 // two lessons left open in each course
    const record = JSON.stringify({ bestScore: 80, attempts: 2, passedAt: enrolledAt + 7 * 86_400 })
    enrollments.push([factId(userId, 'enrollment', course.id), userId, course.id, record, enrolledAt, enrolledAt + 3600, null, Math.round((done / course.lessons.length) * 100), 'in_progress'])
    facts.push([factId(userId, 'course_enrolled', course.id), userId, 'course_enrolled', `Enrolled in ${course.title}`, JSON.stringify({ courseId: course.id }), enrolledAt, localDay(enrolledAt, tz)])
    course.lessons.forEach((lesson, li) => {
      const at = enrolledAt + (li + 1) * 86_400
      const completed = li < done
      const notes = li % 3 === 0 ? `My notes on ${lesson.title}.` : null
      const clock = notes ? formatHlc({ ms: at * 1000, counter: 0, node: 'bench-device' }) : null
      lessons.push([factId(userId, 'lesson', course.id, lesson.id), userId, course.id, lesson.id, completed ? 1 : 0, completed ? at : null, 600 + li * 60, notes, at, clock])
      if (completed) {
        const subject = `${course.id}/${lesson.id}`
        facts.push([factId(userId, 'lesson_completed', subject), userId, 'lesson_completed', `Completed "${lesson.title}"`, JSON.stringify({ courseId: course.id, lessonId: lesson.id }), at, localDay(at, tz)])
      }
    })
  })
  const history = HEAVY_SYNC_ROWS - enrollments.length - lessons.length - facts.length
  const span = nowSeconds - start - 86_400
  const activities: Row[] = [...facts]
  for (let i = 0; i < history; i++) {
    const at = start + Math.floor((span * i) / history)
    const type = ACTIVITY_TYPES[i % 13 === 0 ? 0 : i % 17 === 0 ? 2 : 1] as string
    activities.push([newId(), userId, type, `Earlier ${type.replace('_', ' ')}`, '{}', at, localDay(at, tz)])
  }
  return [
    { table: 'course_enrollments', columns: ['id', 'user_id', 'course_id', 'pressure_room', 'enrolled_at', 'started_at', 'completed_at', 'progress', 'status'], rows: enrollments },
    { table: 'lesson_progress', columns: ['id', 'user_id', 'course_id', 'lesson_id', 'completed', 'completed_at', 'time_spent', 'notes', 'updated_at', 'notes_clock'], rows: lessons },
    { table: 'user_activities', columns: ['id', 'user_id', 'activity_type', 'description', 'metadata', 'created_at', 'local_day'], rows: activities },
  ]
}

async function insertMany(tx: Transaction, { table, columns, rows }: SeedTable): Promise<void> {
  const placeholders = `(${columns.map(() => '?').join(', ')})`
  const chunk = Math.floor(32_000 / columns.length)
  for (let i = 0; i < rows.length; i += chunk) {
    const slice = rows.slice(i, i + chunk)
    await tx.execute({ sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${slice.map(() => placeholders).join(', ')}`, args: slice.flat() })
  }
}

/** Writes the rows into the running server's database file, as one push would: version bumped first, so the triggers log them. */
export async function seedServer(dbFile: string, userId: string, tables: readonly SeedTable[]): Promise<number> {
  const client: Client = createClient({ url: `file:${dbFile}` })
  try {
    await client.execute('PRAGMA busy_timeout = 5000')
    await client.execute('PRAGMA foreign_keys = ON')
    const tx = await client.transaction('write')
    try {
      await tx.execute({ sql: 'UPDATE user_versions SET version = version + 1 WHERE user_id = ?', args: [userId] })
      for (const t of tables) await insertMany(tx, t)
      await tx.commit()
    } finally {
      tx.close()
    }
    const logged = await client.execute({ sql: 'SELECT COUNT(*) AS n FROM change_log WHERE user_id = ?', args: [userId] })
    return Number(logged.rows[0]?.n)
  } finally {
    client.close()
  }
}

/** The baseline: the same rows inserted raw into a fresh database of the app's schema; returns ms. */
async function rawInsert(userId: string, email: string, tables: readonly SeedTable[]): Promise<number> {
  const dir = await tempDir('pathwise-bench-raw-')
  const db = await openDatabase({ file: join(dir, 'raw.db'), migrationsDir: MIGRATIONS_DIR })
  try {
    const all: SeedTable[] = [
      { table: 'users', columns: ['id', 'name', 'email', 'image'], rows: [[userId, null, email, null]] },
      { table: 'user_profiles', columns: ['user_id', 'timezone'], rows: [[userId, 'UTC']] },
      ...tables,
    ]
    const start = performance.now()
    const tx = await db.client.transaction('write')
    try {
      for (const t of all) await insertMany(tx, t)
      await tx.commit()
    } finally {
      tx.close()
    }
    return performance.now() - start
  } finally {
    db.close()
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Where the device's apply time goes: the same pages fetched again over HTTP, then applied in-process
 * to a fresh database with applyPullPage (what the engine does), without the network in between.
 */
async function explainApply(server: TestServer, email: string, userId: string, catalog: Catalog) {
  const { token } = await signIn(server, email)
  const pages: PullAnswer[] = []
  let cursor: string | null = null
  for (;;) {
    const reply: Reply<PullAnswer> = await call<PullAnswer>(server, 'POST', '/v1/sync/pull', { token, json: { clientId: newId(), cursor } })
    if (reply.status !== 200) throw new Error(`pull answered ${reply.status}`)
    pages.push(reply.body)
    cursor = reply.body.cursor
    if (!reply.body.hasMore) break
  }
  const nowSeconds = Math.floor(Date.now() / 1000)
  const timeApply = async (apply: (tx: Q, raw: RawSql, page: PullAnswer) => Promise<void>): Promise<number> => {
    const dir = await tempDir('pathwise-bench-apply-')
    const db = await openDatabase({ file: join(dir, 'apply.db'), migrationsDir: MIGRATIONS_DIR })
    try {
      // As on a device: the account's user row is there from sign-in (pages list user_profiles before users).
      await db.client.execute({ sql: 'INSERT INTO users (id, email) VALUES (?, ?)', args: [userId, email] })
      const start = performance.now()
      for (const page of pages) await db.write((tx, raw) => apply(tx, raw, page))
      return performance.now() - start
    } finally {
      db.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
  const fullMs = await timeApply((tx, raw, page) => applyPullPage(tx, raw, { userId, catalog, nowSeconds }, page, !page.hasMore))
  return { fullMs }
}

export async function benchInitialPull(): Promise<BenchResult[]> {
  const server = await startServer()
  const email = `heavy-pull-${Date.now()}@example.com`
  const fetches = timeFetch()
  const device = await openDevice(server, fakeClock(Date.now()))
  fetches.restore()
  try {
    const { user } = await signIn(server, email)
    const catalog = await loadCatalog(COURSES_DIR)
    const tables = heavyLearnerRows(user.id, catalog, Math.floor(Date.now() / 1000))
    const seeded = sum(tables.map((t) => t.rows.length))
    const logged = await seedServer(join(server.dir, 'server.db'), user.id, tables)
    note(`pull: seeded ${seeded} rows (${tables.map((t) => `${t.table} ${t.rows.length}`).join(', ')}); change_log holds ${logged} rows of the learner`)

    const engine = device.core.sync
    if (!engine) throw new Error('the bench device has no sync engine')
    let startedAt: number | null = null
    let endedAt: number | null = null
    const unsubscribe = engine.subscribe((status) => {
      if (startedAt === null && status.state === 'syncing') startedAt = performance.now()
      if (startedAt !== null && endedAt === null && status.state !== 'syncing') endedAt = performance.now()
    })
    const logFrom = server.stdout.length
    fetches.byPath.clear()
    await device.signIn(email)
    unsubscribe()
    const status = engine.status()
    if (status.state !== 'up-to-date' || startedAt === null || endedAt === null) throw new Error(`the initial pull did not finish: ${JSON.stringify(status)}`)
    const pullMs = (endedAt as number) - (startedAt as number)

    // Every row the server logged for the learner must now be on the device.
    for (const table of SYNC_TABLE_NAMES) {
      const owner = table === 'users' ? 'id' : 'user_id'
      const n = Number((await device.core.db.client.execute({ sql: `SELECT COUNT(*) AS n FROM ${table} WHERE ${owner} = ?`, args: [user.id] })).rows[0]?.n)
      const expected = table === 'users' || table === 'user_profiles' ? 1 : (tables.find((t) => t.table === table)?.rows.length ?? 0)
      if (n < expected) throw new Error(`after the pull the device has ${n} rows in ${table}, the server ${expected}`)
    }

    const pullLog = await serverRequests(server, logFrom, '/v1/sync/pull')
    const serverMs = sum(pullLog.map((l) => l.ms))
    const httpMs = fetches.byPath.get('/v1/sync/pull')?.ms ?? Number.NaN
    const bytes = fetches.byPath.get('/v1/sync/pull')?.bytes ?? Number.NaN
    const rate = logged / (pullMs / 1000)
    note(`pull: ${logged} rows in ${round(pullMs, 1)} ms over ${pullLog.length} pages; server ${round(serverMs, 1)} ms, client HTTP ${round(httpMs, 1)} ms, ${round(bytes / 1e6, 1)} MB`)

    const apply = await explainApply(server, email, user.id, catalog)
    note(`pull: in-process apply of the same pages ${round(apply.fullMs, 1)} ms`)
    const rawMs = await rawInsert(user.id, email, tables)
    const rawRate = (seeded + 2) / (rawMs / 1000)
    note(`pull: baseline raw insert of ${seeded + 2} rows in ${round(rawMs, 1)} ms`)
    return [
      { name: 'sync initial pull 50k rows', value: logged, unit: 'rows' },
      { name: 'sync initial pull 50k rows time', value: round(pullMs, 1), unit: 'ms' },
      { name: 'sync initial pull 50k rows rate', value: Math.round(rate), unit: 'rows/s' },
      { name: 'sync initial pull target met (>= 50000 rows/s)', value: rate >= PULL_TARGET_ROWS_PER_S ? 1 : 0, unit: 'bool' },
      { name: 'sync initial pull pages', value: pullLog.length, unit: 'requests' },
      { name: 'sync initial pull server time', value: round(serverMs, 1), unit: 'ms' },
      { name: 'sync initial pull client HTTP time', value: round(httpMs, 1), unit: 'ms' },
      { name: 'sync initial pull client apply time', value: round(pullMs - httpMs, 1), unit: 'ms' },
      { name: 'sync initial pull bytes', value: round(bytes / 1e6, 2), unit: 'MB' },
      { name: 'sync initial pull in-process applyPullPage', value: round(apply.fullMs, 1), unit: 'ms' },
      { name: 'baseline raw insert 50k rows time', value: round(rawMs, 1), unit: 'ms' },
      { name: 'baseline raw insert rate', value: Math.round(rawRate), unit: 'rows/s' },
      { name: 'sync pull / baseline', value: round((rate / rawRate) * 100, 1), unit: '%' },
      { name: 'sync pull / baseline target met (>= 40 %)', value: rate / rawRate >= SHARE_TARGET ? 1 : 0, unit: 'bool' },
    ]
  } finally {
    device.close()
    await server.stop()
    await rm(device.dataDir, { recursive: true, force: true })
  }
}
