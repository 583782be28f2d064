/**
 * Two views of the same schema, reduced to one comparable shape: what a migrated SQLite file says
 * about itself (sqlite_master and PRAGMAs) and what the drizzle tables in schema.ts declare. The
 * drift test compares them; `diffSchemas` names every difference in a line a person can read.
 */
import type { Client } from '@libsql/client'
import { getTableName, is, SQL } from 'drizzle-orm'
import { getTableConfig, SQLiteSyncDialect, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core'

export interface ColumnShape {
  /** Upper-case declared type: INTEGER, TEXT, … */
  type: string
  notNull: boolean
  /** Canonical SQL literal (`1`, `'UTC'`) or expression, or null when there is no default. */
  default: string | null
  autoIncrement: boolean
}

export interface ForeignKeyShape {
  columns: string[]
  table: string
  foreignColumns: string[]
  /** Upper case, e.g. CASCADE or NO ACTION. */
  onDelete: string
  onUpdate: string
}

export interface IndexShape {
  name: string
  columns: string[]
  partial: boolean
}

export interface TableShape {
  /** By column name; declaration order is not compared (ALTER TABLE always appends). */
  columns: Record<string, ColumnShape>
  /** Primary key columns in key order. */
  primaryKey: string[]
  foreignKeys: ForeignKeyShape[]
  /** Column lists of every unique constraint or unique index, whatever its name. */
  uniques: string[][]
  /** Named non-unique indexes. */
  indexes: IndexShape[]
}

export type SchemaShape = Record<string, TableShape>

/** Tables that belong to SQLite or to the migration runner rather than to the app. */
export function isRunnerTable(name: string): boolean {
  return name === 'schema_migrations' || name.startsWith('sqlite_')
}

// --- normalisation ---------------------------------------------------------------------------

function stripParens(text: string): string {
  let s = text.trim()
  while (s.startsWith('(') && s.endsWith(')')) s = s.slice(1, -1).trim()
  return s
}

/** A default as SQLite reports it (`'UTC'`, `"UTC"`, `1`, `(1)`, `CURRENT_TIMESTAMP`) in one spelling. */
export function canonicalSqlDefault(raw: string | null): string | null {
  if (raw === null) return null
  const s = stripParens(raw)
  const quoted = /^'((?:[^']|'')*)'$/.exec(s) ?? /^"((?:[^"]|"")*)"$/.exec(s)
  if (quoted) {
    const quote = s[0] as string
    const value = (quoted[1] as string).split(quote + quote).join(quote)
    return stringLiteral(value)
  }
  if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s)) return String(Number(s))
  if (/^null$/i.test(s)) return null
  return s
}

function stringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

const dialect = new SQLiteSyncDialect()

/** A drizzle `.default(…)` value in the spelling `canonicalSqlDefault` produces. */
export function canonicalDrizzleDefault(value: unknown): string | null {
  if (value === undefined || value === null) return null
  if (is(value, SQL)) return canonicalSqlDefault(dialect.sqlToQuery(value).sql)
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (typeof value === 'string') return stringLiteral(value)
  if (value instanceof Date) return String(Math.floor(value.getTime() / 1000))
  return stringLiteral(JSON.stringify(value))
}

function sortShape(table: TableShape): TableShape {
  const key = (cols: string[]) => cols.join(',')
  return {
    columns: Object.fromEntries(Object.entries(table.columns).sort(([a], [b]) => a.localeCompare(b))),
    primaryKey: table.primaryKey,
    foreignKeys: [...table.foreignKeys].sort((a, b) => key(a.columns).localeCompare(key(b.columns))),
    uniques: [...table.uniques].sort((a, b) => key(a).localeCompare(key(b))),
    indexes: [...table.indexes].sort((a, b) => a.name.localeCompare(b.name)),
  }
}

// --- the database's view ---------------------------------------------------------------------

type Row = Record<string, unknown>

