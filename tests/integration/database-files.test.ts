/**
 * The database file and its folder, as the learner's machine may hand them to us: read-only (refused at
 * start with a message that names the file or folder), from a newer version (refused without leaving
 * so much as a -shm beside it), and after a clean quit (the main file alone holds the data).
 *
 * Root ignores file modes only through its capabilities (CAP_DAC_OVERRIDE and friends), so where the
 * tests run as root the core is opened in a child process that keeps root's uid, and so still reads the
 * checkout wherever it lies, but has no capabilities (setpriv): the modes then apply to it as to any
 * owner. Elsewhere the child runs as the current user.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, copyFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Database from 'libsql'
import { afterEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE } from '../../electron/core/core'
import { openDatabase } from '../../electron/core/db/database'
import { readMigrations } from '../../electron/core/db/migrate'
import { openServerDatabase } from '../../server/db'
import { openTestCore, tempDir } from '../helpers/core'
import { MIGRATIONS_DIR, ROOT } from '../helpers/paths'

const run = promisify(execFile)
const SETPRIV = '/usr/bin/setpriv'
const isRoot = process.getuid?.() === 0
const canDropPrivileges = !isRoot || existsSync(SETPRIV)

let parent: string | null = null
afterEach(async () => {
  if (parent) {
    // A folder left 0555 must become writable again before it can be removed (by a non-root user).
    await chmodTree(parent, 0o700).catch(() => undefined)
    await rm(parent, { recursive: true, force: true })
  }
  parent = null
})

async function chmodTree(dir: string, mode: number): Promise<void> {
  await chmod(dir, mode)
  for (const entry of await readdir(dir, { withFileTypes: true })) if (entry.isDirectory()) await chmodTree(join(dir, entry.name), mode)
}

interface ChildOutcome {
  opened: boolean
  wrote?: boolean
  error?: { code: string | null; message: string }
}

/** Opens a core over `dataDir` in a child process as a user file modes apply to, and makes one write. */
async function openAsUser(dataDir: string): Promise<ChildOutcome> {
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx')
  const script = join(ROOT, 'tests', 'integration', 'children', 'open-core.ts')
  const [command, args] = isRoot
    ? [SETPRIV, ['--bounding-set=-all', '--inh-caps=-all', '--ambient-caps=-all', '--', tsx, script, dataDir]]
    : [tsx, [script, dataDir]]
  const { stdout } = await run(command, args, { cwd: ROOT, env: { ...process.env, HOME: parent ?? ROOT }, timeout: 15_000 })
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as ChildOutcome
}

/**
 * A data folder holding a learner's database with one write in it, owned by the user openAsUser runs as
 * (this process's own); the database file alone (checkpointed, its -wal and -shm removed, as after a restore) or with them.
 */
async function learnerFolder(options: { alone?: boolean } = {}): Promise<{ dataDir: string; file: string }> {
  parent = await tempDir()
  const dataDir = join(parent, 'Pathwise')
  const core = await openTestCore({ dataDir })
  await core.services.profile.update({ name: 'Ada' })
  core.close()
  const file = join(dataDir, DATABASE_FILE)
  if (options.alone) {
    new Database(file).exec('PRAGMA wal_checkpoint(TRUNCATE)')
    await rm(`${file}-wal`, { force: true })
    await rm(`${file}-shm`, { force: true })
  }
  return { dataDir, file }
}

/** Every name in the folder with its bytes' hash, size, mode and mtime, and the folder's own mtime. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = { '.': String((await stat(dir)).mtimeMs) }
  for (const name of (await readdir(dir)).sort()) {
    const info = await stat(join(dir, name))
    const hash = createHash('sha256').update(await readFile(join(dir, name))).digest('hex')
    result[name] = `${info.size} ${(info.mode & 0o777).toString(8)} ${info.mtimeMs} ${hash}`
  }
  return result
}

describe.skipIf(process.platform === 'win32' || !canDropPrivileges)('read-only database files and folders', () => {
  it('a read-only database file in a writable folder is refused at start with a message naming it, and is left as it was', async () => {
    const { dataDir, file } = await learnerFolder()
    await chmod(file, 0o444)
    const before = await snapshot(dataDir)

    const outcome = await openAsUser(dataDir)

    expect(outcome).toMatchObject({ opened: false, error: { code: 'DB_READ_ONLY' } })
    expect(outcome.error?.message).toContain(`Pathwise cannot write to its data file ${file}`)
    expect(outcome.error?.message).toMatch(/not read-only/)
    expect(await snapshot(dataDir)).toEqual(before)
  })

  for (const alone of [true, false]) {
    it(`a read-only data folder with a database in it is refused with a message naming the folder (${alone ? 'the database alone' : 'with its -wal and -shm'})`, async () => {
      const { dataDir } = await learnerFolder({ alone })
      await chmod(dataDir, 0o555)
      const before = await snapshot(dataDir)

      const outcome = await openAsUser(dataDir)

      expect(outcome).toMatchObject({ opened: false, error: { code: 'DB_READ_ONLY' } })
      expect(outcome.error?.message).toContain(`Pathwise cannot write to its data folder ${dataDir}`)
      expect(outcome.error?.message).not.toMatch(/SQLITE|ConnectionFailed/)
      expect(await snapshot(dataDir)).toEqual(before)
    })
  }

  it('a read-only data folder without a database is refused with a message naming the folder', async () => {
    parent = await tempDir()
    const dataDir = join(parent, 'Pathwise')
    await mkdir(dataDir, { mode: 0o555 })
    await chmod(dataDir, 0o555)

    const outcome = await openAsUser(dataDir)

    expect(outcome).toMatchObject({ opened: false, error: { code: 'DB_READ_ONLY' } })
    expect(outcome.error?.message).toContain(`Pathwise cannot write to its data folder ${dataDir}`)
    expect(outcome.error?.message).not.toMatch(/SQLITE|ConnectionFailed/)
    expect(await readdir(dataDir)).toEqual([])
  })

  it('the same learner folder, writable, opens and takes the write (the child itself works)', async () => {
    const { dataDir } = await learnerFolder()
    expect(await openAsUser(dataDir)).toEqual({ opened: true, wrote: true })
  })
})

/** Marks the database as written by a schema one above this app's, the way a newer Pathwise would. */
async function makeTooNew(file: string, options: { leaveInWal: boolean }): Promise<number> {
  const latest = (await readMigrations(MIGRATIONS_DIR)).length
  const db = new Database(file)
  db.exec('PRAGMA wal_autocheckpoint = 0')
  db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from_the_future', 0)").run(latest + 1)
  if (!options.leaveInWal) db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
  return latest
}

