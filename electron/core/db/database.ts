/**
 * Opening the learner's database: refuse a damaged file or one from a newer app, back up before an
 * upgrade, migrate, then hand out a drizzle handle whose reads and writes run one at a time.
 */
import { accessSync, constants, readdirSync } from 'node:fs'
import { copyFile, mkdtemp, open, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Client, InStatement, ResultSet } from '@libsql/client'
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql'
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'
import * as schema from './schema'
import { createLocalClient, type LocalClient } from './local-client'
import { applyMigrations, appliedVersion, readMigrations } from './migrate'
import { DatabaseCorrupt, DatabaseReadOnly, DatabaseTooNew } from '../errors'
import { createPrivateFile, tightenFiles } from '../files/private-files'

export type Schema = typeof schema
/** Anything queries can run on: the database itself or an open transaction. */
export type Q = BaseSQLiteDatabase<'async', ResultSet, Schema>
type Orm = LibSQLDatabase<Schema>
type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0]

export interface Db {
  readonly file: string
  readonly client: Client
  /** Schema version of the file after opening. */
  readonly version: number
  /** Path of the backup taken before this open's upgrade, if there was one. */
  readonly backupFile: string | null
  read<T>(fn: (q: Q) => Promise<T>): Promise<T>
  /**
   * Runs `fn` in one IMMEDIATE transaction: everything it writes commits together or not at all.
   * `raw` runs plain SQL in the same transaction, for bulk writes too large to build through drizzle.
   */
  write<T>(fn: (tx: Q, raw: RawSql) => Promise<T>): Promise<T>
  close(): void
}

/** Plain SQL with positional arguments, inside the write transaction it was handed to. */
export type RawSql = (statement: InStatement) => Promise<ResultSet>

