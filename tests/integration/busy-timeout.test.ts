/**
 * A write that waits out the busy timeout, on the device's database and on the sync server's, over
 * real LibSQL files: it fails alone, and the connection is as good as new afterwards. The next write
 * commits, reads see what was committed since, and the file's write lock is free for other connections.
 *
 * The lock is held by a real second connection: on the server the push worker's own (openDatabase on
 * the same file, as server/push-worker.ts opens it) or the main thread's, each in a write that stays
 * open until the test lets it go; on the device a plain libsql connection. The busy timeout is made
 * short with the same PRAGMA database.ts sets (5 s in production).
 */
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import Database from 'libsql'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadCatalog, type Catalog } from '../../electron/core/catalog/catalog'
import { DATABASE_FILE } from '../../electron/core/core'
import { openDatabase, type Db } from '../../electron/core/db/database'
import { createAuth } from '../../server/auth'
import { HttpError } from '../../server/http-error'
import { openServerDatabase, type ServerDb } from '../../server/db'
import { createSync } from '../../server/sync'
import { openTestCore, tempDir } from '../helpers/core'
import { COURSES_DIR, MIGRATIONS_DIR, ROOT } from '../helpers/paths'

const BUSY_MS = 100
const COURSE = 'sql-fundamentals'
const T0 = 1_750_000_000

/** The exact SQLite code anywhere in the error's cause chain (drizzle wraps the driver's errors). */
function sqliteCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, extendedCode } = e as { code?: unknown; extendedCode?: unknown }
    const exact = typeof extendedCode === 'string' ? extendedCode : code
    if (typeof exact === 'string' && exact.startsWith('SQLITE_')) return exact
  }
  return undefined
}
const failureOf = (p: Promise<unknown>) => p.then(() => 'no failure', (e: unknown) => sqliteCode(e) ?? String(e))

/** A write on `db` that stays open (holding the file's write lock) until `release` is called. */
async function holdWrite(db: Pick<ServerDb, 'write'>): Promise<{ release(): Promise<void> }> {
  let release = () => {}
  let started = () => {}
  const begun = new Promise<void>((resolve) => (started = resolve))
  const done = db.write(async () => {
    started()
    await new Promise<void>((resolve) => (release = resolve))
  })
  await begun
  return {
    release: async () => {
      release()
      await done
    },
  }
}

/** A plain connection writes and commits at once (busy timeout 0): it throws SQLITE_BUSY while anyone else holds the write lock. */
function writeFromAnotherConnection(file: string, sql: string): void {
  const other = new Database(file)
  try {
    other.exec(`BEGIN IMMEDIATE; ${sql}; COMMIT`)
  } finally {
    other.close()
  }
}

describe('on the device (database.ts)', () => {
  let core: Awaited<ReturnType<typeof openTestCore>>
  let file: string

  beforeEach(async () => {
    core = await openTestCore()
    file = join(core.dataDir, DATABASE_FILE)
    await core.db.client.execute(`PRAGMA busy_timeout = ${BUSY_MS}`)
  })
  afterEach(() => core.dispose())

  const outboxNames = async () => (await core.db.read((q) => q.all<{ name: string }>('SELECT name FROM outbox ORDER BY rowid'))).map((r) => r.name)

  it('a write that waits out the busy timeout fails alone: the next one commits, reads see others’ commits, the file is free', async () => {
    const other = new Database(file)
    try {
      other.exec('BEGIN IMMEDIATE')
      expect(await failureOf(core.services.profile.update({ name: 'Blocked' }))).toBe('SQLITE_BUSY')
      other.exec('COMMIT')
    } finally {
      other.close()
    }

    expect((await core.services.profile.update({ name: 'Ada' })).name).toBe('Ada')
    expect(await outboxNames()).toEqual(['profile.update'])
    writeFromAnotherConnection(file, `UPDATE users SET name = 'Grace' WHERE id = '${core.userId}'`)
    expect((await core.services.profile.get()).name).toBe('Grace')
  })

  it('a write whose COMMIT is refused is rolled back, and the next write commits', async () => {
    // defer_foreign_keys moves the check of a missing learner to COMMIT, which refuses it.
    const refused = core.db.write(async (_tx, raw) => {
      await raw({ sql: 'PRAGMA defer_foreign_keys = ON' })
      await raw({ sql: "INSERT INTO course_enrollments (id, user_id, course_id, enrolled_at) VALUES ('e-orphan', 'nobody', 'x', 0)" })
    })
    expect(await failureOf(refused)).toBe('SQLITE_CONSTRAINT_FOREIGNKEY')

    expect((await core.services.profile.update({ name: 'Ada' })).name).toBe('Ada')
    expect(await core.db.read((q) => q.all('SELECT id FROM course_enrollments'))).toEqual([])
    writeFromAnotherConnection(file, `UPDATE users SET name = 'Grace' WHERE id = '${core.userId}'`)
    expect((await core.services.profile.get()).name).toBe('Grace')
  })
})

