import { createHash } from 'node:crypto'
import { copyFile, mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createClient, type Client, type InValue } from '@libsql/client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../electron/core/db/database'
import { appliedVersion, applyMigrations, readMigrations, type Migration } from '../../electron/core/db/migrate'
import { DatabaseCorrupt, DatabaseTooNew } from '../../electron/core/errors'
import { tempDir } from '../helpers/core'
import { MIGRATIONS_DIR } from '../helpers/paths'

const T0 = 1_700_000_000
const T1 = 1_760_000_000

let dir: string
let migrations: Migration[]
let latest: number
/** Clients and databases a test opened, closed after it whatever happened. */
const open_: { close(): void }[] = []

beforeEach(async () => {
  dir = await tempDir('pathwise-migrations-')
  migrations = await readMigrations(MIGRATIONS_DIR)
  latest = migrations.length
})

afterEach(async () => {
  for (const c of open_.splice(0)) {
    try {
      c.close()
    } catch {
      // already closed
    }
  }
  await rm(dir, { recursive: true, force: true })
})

function track<T extends { close(): void }>(thing: T): T {
  open_.push(thing)
  return thing
}

function rawClient(file: string): Client {
  return track(createClient({ url: `file:${file}` }))
}

/**
 * A database at `upTo` built with the migration runner alone, in rollback-journal (DELETE) mode as
 * SQLite leaves it by default. Nothing of it lives outside the main file once `fill` has committed.
 */
async function buildWithRunner(file: string, upTo: number, fill?: (client: Client) => Promise<void>): Promise<void> {
  const client = rawClient(file)
  await applyMigrations(client, migrations.slice(0, upTo), T0)
  await fill?.(client)
  client.close()
}

async function openDb(file: string, now = T1, migrationsDir = MIGRATIONS_DIR): Promise<Db> {
  return track(await openDatabase({ file, migrationsDir, now }))
}

type Row = Record<string, unknown>

