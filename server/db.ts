/**
 * The server's database: a LibSQL file (through the app's own openDatabase, with its checks, backup and
 * shared migrations) or a remote libsql:// / http(s):// database (Turso, sqld) migrated with the same
 * runner. Either way the server's own migrations (server/migrations, tracked in server_migrations) go
 * on top, and every read and write runs one at a time, writes in one transaction each.
 */
import { mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient, type Client } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { openDatabase, serialQueue, type Q } from '../electron/core/db/database'
import { applyMigrations, appliedVersion, readMigrations } from '../electron/core/db/migrate'
import * as schema from '../electron/core/db/schema'
import { SYNC_TABLE_NAMES } from '../electron/core/sync/protocol'

export interface ServerDb {
  readonly client: Client
  /** The database file when it is a local one (`file:` URL), null for a remote database. */
  readonly file: string | null
  read<T>(fn: (q: Q) => Promise<T>): Promise<T>
  /** Runs `fn` in one write transaction: everything it writes commits together or not at all. */
  write<T>(fn: (tx: Q) => Promise<T>): Promise<T>
  close(): void
}

export interface ServerDbOptions {
  /** `file:…`, `libsql://…`, `http(s)://…` or `ws(s)://…`. */
  url: string
  authToken?: string
  /** The app's shared migrations (migrations/). */
  migrationsDir: string
  /** The server's own migrations (server/migrations). */
  serverMigrationsDir: string
  now?: number
}

/** The file path of a `file:` URL (`file:./data/server.db`, `file:/abs/x.db`, `file:///abs/x.db`). */
export function filePathOf(url: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url.split('?')[0] as string)
  return resolve((url.slice('file:'.length).split('?')[0] as string) || 'server.db')
}

async function openRemote(options: ServerDbOptions, now: number): Promise<ServerDb> {
  const client = createClient({ url: options.url, authToken: options.authToken })
  try {
    const shared = await readMigrations(options.migrationsDir)
    const version = await appliedVersion(client)
    if (version > shared.length) {
      throw new Error(`The database at ${new URL(options.url).host} has schema ${version}; this server knows ${shared.length}. Update the server.`)
    }
    await client.execute('PRAGMA foreign_keys = ON').catch(() => undefined)
    await applyMigrations(client, shared, now)
  } catch (e) {
    client.close()
    throw e
  }
  const orm = drizzle({ client, schema })
  const enqueue = serialQueue()
  return {
    client,
    file: null,
    read: (fn) => enqueue(() => fn(orm)),
    write: (fn) => enqueue(() => orm.transaction((tx) => fn(tx))),
    close: () => client.close(),
  }
}

async function openFile(options: ServerDbOptions, now: number): Promise<ServerDb> {
  const file = filePathOf(options.url)
  await mkdir(dirname(file), { recursive: true })
  return openDatabase({ file, migrationsDir: options.migrationsDir, now })
}

export async function openServerDatabase(options: ServerDbOptions): Promise<ServerDb> {
  const now = options.now ?? Math.floor(Date.now() / 1000)
  if (!/^(file|libsql|https?|wss?):/.test(options.url)) {
    throw new Error(`The database URL must start with file:, libsql://, http(s):// or ws(s)://, got "${options.url.split(':')[0]}:…"`)
  }
  const db = options.url.startsWith('file:') ? await openFile(options, now) : await openRemote(options, now)
  try {
    const own = await readMigrations(options.serverMigrationsDir)
    const version = await appliedVersion(db.client, 'server_migrations')
    if (version > own.length) throw new Error(`The database has server schema ${version}; this server knows ${own.length}. Update the server.`)
    await applyMigrations(db.client, own, now, 'server_migrations')
    await checkChangeTriggers(db.client)
  } catch (e) {
    db.close()
    throw e
  }
  return db
}

/** Every table a pull carries must record its changes; a table added to SYNC_TABLES without triggers is a bug. */
async function checkChangeTriggers(client: Client): Promise<void> {
  const rows = await client.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'change_log_%'")
  const present = new Set(rows.rows.map((r) => String(r.name)))
  const missing = SYNC_TABLE_NAMES.flatMap((t) => [`change_log_${t}_insert`, `change_log_${t}_update`]).filter((n) => !present.has(n))
  if (missing.length > 0) throw new Error(`server/migrations lacks change-log triggers: ${missing.join(', ')}`)
}
