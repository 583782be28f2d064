/**
 * A @libsql/client `Client` for one local database file that keeps its prepared statements.
 *
 * @libsql/client's file client prepares every statement afresh and asks it for its columns on every
 * run. Compiling is not cheap in SQLite: a write to a synced table also compiles its change-log
 * triggers each time. On the sync server that was a third of its time under load (bench: clients),
 * and on the desktop a good part of a lesson completion. This client runs the same `libsql` engine
 * on one connection (the app's queue orders all work, see database.ts) and keeps a bounded set of
 * statements by SQL text, each with its column names learnt once.
 *
 * It answers like @libsql/client's file client with intMode "number": rows are objects with the
 * column names as properties and the values also at 0..n-1, integers beyond 2^53 are refused, errors
 * are LibsqlError with the SQLite code, and an open transaction holds the connection. A failure leaves
 * nothing behind on the connection: no statement still running (CachedConnection.halt), no transaction
 * open after a refused COMMIT or a close.
 */
import {
  LibsqlBatchError,
  LibsqlError,
  type Client,
  type InArgs,
  type InStatement,
  type InValue,
  type ResultSet,
  type Row,
  type Transaction,
  type TransactionMode,
  type Value,
} from '@libsql/client'
import Database from 'libsql'

/** Statements kept per connection; the app runs a few dozen distinct ones, pull writes add a few. */
export const STATEMENT_CACHE_SIZE = 256

/** libsql implements interrupt() (sqlite3_interrupt); the types it copied from better-sqlite3 leave it out. */
type Connection = InstanceType<typeof Database> & { interrupt(): void }
type Statement = ReturnType<Connection['prepare']>
type SqlValue = null | string | number | bigint | Buffer | Uint8Array
type SqlArgs = SqlValue[] | Record<string, SqlValue>

interface Prepared {
  statement: Statement
  /** Null for a statement that returns no rows (INSERT without RETURNING, BEGIN, …). */
  columns: string[] | null
  columnTypes: string[]
  toRow: (values: unknown[]) => Row
}

const BEGIN: Record<TransactionMode, string> = {
  write: 'BEGIN IMMEDIATE',
  read: 'BEGIN TRANSACTION READONLY',
  deferred: 'BEGIN DEFERRED',
}

/** Statements that change the schema: cached statements compiled before them may read it wrongly. */
const SCHEMA_CHANGE = /^\s*(CREATE|ALTER|DROP)\b/i

const SQLITE_CODES = [
  'SQLITE_OK', 'SQLITE_ERROR', 'SQLITE_INTERNAL', 'SQLITE_PERM', 'SQLITE_ABORT', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_NOMEM',
  'SQLITE_READONLY', 'SQLITE_INTERRUPT', 'SQLITE_IOERR', 'SQLITE_CORRUPT', 'SQLITE_NOTFOUND', 'SQLITE_FULL', 'SQLITE_CANTOPEN',
  'SQLITE_PROTOCOL', 'SQLITE_EMPTY', 'SQLITE_SCHEMA', 'SQLITE_TOOBIG', 'SQLITE_CONSTRAINT', 'SQLITE_MISMATCH', 'SQLITE_MISUSE',
  'SQLITE_NOLFS', 'SQLITE_AUTH', 'SQLITE_FORMAT', 'SQLITE_RANGE', 'SQLITE_NOTADB', 'SQLITE_NOTICE', 'SQLITE_WARNING',
]

/** The engine's error as @libsql/client reports it: `code` is the base SQLite code, `extendedCode` the exact one. */
function toLibsqlError(e: unknown): unknown {
  if (!(e instanceof Database.SqliteError)) return e
  const base = e.rawCode === undefined ? 'SQLITE_UNKNOWN' : (SQLITE_CODES[e.rawCode & 0xff] ?? `SQLITE_UNKNOWN_${e.rawCode & 0xff}`)
  return new LibsqlError(e.message, base, e.code, e.rawCode, e)
}

function toBatchError(e: unknown, index: number): unknown {
  if (e instanceof LibsqlBatchError || !(e instanceof LibsqlError)) return e
  return new LibsqlBatchError(e.message, index, e.code, e.extendedCode, e.rawCode, e.cause instanceof Error ? e.cause : undefined)
}

const MIN_INT64 = -(2n ** 63n)
const MAX_INT64 = 2n ** 63n - 1n