describe('a database from a newer version', () => {
  async function newerFolder(leaveInWal: boolean): Promise<{ dataDir: string; file: string; latest: number }> {
    parent = await tempDir()
    const made = join(parent, 'made')
    const core = await openTestCore({ dataDir: made })
    await core.services.profile.update({ name: 'Ada' })
    core.close()
    const latest = await makeTooNew(join(made, DATABASE_FILE), { leaveInWal })
    // What the newer version left on disk, copied while its connection is open: the main file, and its
    // -wal when the newer version quit without checkpointing.
    const dataDir = join(parent, 'Pathwise')
    await mkdir(dataDir, { mode: 0o700 })
    const file = join(dataDir, DATABASE_FILE)
    await copyFile(join(made, DATABASE_FILE), file)
    if (leaveInWal) await copyFile(join(made, `${DATABASE_FILE}-wal`), `${file}-wal`)
    return { dataDir, file, latest }
  }

  for (const leaveInWal of [false, true]) {
    it(`is refused and its folder is left exactly as it was (${leaveInWal ? 'its last writes still in its -wal' : 'the main file alone'})`, async () => {
      const { dataDir, file, latest } = await newerFolder(leaveInWal)
      const before = await snapshot(dataDir)
      expect(Object.keys(before)).toEqual(leaveInWal ? ['.', DATABASE_FILE, `${DATABASE_FILE}-wal`] : ['.', DATABASE_FILE])

      const error = await openDatabase({ file, migrationsDir: MIGRATIONS_DIR }).catch((e: unknown) => e)

      expect(error).toMatchObject({ code: 'DB_TOO_NEW', fileVersion: latest + 1, appVersion: latest, file })
      expect(await snapshot(dataDir)).toEqual(before)
    })
  }
})

/** The learner's name as the main file alone holds it: copied away from any -wal and -shm, then read. */
async function nameInMainFileAlone(file: string, table = 'users'): Promise<unknown> {
  const alone = join(parent as string, 'alone')
  await mkdir(alone)
  await copyFile(file, join(alone, 'copy.db'))
  const db = new Database(join(alone, 'copy.db'))
  try {
    return (db.prepare(`SELECT name FROM ${table} LIMIT 1`).get() as { name?: unknown } | undefined)?.name
  } finally {
    db.close()
  }
}

describe('a clean close', () => {
  it("checkpoints the core's database: the -wal is empty and the main file alone holds every write", async () => {
    parent = await tempDir()
    const core = await openTestCore({ dataDir: join(parent, 'Pathwise') })
    for (const name of ['Ada', 'Ada L.', 'Ada Lovelace']) await core.services.profile.update({ name })
    const file = core.db.file
    expect((await stat(`${file}-wal`)).size).toBeGreaterThan(0)

    core.close()

    const wal = await stat(`${file}-wal`).catch(() => null)
    expect(wal?.size ?? 0).toBe(0)
    expect(await nameInMainFileAlone(file)).toBe('Ada Lovelace')
  })

  it("checkpoints the sync server's database file the same way", async () => {
    parent = await tempDir()
    const file = join(parent, 'server.db')
    const db = await openServerDatabase({
      url: `file:${file}`,
      migrationsDir: MIGRATIONS_DIR,
      serverMigrationsDir: join(ROOT, 'server', 'migrations'),
    })
    await db.write(async (tx) => {
      await tx.run("INSERT INTO users (id, email, name) VALUES ('u1', 'ada@example.com', 'Ada')")
    })
    expect((await stat(`${file}-wal`)).size).toBeGreaterThan(0)

    db.close()

    const wal = await stat(`${file}-wal`).catch(() => null)
    expect(wal?.size ?? 0).toBe(0)
    expect(await nameInMainFileAlone(file)).toBe('Ada')
  })
})