async function rows(client: Client, sql: string): Promise<Row[]> {
  const result = await client.execute(sql)
  return result.rows as unknown as Row[]
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Reads the shape of every app table in an open SQLite database. */
export async function describeDatabase(client: Client): Promise<SchemaShape> {
  const tables = await rows(client, "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
  const shape: SchemaShape = {}
  for (const t of tables) {
    const name = String(t.name)
    if (isRunnerTable(name)) continue
    const createSql = String(t.sql ?? '')
    const info = await rows(client, `PRAGMA table_info(${quoteIdent(name)})`)

    const pk = info
      .filter((c) => Number(c.pk) > 0)
      .sort((a, b) => Number(a.pk) - Number(b.pk))
      .map((c) => String(c.name))

    const columns: Record<string, ColumnShape> = {}
    for (const c of info) {
      const colName = String(c.name)
      const type = String(c.type).toUpperCase()
      // An INTEGER PRIMARY KEY is the rowid: SQLite never stores NULL in it even without NOT NULL.
      const isRowid = pk.length === 1 && pk[0] === colName && type === 'INTEGER'
      columns[colName] = {
        type,
        notNull: Number(c.notnull) === 1 || isRowid,
        default: canonicalSqlDefault(c.dflt_value === null || c.dflt_value === undefined ? null : String(c.dflt_value)),
        autoIncrement: isRowid && /\bAUTOINCREMENT\b/i.test(createSql),
      }
    }

    const fkRows = await rows(client, `PRAGMA foreign_key_list(${quoteIdent(name)})`)
    const byId = new Map<number, Row[]>()
    for (const r of fkRows) byId.set(Number(r.id), [...(byId.get(Number(r.id)) ?? []), r])
    const foreignKeys: ForeignKeyShape[] = []
    for (const group of byId.values()) {
      group.sort((a, b) => Number(a.seq) - Number(b.seq))
      const first = group[0] as Row
      const target = String(first.table)
      let foreignColumns = group.map((r) => (r.to === null || r.to === undefined ? null : String(r.to)))
      if (foreignColumns.some((c) => c === null)) {
        // `REFERENCES users` without a column list points at the target's primary key.
        const targetInfo = await rows(client, `PRAGMA table_info(${quoteIdent(target)})`)
        foreignColumns = targetInfo
          .filter((c) => Number(c.pk) > 0)
          .sort((a, b) => Number(a.pk) - Number(b.pk))
          .map((c) => String(c.name))
      }
      foreignKeys.push({
        columns: group.map((r) => String(r.from)),
        table: target,
        foreignColumns: foreignColumns as string[],
        onDelete: String(first.on_delete).toUpperCase(),
        onUpdate: String(first.on_update).toUpperCase(),
      })
    }

    const uniques: string[][] = []
    const indexes: IndexShape[] = []
    for (const idx of await rows(client, `PRAGMA index_list(${quoteIdent(name)})`)) {
      if (String(idx.origin) === 'pk') continue
      const idxName = String(idx.name)
      const cols = (await rows(client, `PRAGMA index_info(${quoteIdent(idxName)})`))
        .sort((a, b) => Number(a.seqno) - Number(b.seqno))
        .map((r) => (r.name === null || r.name === undefined ? '<expression>' : String(r.name)))
      if (Number(idx.unique) === 1) uniques.push(cols)
      else indexes.push({ name: idxName, columns: cols, partial: Number(idx.partial) === 1 })
    }

    shape[name] = sortShape({ columns, primaryKey: pk, foreignKeys, uniques, indexes })
  }
  return shape
}

// --- drizzle's view --------------------------------------------------------------------------

/** Every sqliteTable among a module's exports (e.g. `import * as schema`). */
export function drizzleTables(moduleExports: Record<string, unknown>): SQLiteTable[] {
  return Object.values(moduleExports).filter((v): v is SQLiteTable => is(v, SQLiteTable))
}

function indexColumnName(column: SQLiteColumn | SQL): string {
  return is(column, SQL) ? '<expression>' : column.name
}

function isAutoIncrement(column: SQLiteColumn): boolean {
  return 'autoIncrement' in column && (column as { autoIncrement?: unknown }).autoIncrement === true
}

/** The shape the drizzle tables declare. */
export function describeDrizzle(tables: readonly SQLiteTable[]): SchemaShape {
  const shape: SchemaShape = {}
  for (const table of tables) {
    const config = getTableConfig(table)
    const columns: Record<string, ColumnShape> = {}
    for (const c of config.columns) {
      columns[c.name] = {
        type: c.getSQLType().toUpperCase(),
        notNull: c.notNull,
        default: canonicalDrizzleDefault(c.default),
        autoIncrement: isAutoIncrement(c),
      }
    }

    const primaryKey = [
      ...config.columns.filter((c) => c.primary).map((c) => c.name),
      ...config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)),
    ]

    const foreignKeys = config.foreignKeys.map((fk): ForeignKeyShape => {
      const ref = fk.reference()
      return {
        columns: ref.columns.map((c) => c.name),
        table: getTableName(ref.foreignTable),
        foreignColumns: ref.foreignColumns.map((c) => c.name),
        onDelete: (fk.onDelete ?? 'no action').toUpperCase(),
        onUpdate: (fk.onUpdate ?? 'no action').toUpperCase(),
      }
    })

    const uniques: string[][] = [
      ...config.columns.filter((c) => c.isUnique).map((c) => [c.name]),
      ...config.uniqueConstraints.map((u) => u.columns.map((c) => c.name)),
      ...config.indexes.filter((i) => i.config.unique).map((i) => i.config.columns.map(indexColumnName)),
    ]
    const indexes = config.indexes
      .filter((i) => !i.config.unique)
      .map((i): IndexShape => ({ name: i.config.name, columns: i.config.columns.map(indexColumnName), partial: i.config.where !== undefined }))

    shape[config.name] = sortShape({ columns, primaryKey, foreignKeys, uniques, indexes })
  }
  return shape
}