function toSql(value: InValue): SqlValue {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments')
      return value
    case 'bigint':
      if (value < MIN_INT64 || value > MAX_INT64) throw new RangeError('bigint is too large to be represented as a 64-bit integer and passed as argument')
      return value
    case 'boolean':
      return value ? 1 : 0
    case 'undefined':
      throw new TypeError('undefined cannot be passed as argument to the database')
    default:
      if (value instanceof ArrayBuffer) return Buffer.from(value)
      if (value instanceof Date) return value.valueOf()
      return value
  }
}

function argsToSql(args: InArgs | undefined): SqlArgs {
  if (args === undefined) return []
  if (Array.isArray(args)) return args.map(toSql)
  const named: Record<string, SqlValue> = {}
  for (const [name, value] of Object.entries(args)) named[/^[@$:]/.test(name) ? name.slice(1) : name] = toSql(value)
  return named
}

function fromSql(value: unknown): Value {
  if (typeof value === 'bigint') {
    if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError('Received integer which cannot be safely represented as a JavaScript number')
    }
    return Number(value)
  }
  if (Buffer.isBuffer(value)) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer
  return value as Value
}

/**
 * Makes the rows of one statement as @libsql/client shapes them: each value as an enumerable named
 * property (the first column of a name wins; a name that is also one of the row's indexes, or
 * "length", is left to them) and at its index 0..n-1 (not enumerable), with a length. Defining every
 * index on every row was most of the cost of reading one; here the indexes and length are getters of
 * a class made once per statement, over the row's values kept in a private field.
 */
function rowMaker(columns: readonly string[]): (values: unknown[]) => Row {
  const isIndex = (name: string) => /^(0|[1-9]\d*)$/.test(name) && Number(name) < columns.length
  const named = columns.flatMap((name, i) => (columns.indexOf(name) === i && name !== 'length' && !isIndex(name) ? [{ name, i }] : []))
  class LocalRow {
    readonly #values: Value[]

    constructor(values: Value[]) {
      this.#values = values
      const row = this as unknown as Record<string, Value>
      for (const { name, i } of named) {
        // Assigning to "__proto__" would set the prototype instead: that one column is defined.
        if (name === '__proto__') Object.defineProperty(row, name, { value: values[i], enumerable: true, writable: true, configurable: true })
        else row[name] = values[i] as Value
      }
    }

    get length(): number {
      return this.#values.length
    }

    static valueAt(row: LocalRow, index: number): Value {
      return row.#values[index] as Value
    }
  }
  columns.forEach((_, index) => Object.defineProperty(LocalRow.prototype, index, { get: function (this: LocalRow) { return LocalRow.valueAt(this, index) } }))
  return (values) => new LocalRow(values.map(fromSql)) as unknown as Row
}

function resultSet(columns: string[], columnTypes: string[], rows: Row[], rowsAffected: number, lastInsertRowid: bigint | undefined): ResultSet {
  return {
    columns,
    columnTypes,
    rows,
    rowsAffected,
    lastInsertRowid,
    toJSON: () => ({
      columns,
      columnTypes,
      rows: rows.map((row) => Array.prototype.map.call(row, (v: Value) => (typeof v === 'bigint' ? String(v) : v instanceof ArrayBuffer ? Buffer.from(v).toString('base64') : v))),
      rowsAffected,
      lastInsertRowid: lastInsertRowid === undefined ? null : String(lastInsertRowid),
    }),
  }
}

/** A statement with its text and arguments apart (InStatement may also be the bare text). */
interface Stmt {
  sql: string
  args?: InArgs
}

const asStatement = (stmt: InStatement | [string, InArgs?], args?: InArgs): Stmt =>
  typeof stmt === 'string' ? { sql: stmt, args } : Array.isArray(stmt) ? { sql: stmt[0], args: stmt[1] } : stmt

/** One connection and its statements. */
class CachedConnection {
  readonly db: Connection
  private readonly cache = new Map<string, Prepared>()
  /** `SELECT 1`, which tells whether a statement is still running (see halt). Prepared up front: an interrupted connection cannot compile. */
  private readonly probe: Statement

  constructor(path: string) {
    try {
      this.db = new Database(path) as Connection
      this.probe = this.db.prepare('SELECT 1')
    } catch (e) {
      throw toLibsqlError(e)
    }
  }