async function selectAll(client: Client, table: string, columns: readonly string[] = ['*']): Promise<Row[]> {
  const result = await client.execute(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY rowid`)
  return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i]])))
}

async function scalar(client: Client, sql: string, args: InValue[] = []): Promise<unknown> {
  const result = await client.execute({ sql, args })
  return result.rows[0]?.[0]
}

async function columnNames(client: Client, table: string): Promise<string[]> {
  return (await selectAll(client, `pragma_table_info('${table}')`, ['name'])).map((r) => String(r.name))
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex')
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the promise to reject')
    },
    (e: unknown) => e,
  )
}

/** The message of an error and of every error it wraps. */
function messages(e: unknown): string {
  const out: string[] = []
  for (let cur: unknown = e; cur instanceof Error; cur = cur.cause) out.push(cur.message)
  return out.join(' <- ')
}

/** Deterministic garbage, so a failure can be reproduced. */
function garbage(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

const day = (iso: string) => Math.floor(Date.parse(iso) / 1000)

describe('a fresh database', () => {
  it('ends at the latest version in WAL mode with foreign keys on and every migration recorded', async () => {
    const file = join(dir, 'fresh.db')
    const db = await openDb(file, T0)
    expect(latest).toBeGreaterThanOrEqual(3)
    expect(db.version).toBe(latest)
    expect(db.backupFile).toBeNull()
    expect(await appliedVersion(db.client)).toBe(latest)
    expect(String(await scalar(db.client, 'PRAGMA journal_mode'))).toBe('wal')
    expect(Number(await scalar(db.client, 'PRAGMA foreign_keys'))).toBe(1)
    const recorded = await selectAll(db.client, 'schema_migrations', ['version', 'name', 'applied_at'])
    expect(recorded).toEqual(migrations.map((m) => ({ version: m.version, name: m.name, applied_at: T0 })))
    expect(recorded.map((r) => r.version)).toEqual(Array.from({ length: latest }, (_, i) => i + 1))
  })

  it('an existing empty file is treated as a new database', async () => {
    const file = join(dir, 'empty.db')
    await writeFile(file, '')
    const db = await openDb(file, T0)
    expect(db.version).toBe(latest)
    expect(db.backupFile).toBeNull()
  })

  it('opening it a second time applies nothing and takes no backup', async () => {
    const file = join(dir, 'twice.db')
    const first = await openDb(file, T0)
    await first.client.execute("INSERT INTO users (id, name) VALUES ('u1', 'Ada')")
    first.close()

    const second = await openDb(file, T1)
    expect(second.version).toBe(latest)
    expect(second.backupFile).toBeNull()
    // Re-applied migrations would have been recorded at T1 (or failed on CREATE TABLE).
    const recorded = await selectAll(second.client, 'schema_migrations', ['version', 'applied_at'])
    expect(recorded).toEqual(migrations.map((m) => ({ version: m.version, applied_at: T0 })))
    expect(await selectAll(second.client, 'users', ['id', 'name'])).toEqual([{ id: 'u1', name: 'Ada' }])
    expect((await readdir(dir)).filter((f) => f.endsWith('.bak'))).toEqual([])
  })
})

// A version-2 file as the runner alone leaves it is in rollback-journal (DELETE) mode; one an earlier
// Pathwise opened through openDatabase is already in WAL mode. Both must upgrade.
describe.each(['delete', 'wal'] as const)('upgrading a %s-mode database from migration 002', (journalMode) => {
  const activities = [
    { id: 'a1', created_at: day('2024-03-10T23:30:00Z'), local_day: '2024-03-10' },
    { id: 'a2', created_at: day('2024-03-11T00:30:00Z'), local_day: '2024-03-11' },
    { id: 'a3', created_at: day('2023-12-31T23:59:59Z'), local_day: '2023-12-31' },
  ]
  const seeded = ['users', 'user_profiles', 'course_enrollments', 'lesson_progress', 'user_activities', 'user_achievements'] as const

  async function seedVersion2(file: string): Promise<Record<string, Row[]>> {
    const client = rawClient(file)
    expect(String(await scalar(client, `PRAGMA journal_mode = ${journalMode}`))).toBe(journalMode)
    expect(await applyMigrations(client, migrations.slice(0, 2), T0)).toEqual([1, 2])
    await client.batch(
      [
        "INSERT INTO users (id, name, email, image) VALUES ('u1', 'Ada', 'ada@example.com', NULL)",
        "INSERT INTO user_profiles (user_id, bio, location, website, level, xp, streak) VALUES ('u1', 'Hi', 'London', 'https://ada.example', 3, 250, 4)",
        {
          sql: "INSERT INTO course_enrollments (id, user_id, course_id, pressure_room, enrolled_at, started_at, progress, status) VALUES ('e1', 'u1', 'course-a', ?, ?, ?, 40, 'in_progress')",
          args: ['{"bestScore":80,"attempts":1,"passedAt":null}', T0 - 500, T0 - 400],
        },
        {
          sql: "INSERT INTO lesson_progress (id, user_id, course_id, lesson_id, completed, completed_at, time_spent, notes) VALUES ('lp1', 'u1', 'course-a', 'lesson-1', 1, ?, 300, 'remember this')",
          args: [T0 - 300],
        },
        ...activities.map((a) => ({
          sql: "INSERT INTO user_activities (id, user_id, activity_type, description, metadata, created_at) VALUES (?, 'u1', 'lesson_completed', 'Did a lesson', '{\"lessonId\":\"lesson-1\"}', ?)",
          args: [a.id, a.created_at],
        })),
        {
          sql: "INSERT INTO user_achievements (id, user_id, achievement_key, title, description, earned_at) VALUES ('ach1', 'u1', 'first_lesson', 'First steps', NULL, ?)",
          args: [T0 - 200],
        },
      ],
      'write',
    )
    const before: Record<string, Row[]> = {}
    for (const t of seeded) before[t] = await selectAll(client, t)
    client.close()
    return before
  }

  it('keeps every row, adds the new columns with their defaults and back-fills local_day in UTC', async () => {
    const file = join(dir, 'v2.db')
    const before = await seedVersion2(file)
    const db = await openDb(file, T1)
    expect(db.version).toBe(latest)

    for (const t of seeded) {
      const columns = Object.keys(before[t]?.[0] ?? {})
      expect(columns.length, `${t} was seeded`).toBeGreaterThan(0)
      expect(await selectAll(db.client, t, columns), t).toEqual(before[t])
    }

    expect(await selectAll(db.client, 'user_profiles', ['timezone', 'longest_streak', 'last_active_day', 'updated_at'])).toEqual([
      { timezone: 'UTC', longest_streak: 0, last_active_day: null, updated_at: null },
    ])
    expect(await selectAll(db.client, 'lesson_progress', ['updated_at'])).toEqual([{ updated_at: null }])
    expect(await selectAll(db.client, 'user_activities', ['id', 'created_at', 'local_day'])).toEqual(activities)
    for (const t of ['outbox', 'settings', 'pressure_room_attempts']) expect(await selectAll(db.client, t), t).toEqual([])

    expect(await selectAll(db.client, 'schema_migrations', ['version', 'applied_at'])).toEqual(
      migrations.map((m) => ({ version: m.version, applied_at: m.version <= 2 ? T0 : T1 })),
    )
    expect(String(await scalar(db.client, 'PRAGMA journal_mode'))).toBe('wal')
    expect(await scalar(db.client, 'PRAGMA integrity_check')).toBe('ok')
    expect(await selectAll(db.client, 'pragma_foreign_key_check')).toEqual([])
  })

  it('first copies the file to <file>.v2-<now>.bak, a valid version-2 database with the same data', async () => {
    const file = join(dir, 'v2.db')
    const before = await seedVersion2(file)
    const db = await openDb(file, T1)
    const expected = `${file}.v2-${T1}.bak`
    expect(db.backupFile).toBe(expected)
    expect((await stat(expected)).size).toBeGreaterThan(0)
    expect((await readdir(dir)).filter((f) => f.endsWith('.bak'))).toEqual([`v2.db.v2-${T1}.bak`])
    db.close()

    const backup = rawClient(expected)
    expect(await scalar(backup, 'PRAGMA integrity_check')).toBe('ok')
    expect(await appliedVersion(backup)).toBe(2)
    for (const t of seeded) expect(await selectAll(backup, t), t).toEqual(before[t])
    expect(await columnNames(backup, 'user_profiles')).not.toContain('timezone')
    expect(await columnNames(backup, 'user_activities')).not.toContain('local_day')
    expect(await scalar(backup, "SELECT count(*) FROM sqlite_master WHERE name = 'outbox'")).toBe(0)
  })
})

describe('refusing a database from a newer app', () => {
  it('throws DatabaseTooNew and leaves the file byte for byte as it was', async () => {
    const file = join(dir, 'newer.db')
    // Rollback-journal mode, so that a PRAGMA journal_mode = WAL run before the refusal would show
    // in the file's header bytes.
    await buildWithRunner(file, latest, async (client) => {
      await client.execute("INSERT INTO users (id, name) VALUES ('u1', 'Ada')")
      await client.execute({
        sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
        args: [latest + 1, 'from_the_future', T1],
      })
    })

    const hash = await sha256(file)
    const files = (await readdir(dir)).sort()
    expect(files).toEqual(['newer.db'])
    const error = await rejection(openDatabase({ file, migrationsDir: MIGRATIONS_DIR, now: T1 }))
    expect(error).toBeInstanceOf(DatabaseTooNew)
    expect(error).toMatchObject({ code: 'DB_TOO_NEW', fileVersion: latest + 1, appVersion: latest, file })
    expect((error as Error).message).toContain(file)
    expect(await sha256(file)).toBe(hash)
    // No -wal, -shm or .bak appeared beside it.
    expect((await readdir(dir)).sort()).toEqual(files)
  })
})

describe('refusing a corrupted database', () => {
  async function expectRefusedUnchanged(file: string): Promise<void> {
    const hash = await sha256(file)
    const files = (await readdir(dir)).sort()
    const error = await rejection(openDatabase({ file, migrationsDir: MIGRATIONS_DIR, now: T1 }))
    expect(error).toBeInstanceOf(DatabaseCorrupt)
    expect(error).toMatchObject({ code: 'DB_CORRUPT', file })
    expect(await sha256(file)).toBe(hash)
    expect((await readdir(dir)).sort()).toEqual(files)
  }

  it('a file of random bytes is refused with DatabaseCorrupt and left unchanged', async () => {
    const file = join(dir, 'random.db')
    await writeFile(file, garbage(4096 * 8, 42))
    await expectRefusedUnchanged(file)
  })

  it('a file with a valid header but garbage after it is refused with DatabaseCorrupt and left unchanged', async () => {
    const file = join(dir, 'header-only.db')
    await writeFile(file, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), garbage(4096 * 4 - 16, 7)]))
    await expectRefusedUnchanged(file)
  })

  it('a real database whose middle pages are overwritten with garbage is refused with DatabaseCorrupt and left unchanged', async () => {
    const file = join(dir, 'damaged.db')
    let pageSize = 0
    let pages = 0
    await buildWithRunner(file, latest, async (client) => {
      await client.execute("INSERT INTO users (id, name) VALUES ('u1', 'Ada')")
      const statements = Array.from({ length: 2000 }, (_, i) => ({
        sql: "INSERT INTO user_activities (id, user_id, activity_type, description, created_at, local_day) VALUES (?, 'u1', 'lesson_completed', ?, ?, '2024-01-01')",
        args: [`act-${String(i).padStart(5, '0')}`, `Activity number ${i} `.repeat(4), T0 + i],
      }))
      await client.batch(statements, 'write')
      pageSize = Number(await scalar(client, 'PRAGMA page_size'))
      pages = Number(await scalar(client, 'PRAGMA page_count'))
    })
    expect(pages).toBeGreaterThan(40)
    expect((await stat(file)).size).toBe(pages * pageSize)

    const first = Math.floor(pages * 0.4)
    const count = Math.floor(pages * 0.2)
    const handle = await open(file, 'r+')
    try {
      await handle.write(garbage(pageSize * count, 1234), 0, pageSize * count, first * pageSize)
    } finally {
      await handle.close()
    }
    await expectRefusedUnchanged(file)
  })
})

describe('a migration that fails midway', () => {
  it('rolls back completely, keeps the version and names the migration', async () => {
    const broken = join(dir, 'migrations')
    await mkdir(broken)
    for (const f of await readdir(MIGRATIONS_DIR)) if (f.endsWith('.sql')) await copyFile(join(MIGRATIONS_DIR, f), join(broken, f))
    const brokenName = `${String(latest + 1).padStart(3, '0')}_broken`
    await writeFile(
      join(broken, `${brokenName}.sql`),
      "CREATE TABLE half_done (id TEXT PRIMARY KEY);\nINSERT INTO half_done (id) VALUES ('x');\nUPDATE users SET name = 'changed';\nCREATE TABEL oops (id TEXT);\n",
    )

    const file = join(dir, 'broken.db')
    const db = await openDb(file, T0)
    await db.client.execute("INSERT INTO users (id, name) VALUES ('u1', 'Ada')")
    db.close()

    const error = await rejection(openDatabase({ file, migrationsDir: broken, now: T1 }))
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toContain(brokenName)

    const client = rawClient(file)
    expect(await appliedVersion(client)).toBe(latest)
    expect(await scalar(client, "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'")).toBe(0)
    expect(await selectAll(client, 'users', ['id', 'name'])).toEqual([{ id: 'u1', name: 'Ada' }])
    expect(await scalar(client, 'PRAGMA integrity_check')).toBe('ok')
    client.close()

    // The app that does not know the broken migration still opens the file.
    const again = await openDb(file, T1)
    expect(again.version).toBe(latest)
  })
})

describe('foreign keys', () => {
  const owned = ['user_profiles', 'course_enrollments', 'lesson_progress', 'user_activities', 'user_achievements', 'pressure_room_attempts', 'accounts', 'sessions'] as const

  async function seedUser(db: Db, u: string): Promise<void> {
    await db.client.batch(
      [
        { sql: 'INSERT INTO users (id, name) VALUES (?, ?)', args: [u, `Learner ${u}`] },
        { sql: 'INSERT INTO user_profiles (user_id) VALUES (?)', args: [u] },
        { sql: "INSERT INTO course_enrollments (id, user_id, course_id, enrolled_at) VALUES (?, ?, 'course-a', ?)", args: [`e-${u}`, u, T0] },
        { sql: "INSERT INTO lesson_progress (id, user_id, course_id, lesson_id) VALUES (?, ?, 'course-a', 'lesson-1')", args: [`lp-${u}`, u] },
        {
          sql: "INSERT INTO user_activities (id, user_id, activity_type, created_at, local_day) VALUES (?, ?, 'lesson_completed', ?, '2024-01-01')",
          args: [`act-${u}`, u, T0],
        },
        {
          sql: "INSERT INTO user_achievements (id, user_id, achievement_key, title, earned_at) VALUES (?, ?, 'first_lesson', 'First steps', ?)",
          args: [`ach-${u}`, u, T0],
        },
        {
          sql: "INSERT INTO pressure_room_attempts (id, user_id, course_id, question_ids, started_at, deadline) VALUES (?, ?, 'course-a', '[]', ?, ?)",
          args: [`pr-${u}`, u, T0, T0 + 60],
        },
        { sql: "INSERT INTO accounts (id, user_id, type, provider, provider_account_id) VALUES (?, ?, 'oauth', 'github', ?)", args: [`acc-${u}`, u, u] },
        { sql: 'INSERT INTO sessions (id, session_token, user_id, expires) VALUES (?, ?, ?, ?)', args: [`s-${u}`, `token-${u}`, u, T1] },
      ],
      'write',
    )
  }

  async function countFor(client: Client, table: string, userId: string): Promise<number> {
    return Number(await scalar(client, `SELECT count(*) FROM ${table} WHERE user_id = ?`, [userId]))
  }

  it("deleting a user removes the user's profile, enrollments, progress, activities, achievements and attempts", async () => {
    const db = await openDb(join(dir, 'fk.db'))
    await seedUser(db, 'u1')
    await seedUser(db, 'u2')
    for (const t of owned) expect(await countFor(db.client, t, 'u1'), t).toBe(1)

    await db.client.execute("DELETE FROM users WHERE id = 'u1'")

    for (const t of owned) {
      expect(await countFor(db.client, t, 'u1'), t).toBe(0)
      expect(await countFor(db.client, t, 'u2'), t).toBe(1)
    }
  })

  it('a row pointing at a user that does not exist is rejected', async () => {
    const db = await openDb(join(dir, 'fk.db'))
    await expect(db.client.execute({ sql: "INSERT INTO course_enrollments (id, user_id, course_id, enrolled_at) VALUES ('e1', 'ghost', 'course-a', ?)", args: [T0] })).rejects.toThrow(
      /FOREIGN KEY constraint failed/,
    )
  })

  it('foreign keys are enforced for writes made through the drizzle handle', async () => {
    const db = await openDb(join(dir, 'fk.db'))
    const error = await rejection(
      db.write((tx) => tx.run(`INSERT INTO user_achievements (id, user_id, achievement_key, title, earned_at) VALUES ('a', 'ghost', 'k', 't', ${T0})`)),
    )
    expect(messages(error)).toMatch(/FOREIGN KEY constraint failed/)
  })
})

describe('unique constraints', () => {
  let db: Db

  beforeEach(async () => {
    db = await openDb(join(dir, 'unique.db'))
    await db.client.execute("INSERT INTO users (id, name) VALUES ('u1', 'Ada')")
    await db.client.execute("INSERT INTO users (id, name) VALUES ('u2', 'Grace')")
  })

  it('a second enrollment for the same user and course is rejected', async () => {
    const insert = (id: string, user: string) =>
      db.client.execute({ sql: "INSERT INTO course_enrollments (id, user_id, course_id, enrolled_at) VALUES (?, ?, 'course-a', ?)", args: [id, user, T0] })
    await insert('e1', 'u1')
    await insert('e2', 'u2')
    await expect(insert('e3', 'u1')).rejects.toThrow(/UNIQUE constraint failed: course_enrollments\.user_id, course_enrollments\.course_id/)
    expect(Number(await scalar(db.client, 'SELECT count(*) FROM course_enrollments'))).toBe(2)
  })

  it('a second progress row for the same user, course and lesson is rejected', async () => {
    const insert = (id: string, lesson: string) =>
      db.client.execute({ sql: "INSERT INTO lesson_progress (id, user_id, course_id, lesson_id) VALUES (?, 'u1', 'course-a', ?)", args: [id, lesson] })
    await insert('lp1', 'lesson-1')
    await insert('lp2', 'lesson-2')
    await expect(insert('lp3', 'lesson-1')).rejects.toThrow(
      /UNIQUE constraint failed: lesson_progress\.user_id, lesson_progress\.course_id, lesson_progress\.lesson_id/,
    )
    expect(Number(await scalar(db.client, 'SELECT count(*) FROM lesson_progress'))).toBe(2)
  })

  it('a second achievement with the same key for the same user is rejected', async () => {
    const insert = (id: string, user: string) =>
      db.client.execute({
        sql: "INSERT INTO user_achievements (id, user_id, achievement_key, title, earned_at) VALUES (?, ?, 'first_lesson', 'First steps', ?)",
        args: [id, user, T0],
      })
    await insert('a1', 'u1')
    await insert('a2', 'u2')
    await expect(insert('a3', 'u1')).rejects.toThrow(/UNIQUE constraint failed: user_achievements\.user_id, user_achievements\.achievement_key/)
    expect(Number(await scalar(db.client, 'SELECT count(*) FROM user_achievements'))).toBe(2)
  })
})
