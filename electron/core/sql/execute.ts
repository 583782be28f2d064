/**
 * Runs learner SQL on a sql.js database: the work sql-worker.ts does for each run. Kept apart from the
 * worker's messaging so the rules (which statement is the result, the row cap, how values are shown,
 * which errors are syntax errors) read in one place.
 *
 * sql.js is SQLite compiled to WebAssembly with an in-memory file system only (Emscripten's MEMFS, no
 * NODEFS): ATTACH '/some/path' or VACUUM INTO create files in that memory, never on disk, and
 * load_extension is compiled out (SQLITE_OMIT_LOAD_EXTENSION).
 */
import type { Database, SqlJsStatic, SqlValue as EngineValue, Statement } from 'sql.js'
import { EMPTY_MESSAGE } from './messages'
import type { SqlRun, SqlTable, SqlValue } from './result'

/** sql.js's Statement.get takes a second argument @types/sql.js does not declare: integers as BigInt. */
type GetWithBigInt = (params: null, config: { useBigInt: true }) => (EngineValue | bigint)[]

/** A dataset the course's author wrote failed to load: an authoring error, not the learner's. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(`The sample database failed to load: ${message}`)
    this.name = 'DatasetError'
  }
}

/** Loads the dataset's SQL into a fresh in-memory database and returns its file image. */
export function buildImage(SQL: SqlJsStatic, dataset: string): Uint8Array {
  const db = new SQL.Database()
  try {
    db.exec(dataset)
    return db.export()
  } catch (error) {
    throw new DatasetError(messageOf(error))
  } finally {
    db.close()
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function showValue(value: EngineValue | bigint): SqlValue {
  if (value instanceof Uint8Array) return `[blob: ${value.length} ${value.length === 1 ? 'byte' : 'bytes'}]`
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
  return value
}

// Messages SQLite's parser gives (sqlite3RunParser, the tokenizer); every other error is raised once the
// statement is understood (no such table, a constraint, too many terms…).
const SYNTAX = /syntax error|incomplete input|unrecognized token/

/**
 * Steps one statement. A statement with result columns (a SELECT, PRAGMA, … RETURNING) gives a table,
 * cut after `rowCap` rows; stopping early is safe even for INSERT … RETURNING, whose changes all happen
 * at the first step.
 */
function stepStatement(statement: Statement, rowCap: number): { table: SqlTable | null; truncated: boolean } {
  const columns = statement.getColumnNames()
  if (columns.length === 0) {
    while (statement.step()) {
      // A statement without result columns yields no rows; step until it is done.
    }
    return { table: null, truncated: false }
  }
  const get = (statement.get as unknown as GetWithBigInt).bind(statement)
  const rows: SqlValue[][] = []
  while (statement.step()) {
    if (rows.length === rowCap) return { table: { columns, rows }, truncated: true }
    rows.push(get(null, { useBigInt: true }).map(showValue))
  }
  return { table: { columns, rows }, truncated: false }
}

function totalChanges(db: Database): number {
  const value = db.exec('SELECT total_changes()')[0]?.values[0]?.[0]
  return typeof value === 'number' ? value : 0
}

/** Runs `query` on a fresh database opened from `image`; the database is closed (and its file freed) after. */
export function runOnImage(SQL: SqlJsStatic, image: Uint8Array, query: string, rowCap: number): SqlRun {
  const db = new SQL.Database(image)
  try {
    let result: SqlTable | null = null
    let truncated = false
    let statements = 0
    try {
      for (const statement of db.iterateStatements(query)) {
        statements += 1
        try {
          const stepped = stepStatement(statement, rowCap)
          if (stepped.table) ({ table: result, truncated } = stepped)
        } finally {
          statement.free()
        }
      }
    } catch (error) {
      const message = messageOf(error)
      return { ok: false, error: { kind: SYNTAX.test(message) ? 'syntax' : 'runtime', message } }
    }
    if (statements === 0) return { ok: false, error: { kind: 'empty', message: EMPTY_MESSAGE } }
    return { ok: true, result, truncated, changes: totalChanges(db) }
  } finally {
    db.close()
  }
}