export interface OpenOptions {
  /** Path of the database file; created when missing. */
  file: string
  migrationsDir: string
  /** Epoch seconds, recorded with each applied migration. */
  now?: number
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

/** True when the file is missing or empty (a new database), false for a real SQLite file; throws for anything else. */
async function checkHeader(file: string): Promise<boolean> {
  const info = await stat(file).catch(() => null)
  if (!info || info.size === 0) return true
  const handle = await open(file, 'r')
  try {
    const header = Buffer.alloc(16)
    const { bytesRead } = await handle.read(header, 0, 16, 0)
    if (bytesRead < 16 || !header.equals(SQLITE_HEADER)) throw new DatabaseCorrupt(file)
    return false
  } finally {
    await handle.close()
  }
}

/**
 * The learner's data is readable by them only. SQLite gives -wal, -shm and -journal the main file's
 * mode, so a new database is created 0600 before SQLite opens it; an older version's 0644 database,
 * its journals and backups are tightened (a refusal is logged, the open goes on).
 */
function makePrivate(file: string): void {
  try {
    createPrivateFile(file)
  } catch {
    // A folder that is missing or not ours: SQLite's open says so in its own terms.
  }
  const folder = dirname(file)
  const backupPrefix = `${basename(file)}.v`
  let backups: string[] = []
  try {
    backups = readdirSync(folder).filter((name) => name.startsWith(backupPrefix) && name.endsWith('.bak'))
  } catch {
    // Same: an unreadable folder is for SQLite to report.
  }
  tightenFiles([file, `${file}-wal`, `${file}-shm`, `${file}-journal`, ...backups.map((name) => join(folder, name))])
}

function isCorruption(e: unknown): boolean {
  const text = `${(e as { code?: string }).code ?? ''} ${(e as Error).message ?? ''}`
  return /NOTADB|CORRUPT|malformed|not a database/i.test(text)
}

/** Runs the read-only checks on `client`: a damaged file is DatabaseCorrupt; answers the schema version. */
async function checkedVersion(client: LocalClient, file: string): Promise<number> {
  try {
    const check = await client.execute('PRAGMA quick_check(1)')
    if (String(check.rows[0]?.[0] ?? '') !== 'ok') throw new DatabaseCorrupt(file)
    return await appliedVersion(client)
  } catch (e) {
    if (e instanceof DatabaseCorrupt) throw e
    if (isCorruption(e)) throw new DatabaseCorrupt(file)
    throw e
  } finally {
    client.close()
  }
}

/**
 * The health and schema version of an existing database, read without creating or changing anything
 * beside it: a file we refuse (damaged, from a newer version) must be left exactly as it was. Even a
 * read-only connection to a WAL database creates -wal and -shm and writes its read marks in -shm, so
 * the main file is opened `immutable` (no locks, no -shm). That ignores a -wal, so when one holds
 * frames (an unclean quit; a clean close checkpoints) the file and its -wal are read from a copy.
 */
async function inspectDatabase(file: string): Promise<number> {
  const walSize = (await stat(`${file}-wal`).catch(() => null))?.size ?? 0
  if (walSize === 0) return checkedVersion(createLocalClient(`${pathToFileURL(file).href}?immutable=1`), file)
  const folder = await mkdtemp(join(tmpdir(), 'pathwise-inspect-'))
  try {
    const copy = join(folder, 'copy.db')
    await copyFile(file, copy)
    await copyFile(`${file}-wal`, `${copy}-wal`)
    return await checkedVersion(createLocalClient(copy), file)
  } finally {
    // On Windows a connection not yet collected may still hold the copy; it is only a temporary file.
    await rm(folder, { recursive: true, force: true }).catch(() => undefined)
  }
}

const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS'])

/** False only when the system says this process may not write `path`; a missing path is for the open to handle. */
function writable(path: string, mode: number = constants.W_OK): boolean {
  try {
    accessSync(path, mode)
    return true
  } catch (error) {
    return !NOT_WRITABLE.has((error as NodeJS.ErrnoException).code ?? '')
  }
}

/**
 * Refuses a data folder or database this process cannot write, before anything is written. SQLite would
 * open a read-only file for reading and fail every write later, and in a read-only folder it cannot
 * create the -wal, -shm and the backup taken before an upgrade.
 */
function checkWritable(file: string): void {
  const folder = dirname(file)
  if (!writable(folder, constants.W_OK | constants.X_OK)) throw new DatabaseReadOnly(folder, 'folder')
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (!writable(path)) throw new DatabaseReadOnly(path, 'file')
}

/**
 * Folds the WAL into the main file before closing, so after a clean quit the database file alone holds
 * the learner's data (a copy of it, a backup tool, a sync folder see everything). LocalClient runs the
 * statement synchronously inside execute(), so it has finished when close() runs. A refusal (a write
 * still holding the connection) only leaves the frames in the WAL, where the next open finds them.
 */
function checkpointAndClose(client: LocalClient): void {
  client.execute('PRAGMA wal_checkpoint(TRUNCATE)').catch(() => undefined)
  client.close()
}

/** Lets the event loop take new connections and timers before the next job (see serialQueue). */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Runs jobs one at a time in call order; a failed job does not stop the ones after it. The driver runs
 * statements synchronously, so a long queue of jobs would otherwise be one unbroken chain of promise
 * callbacks and starve everything else on the event loop (a busy sync server stops accepting clients).
 */
export function serialQueue() {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(job: () => Promise<T>): Promise<T> => {
    const next = () => yieldToEventLoop().then(job)
    const run = tail.then(next, next)
    tail = run.catch(() => undefined)
    return run
  }
}

export async function openDatabase(options: OpenOptions): Promise<Db> {
  const { file, migrationsDir } = options
  const now = options.now ?? Math.floor(Date.now() / 1000)
  const migrations = await readMigrations(migrationsDir)
  const latest = migrations.length
  const isNew = await checkHeader(file)
  // Read-only checks first: nothing may be written to, or created beside, a file we are about to refuse.
  let version = isNew ? 0 : await inspectDatabase(file)
  if (version > latest) throw new DatabaseTooNew(file, version, latest)
  checkWritable(file)
  makePrivate(file)

  // One connection, so PRAGMAs hold for every statement and the queue below is the only thing deciding
  // order; it keeps its prepared statements (local-client.ts).
  const client = createLocalClient(file)

  let backupFile: string | null = null
  try {
    if (!isNew && version > 0 && version < latest) {
      const backup = `${file}.v${version}-${now}.bak`
      backupFile = backup
      // VACUUM INTO keeps the mode of an empty file it is given; one it creates would be 0644.
      const created = createPrivateFile(backup)
      // VACUUM INTO writes a consistent copy whatever the journal mode, without touching the original.
      await client.execute({ sql: 'VACUUM INTO ?', args: [backup] }).catch(async (error: unknown) => {
        // No empty or half-written "backup" left behind (one that was already there is not ours to remove).
        if (created) await rm(backup, { force: true }).catch(() => undefined)
        throw error
      })
    }
    await client.execute('PRAGMA journal_mode = WAL')
    await client.execute('PRAGMA synchronous = NORMAL')
    await client.execute('PRAGMA foreign_keys = ON')
    await client.execute('PRAGMA busy_timeout = 5000')
    await applyMigrations(client, migrations, now)
    version = latest
  } catch (e) {
    client.close()
    throw e
  }

  const orm: Orm = drizzle({ client, schema })
  const enqueue = serialQueue()
  const raw = rawInTransactions(client)
  return {
    file,
    client,
    version,
    backupFile,
    read: (fn) => enqueue(() => fn(orm)),
    write: (fn) => enqueue(() => orm.transaction((tx: Tx) => fn(tx, raw))),
    close: () => checkpointAndClose(client),
  }
}

/**
 * A RawSql that runs in the transaction drizzle has open on the client (its one connection; the queue
 * runs one job at a time, so that is the write job's); running outside a write job is refused.
 */
function rawInTransactions(client: LocalClient): RawSql {
  return (statement) => {
    const tx = client.openTransaction
    if (!tx || tx.closed) return Promise.reject(new Error('raw SQL runs only inside db.write'))
    return tx.execute(statement)
  }
}