  /**
   * Stops `statement` if it failed but is still running. After SQLITE_BUSY (a lock not granted within
   * the busy timeout) SQLite leaves the statement where it stopped, to be retried; until it is reset it
   * counts as a write in progress (every COMMIT and RELEASE is refused: "SQL statements in progress")
   * and a read keeps the read lock and its old snapshot, for the life of the connection. libsql's
   * statements have no reset(), and are finalized only when garbage-collected, so the statement is
   * stepped once more on an interrupted connection, which halts it where it stands.
   *
   * The probe comes first because a statement that halted on its own must not be stepped again: it
   * would start over. An interrupt is dropped when a statement starts with none running, so the probe
   * answers only when nothing runs, and is itself interrupted when the failed statement still runs.
   */
  private halt(statement: Statement): void {
    if (!this.db.open) return
    this.db.interrupt()
    try {
      this.probe.get([])
      return
    } catch {
      // Interrupted: the statement that failed is still running.
    }
    try {
      statement.get([]) // continues it without resetting it: it sees the interrupt and halts
    } catch {
      // SQLITE_INTERRUPT, as intended. A write halted this way rolls back an explicit transaction it
      // was in, which SQLite asks for after SQLITE_BUSY there anyway.
    }
  }

  private prepare(sql: string): Prepared {
    const hit = this.cache.get(sql)
    if (hit) {
      // Most recently used last, so the first entry is the one to drop when full.
      this.cache.delete(sql)
      this.cache.set(sql, hit)
      return hit
    }
    const statement = this.db.prepare(sql)
    statement.safeIntegers(true)
    let columns: string[] | null = null
    let columnTypes: string[] = []
    if (statement.reader) {
      statement.raw(true)
      const defs = statement.columns()
      columns = defs.map((c) => c.name)
      columnTypes = defs.map((c) => c.type ?? '')
    }
    const prepared = { statement, columns, columnTypes, toRow: rowMaker(columns ?? []) }
    if (this.cache.size >= STATEMENT_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string)
    this.cache.set(sql, prepared)
    return prepared
  }

  /** Cached statements compiled against the old schema are dropped, not trusted to re-prepare themselves. */
  forgetStatements(): void {
    this.cache.clear()
  }

  execute(stmt: Stmt): ResultSet {
    const { sql } = stmt
    let ran: Statement | null = null
    try {
      const args = argsToSql(stmt.args)
      const { statement, columns, columnTypes, toRow } = this.prepare(sql)
      ran = statement
      if (columns) {
        const rows = (statement.all(args) as unknown[][]).map(toRow)
        return resultSet(columns, columnTypes, rows, 0, undefined)
      }
      const info = statement.run(args)
      if (SCHEMA_CHANGE.test(sql)) this.forgetStatements()
      return resultSet([], [], [], info.changes, BigInt(info.lastInsertRowid))
    } catch (e) {
      this.cache.delete(sql)
      if (ran && e instanceof Database.SqliteError) this.halt(ran)
      throw toLibsqlError(e)
    }
  }

  executeMultiple(sql: string): void {
    try {
      this.db.exec(sql)
    } catch (e) {
      throw toLibsqlError(e)
    } finally {
      this.forgetStatements()
    }
  }

  /** Runs the statements in order; a failure names the statement's index (LibsqlBatchError). */
  executeEach(stmts: Stmt[]): ResultSet[] {
    return stmts.map((stmt, i) => {
      try {
        return this.execute(stmt)
      } catch (e) {
        throw toBatchError(e, i)
      }
    })
  }

  /** Runs the statements in one transaction begun with `begin`; any failure rolls it all back. */
  batch(stmts: Stmt[], begin: string): ResultSet[] {
    this.execute({ sql: begin })
    try {
      const results = this.executeEach(stmts)
      this.execute({ sql: 'COMMIT' })
      return results
    } finally {
      this.rollbackIfOpen()
    }
  }

  rollbackIfOpen(): void {
    if (this.db.open && this.db.inTransaction) this.execute({ sql: 'ROLLBACK' })
  }

  /**
   * Rolls back what is open first: the cached statements keep the engine's connection alive after
   * close() until they are garbage-collected, and with it an open transaction's lock on the file.
   */
  close(): void {
    try {
      this.rollbackIfOpen()
    } finally {
      this.forgetStatements()
      if (this.db.open) this.db.close()
    }
  }
}

class LocalTransaction implements Transaction {
  private settled = false

  constructor(
    private readonly connection: CachedConnection,
    private readonly release: () => void,
  ) {}

  get closed(): boolean {
    return this.settled || !this.connection.db.open || !this.connection.db.inTransaction
  }