// --- comparison ------------------------------------------------------------------------------

function show(value: unknown): string {
  return JSON.stringify(value)
}

function fkText(fk: ForeignKeyShape): string {
  return `(${fk.columns.join(', ')}) → ${fk.table}(${fk.foreignColumns.join(', ')}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`
}

function indexText(i: IndexShape): string {
  return `${i.name} (${i.columns.join(', ')})${i.partial ? ' WHERE …' : ''}`
}

function setDiff(where: string, what: string, database: string[], drizzle: string[]): string[] {
  const out: string[] = []
  for (const d of database) if (!drizzle.includes(d)) out.push(`${where}: ${what} ${d} is in the database but not in schema.ts`)
  for (const d of drizzle) if (!database.includes(d)) out.push(`${where}: ${what} ${d} is in schema.ts but not in the database`)
  return out
}

/**
 * Every difference between the migrated database and the drizzle schema, one readable line each;
 * empty when they agree.
 */
export function diffSchemas(database: SchemaShape, drizzle: SchemaShape): string[] {
  const out: string[] = []
  const tableNames = [...new Set([...Object.keys(database), ...Object.keys(drizzle)])].sort()
  for (const name of tableNames) {
    const db = database[name]
    const dz = drizzle[name]
    if (!db) {
      out.push(`table ${name} is in schema.ts but not in the database`)
      continue
    }
    if (!dz) {
      out.push(`table ${name} is in the database but not in schema.ts`)
      continue
    }

    const colNames = [...new Set([...Object.keys(db.columns), ...Object.keys(dz.columns)])].sort()
    for (const col of colNames) {
      const a = db.columns[col]
      const b = dz.columns[col]
      if (!a) {
        out.push(`${name}.${col}: column is in schema.ts but not in the database`)
        continue
      }
      if (!b) {
        out.push(`${name}.${col}: column is in the database but not in schema.ts`)
        continue
      }
      for (const key of ['type', 'notNull', 'default', 'autoIncrement'] as const) {
        if (a[key] !== b[key]) out.push(`${name}.${col}: ${key} is ${show(a[key])} in the database but ${show(b[key])} in schema.ts`)
      }
    }

    if (show(db.primaryKey) !== show(dz.primaryKey)) {
      out.push(`${name}: primary key is (${db.primaryKey.join(', ')}) in the database but (${dz.primaryKey.join(', ')}) in schema.ts`)
    }
    out.push(...setDiff(name, 'foreign key', db.foreignKeys.map(fkText), dz.foreignKeys.map(fkText)))
    out.push(
      ...setDiff(
        name,
        'unique',
        db.uniques.map((u) => `(${u.join(', ')})`),
        dz.uniques.map((u) => `(${u.join(', ')})`),
      ),
    )
    out.push(...setDiff(name, 'index', db.indexes.map(indexText), dz.indexes.map(indexText)))
  }
  return out
}
