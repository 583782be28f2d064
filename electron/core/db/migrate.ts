/**
 * The migration runner: numbered, forward-only SQL files from migrations/, each applied in its own
 * transaction and recorded in schema_migrations. The runner owns that one table because it must
 * exist before 001 can be recorded.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Client } from '@libsql/client'

export interface Migration {
  version: number
  name: string
  sql: string
}

const FILE_PATTERN = /^(\d{3})_([a-z0-9_]+)\.sql$/

export async function readMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => FILE_PATTERN.test(f)).sort()
  const migrations = await Promise.all(
    files.map(async (file) => {
      const [, version, name] = FILE_PATTERN.exec(file) as RegExpExecArray
      return { version: Number(version), name: name as string, sql: await readFile(join(dir, file), 'utf8') }
    }),
  )
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations must be numbered 001, 002, … without gaps; found ${m.version} at position ${i + 1}`)
  })
  return migrations
}

/** Where a set of migrations records itself: the app's shared schema, or the sync server's own tables. */
export type MigrationTable = 'schema_migrations' | 'server_migrations'

/** The highest applied version, or 0 for a database the runner has never touched. Reads only. */
export async function appliedVersion(client: Client, table: MigrationTable = 'schema_migrations'): Promise<number> {
  const exists = await client.execute({ sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", args: [table] })
  if (exists.rows.length === 0) return 0
  const row = await client.execute(`SELECT COALESCE(MAX(version), 0) AS v FROM ${table}`)
  return Number(row.rows[0]?.v ?? 0)
}

/** Applies every migration above the current version, in order; returns the versions applied. */
export async function applyMigrations(
  client: Client,
  migrations: readonly Migration[],
  now: number,
  table: MigrationTable = 'schema_migrations',
): Promise<number[]> {
  await client.execute(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`)
  const current = await appliedVersion(client, table)
  const applied: number[] = []
  for (const m of migrations.filter((m) => m.version > current)) {
    const tx = await client.transaction('write')
    try {
      await tx.executeMultiple(m.sql)
      await tx.execute({ sql: `INSERT INTO ${table} (version, name, applied_at) VALUES (?, ?, ?)`, args: [m.version, m.name, now] })
      await tx.commit()
    } catch (e) {
      await tx.rollback()
      throw new Error(`Migration ${String(m.version).padStart(3, '0')}_${m.name} failed: ${(e as Error).message}`, { cause: e })
    } finally {
      tx.close()
    }
    applied.push(m.version)
  }
  return applied
}