  private use(): CachedConnection {
    if (this.closed) throw new LibsqlError('The transaction is closed', 'TRANSACTION_CLOSED')
    return this.connection
  }

  private settle(): void {
    if (this.settled) return
    this.settled = true
    this.release()
  }

  async execute(stmt: InStatement | string, args?: InArgs): Promise<ResultSet> {
    return this.use().execute(asStatement(stmt, args))
  }

  async batch(stmts: InStatement[]): Promise<ResultSet[]> {
    return this.use().executeEach(stmts.map((s) => asStatement(s)))
  }

  async executeMultiple(sql: string): Promise<void> {
    this.use().executeMultiple(sql)
  }

  /**
   * A refused COMMIT (a deferred foreign key, SQLITE_BUSY) rolls the transaction back: SQLite keeps it
   * open for a retry that nothing here makes, and open it would keep the connection and the file's
   * write lock after this transaction has let go of them.
   */
  async commit(): Promise<void> {
    try {
      this.use().execute({ sql: 'COMMIT' })
    } catch (e) {
      try {
        if (!this.settled) this.connection.rollbackIfOpen()
      } catch {
        // The COMMIT's error is the one to report.
      }
      throw e
    } finally {
      this.settle()
    }
  }

  async rollback(): Promise<void> {
    try {
      if (!this.settled) this.connection.rollbackIfOpen()
    } finally {
      this.settle()
    }
  }

  close(): void {
    try {
      if (!this.settled) this.connection.rollbackIfOpen()
    } finally {
      this.settle()
    }
  }
}

/** A Client that also says which transaction holds its one connection. */
export interface LocalClient extends Client {
  /** The transaction begun with `transaction()` and not yet committed or rolled back, if any. */
  readonly openTransaction: Transaction | null
}

class SingleConnectionClient implements LocalClient {
  closed = false
  readonly protocol = 'file'
  private connection: CachedConnection
  /** The open transaction holding the one connection, if any. */
  private holder: LocalTransaction | null = null

  get openTransaction(): Transaction | null {
    return this.holder
  }

  constructor(private readonly path: string) {
    this.connection = new CachedConnection(path)
  }

  /** The connection for a call now; refused while closed or while a transaction holds it. */
  private use(): CachedConnection {
    if (this.closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED')
    if (this.holder) {
      throw new LibsqlError(
        'This client has a single connection, which an open transaction is holding. Commit or roll back the transaction before using the client again.',
        'TRANSACTION_ACTIVE',
      )
    }
    return this.connection
  }

  async execute(stmt: InStatement | string, args?: InArgs): Promise<ResultSet> {
    return this.use().execute(asStatement(stmt, args))
  }

  async batch(stmts: (InStatement | [string, InArgs?])[], mode: TransactionMode = 'deferred'): Promise<ResultSet[]> {
    return this.use().batch(stmts.map((s) => asStatement(s)), BEGIN[mode])
  }

  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    const connection = this.use()
    connection.execute({ sql: 'PRAGMA foreign_keys=off' })
    try {
      return connection.batch(stmts.map((s) => asStatement(s)), BEGIN.deferred)
    } finally {
      connection.execute({ sql: 'PRAGMA foreign_keys=on' })
      connection.forgetStatements()
    }
  }

  async transaction(mode: TransactionMode = 'write'): Promise<Transaction> {
    const connection = this.use()
    connection.execute({ sql: BEGIN[mode] })
    const tx: LocalTransaction = new LocalTransaction(connection, () => {
      if (this.holder === tx) this.holder = null
    })
    this.holder = tx
    return tx
  }

  async executeMultiple(sql: string): Promise<void> {
    const connection = this.use()
    try {
      connection.executeMultiple(sql)
    } finally {
      connection.rollbackIfOpen() // a script may leave a transaction open; it must not outlive the call
    }
  }

  async sync(): Promise<never> {
    throw new LibsqlError('A local database file has no remote to sync with.', 'SYNC_NOT_SUPPORTED')
  }

  reconnect(): void {
    this.connection.close()
    this.holder = null
    this.connection = new CachedConnection(this.path)
    this.closed = false
  }

  close(): void {
    this.closed = true
    this.holder = null
    this.connection.close()
  }
}

/** A client for the database file at `path` (created when missing). */
export function createLocalClient(path: string): LocalClient {
  return new SingleConnectionClient(path)
}