describe('on the sync server (server/db.ts, and the push worker’s own connection)', () => {
  let dir: string
  let file: string
  let db: ServerDb
  /** The push worker's connection, opened as server/push-worker.ts opens it. */
  let worker: Db
  let catalog: Catalog
  let codes: Map<string, string>
  let auth: ReturnType<typeof createAuth>

  beforeEach(async () => {
    dir = await tempDir('pathwise-busy-')
    file = join(dir, 'server.db')
    db = await openServerDatabase({ url: `file:${file}`, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: join(ROOT, 'server/migrations') })
    worker = await openDatabase({ file, migrationsDir: MIGRATIONS_DIR })
    await db.client.execute(`PRAGMA busy_timeout = ${BUSY_MS}`)
    await worker.client.execute(`PRAGMA busy_timeout = ${BUSY_MS}`)
    catalog = await loadCatalog(COURSES_DIR)
    codes = new Map()
    auth = createAuth({ db, secret: 'test-secret', mailer: { send: async (m) => void codes.set(m.to, /\b(\d{6})\b/.exec(m.text)?.[1] ?? ''), close() {} } })
  })

  afterEach(async () => {
    worker.close()
    db.close()
    await rm(dir, { recursive: true, force: true })
  })

  const signIn = async (email: string) => {
    await auth.startEmail(email)
    return (await auth.verifyEmail(email, codes.get(email) ?? '')).user.id
  }
  const addTime = (id: number, seconds: number) => ({
    id,
    name: 'lesson.addTime',
    args: { courseId: COURSE, lessonId: 'relational-databases', seconds, at: T0, tz: 'UTC' },
    createdAt: T0,
  })
  /** What a pull from the start shows of the learner's lesson time (main thread, as the server pulls). */
  async function pulledTime(userId: string, clientId: string): Promise<number> {
    const page = await createSync({ db, catalog }).pull(userId, { clientId, cursor: null })
    const progress = page.changes.find((t) => t.table === 'lesson_progress')
    if (!progress) return 0
    const at = progress.columns.indexOf('timeSpent')
    return progress.rows.map((r) => JSON.parse(r) as unknown[]).reduce((sum, row) => sum + Number(row[at]), 0)
  }

  it('sign-in that waits out the busy timeout behind a long push fails alone: sign-in, pushes, pulls and cleanup work after it', async () => {
    const held = await holdWrite(worker)
    expect(await failureOf(auth.startEmail('ada@example.com'))).toBe('SQLITE_BUSY')
    await held.release()

    const userId = await signIn('ada@example.com')
    const clientId = randomUUID()
    const workerSync = createSync({ db: worker, catalog })
    expect(await workerSync.push(userId, { clientId, mutations: [addTime(1, 30)] })).toEqual({ lastMutationId: 1 })
    expect(await pulledTime(userId, clientId)).toBe(30)
    await expect(auth.purgeExpired()).resolves.toBeUndefined()
    writeFromAnotherConnection(file, "DELETE FROM verification_tokens WHERE identifier = 'nobody'")
  })

  it('pushes whose group cannot even begin (the write lock held past the busy timeout) are answered 503 at once, not retried for ever', async () => {
    const userId = await signIn('ada@example.com')
    const clientId = randomUUID()
    const workerSync = createSync({ db: worker, catalog })
    const held = await holdWrite(db)
    const refused = await workerSync.push(userId, { clientId, mutations: [addTime(1, 30)] }).then(
      () => null,
      (error: unknown) => error,
    )
    expect(refused).toBeInstanceOf(HttpError)
    expect(refused).toMatchObject({ status: 503, code: 'UNAVAILABLE' })
    await held.release()

    // Nothing of it was applied, and the worker takes the next push as usual.
    expect(await pulledTime(userId, clientId)).toBe(0)
    expect(await workerSync.push(userId, { clientId, mutations: [addTime(1, 30)] })).toEqual({ lastMutationId: 1 })
    expect(await pulledTime(userId, clientId)).toBe(30)
  })

  it('a write that waits out the busy timeout on the push worker’s connection fails alone: its next push commits and pulls show it', async () => {
    const userId = await signIn('ada@example.com')
    const clientId = randomUUID()
    const workerSync = createSync({ db: worker, catalog })
    const held = await holdWrite(db)
    // The worker's own write, as a push group begins it (how the group retries is push-budget work).
    expect(await failureOf(worker.write((tx) => tx.run(sql`UPDATE user_versions SET version = version + 1`)))).toBe('SQLITE_BUSY')
    await held.release()

    expect(await workerSync.push(userId, { clientId, mutations: [addTime(1, 30), addTime(2, 12)] })).toEqual({ lastMutationId: 2 })
    expect(await pulledTime(userId, clientId)).toBe(42)
    expect(await signIn('grace@example.com')).toBeTruthy()
    writeFromAnotherConnection(file, "DELETE FROM verification_tokens WHERE identifier = 'nobody'")
  })
})
