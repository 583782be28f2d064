/**
 * The learner's data folder and what Pathwise writes in it are theirs alone (folder 0700, files 0600),
 * whatever the umask: the database and its -wal/-shm, the backups taken before an upgrade, the logs
 * and window-state.json. An older version's 0755/0644 leftovers are tightened when the app opens them,
 * and a chmod that is not permitted is logged, never a failed start. Real files, real modes; POSIX
 * modes mean nothing on Windows.
 */
import { chmod, cp, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DATABASE_FILE } from '../../electron/core/core'
import { openDatabase } from '../../electron/core/db/database'
import { ensurePrivateDir, tightenFiles } from '../../electron/core/files/private-files'
import { prepareLogFolder } from '../../electron/main/log-files'
import { saveWindowState } from '../../electron/main/window-state-store'
import { openTestCore, tempDir } from '../helpers/core'
import { MIGRATIONS_DIR } from '../helpers/paths'

const modeOf = async (path: string) => (await stat(path)).mode & 0o777
const modesOf = async (paths: Record<string, string>) =>
  Object.fromEntries(await Promise.all(Object.entries(paths).map(async ([name, path]) => [name, (await modeOf(path)).toString(8)])))

let parent: string
let previousUmask: number
const cleanups: (() => Promise<void> | void)[] = []

beforeAll(() => {
  // The usual umask, set here so the test does not pass on a machine whose umask already hides the files.
  previousUmask = process.umask(0o022)
})
afterAll(() => {
  process.umask(previousUmask)
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  if (parent) await rm(parent, { recursive: true, force: true })
})

async function open(dataDir: string) {
  const core = await openTestCore({ dataDir })
  cleanups.push(() => core.close())
  return core
}

describe.skipIf(process.platform === 'win32')('the data folder and its files', () => {
  it('a new data folder is 0700 and the database with its -wal and -shm 0600', async () => {
    parent = await tempDir()
    const dataDir = join(parent, 'Pathwise')
    const core = await open(dataDir)
    await core.services.profile.update({ name: 'Ada' })
    const db = join(dataDir, DATABASE_FILE)
    expect(await modesOf({ dataDir, db, wal: `${db}-wal`, shm: `${db}-shm` })).toEqual({ dataDir: '700', db: '600', wal: '600', shm: '600' })
  })

  it("tightens an older version's 0755 folder and 0644 database, -wal, -shm and backups when it opens them", async () => {
    parent = await tempDir()
    const dataDir = join(parent, 'Pathwise')
    const db = join(dataDir, DATABASE_FILE)
    const first = await open(dataDir)
    await first.services.profile.update({ name: 'Ada' })
    const oldBackup = `${db}.v2-1700000000.bak`
    await writeFile(oldBackup, 'an older backup')
    // What an older version left: everything readable by every local user (its -wal still open).
    for (const file of [db, `${db}-wal`, `${db}-shm`, oldBackup]) await chmod(file, 0o644)
    await chmod(dataDir, 0o755)

    const second = await open(dataDir)
    await second.services.profile.update({ name: 'Ada Lovelace' })
    expect(await modesOf({ dataDir, db, wal: `${db}-wal`, shm: `${db}-shm`, oldBackup })).toEqual({
      dataDir: '700',
      db: '600',
      wal: '600',
      shm: '600',
      oldBackup: '600',
    })
  })

  it('the backup taken before an upgrade is 0600, and so is the upgraded database', async () => {
    parent = await tempDir()
    const dataDir = join(parent, 'Pathwise')
    const db = join(dataDir, DATABASE_FILE)
    // A database at version 2, left 0644 in a 0755 folder by the version that wrote it.
    const oldMigrations = join(parent, 'migrations-v2')
    await mkdir(oldMigrations)
    for (const name of (await readdir(MIGRATIONS_DIR)).filter((f) => /^00[12]_/.test(f))) await cp(join(MIGRATIONS_DIR, name), join(oldMigrations, name))
    await mkdir(dataDir)
    ;(await openDatabase({ file: db, migrationsDir: oldMigrations })).close()
    await chmod(db, 0o644)
    await chmod(dataDir, 0o755)

    const core = await open(dataDir)
    expect(core.db.backupFile).toMatch(/pathwise\.db\.v2-\d+\.bak$/)
    expect(await modesOf({ dataDir, db, backup: core.db.backupFile as string })).toEqual({ dataDir: '700', db: '600', backup: '600' })
  })

  it('a chmod that is not permitted is logged with the file and the reason, and start-up goes on', async () => {
    parent = await tempDir()
    const file = join(parent, 'pathwise.db')
    await writeFile(file, '')
    await chmod(file, 0o644)
    await chmod(parent, 0o755)
    const warnings: string[] = []
    const refuse = (path: string) => {
      throw Object.assign(new Error(`EPERM: operation not permitted, chmod '${path}'`), { code: 'EPERM' })
    }
    expect(() => ensurePrivateDir(parent, { warn: (m) => warnings.push(m), chmod: refuse })).not.toThrow()
    expect(() => tightenFiles([file, join(parent, 'missing-wal')], { warn: (m) => warnings.push(m), chmod: refuse })).not.toThrow()
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`${parent}.*EPERM`)), expect.stringMatching(new RegExp(`pathwise\\.db.*EPERM`))])
    // Nothing was changed behind the refusal, and a missing file is no warning.
    expect(await modesOf({ parent, file })).toEqual({ parent: '755', file: '644' })
  })

  it('the logs folder is 0700 and an older 0644 main.log and main.old.log are tightened', async () => {
    parent = await tempDir()
    const dataDir = join(parent, 'Pathwise')
    const logs = join(dataDir, 'logs')
    await mkdir(logs, { recursive: true, mode: 0o755 })
    await chmod(logs, 0o755)
    await writeFile(join(logs, 'main.log'), 'old lines\n', { mode: 0o644 })
    await writeFile(join(logs, 'main.old.log'), 'older lines\n', { mode: 0o644 })
    prepareLogFolder(dataDir, () => undefined)
    expect(await modesOf({ logs, log: join(logs, 'main.log'), old: join(logs, 'main.old.log') })).toEqual({ logs: '700', log: '600', old: '600' })

    const fresh = join(parent, 'Fresh')
    prepareLogFolder(fresh, () => undefined)
    expect(await modesOf({ dataDir: fresh, logs: join(fresh, 'logs') })).toEqual({ dataDir: '700', logs: '700' })
  })

  it('window-state.json is 0600 and a folder it creates 0700', async () => {
    parent = await tempDir()
    const dataDir = join(parent, 'Pathwise')
    const file = join(dataDir, 'window-state.json')
    saveWindowState(file, { x: 10, y: 20, width: 1200, height: 800, maximized: false })
    expect(await modesOf({ dataDir, file })).toEqual({ dataDir: '700', file: '600' })
  })
})
