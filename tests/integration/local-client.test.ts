/**
 * The local file client (electron/core/db/local-client.ts) against @libsql/client's own file client on
 * real LibSQL files: the same answers, rows, errors and transaction rules, and statements compiled
 * once instead of on every run.
 */
import { createClient, LibsqlBatchError, LibsqlError, type Client, type InStatement } from '@libsql/client'
import Database from 'libsql'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLocalClient, STATEMENT_CACHE_SIZE, type LocalClient } from '../../electron/core/db/local-client'
import { tempDir } from '../helpers/core'

let dir: string
let local: LocalClient
let reference: Client

const SCHEMA = `
  CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, score REAL, big INTEGER, data BLOB, note TEXT);
  INSERT INTO items (id, name, score, big, data, note) VALUES (1, 'one', 1.5, 10, x'0102ff', NULL), (2, 'two', -2, 9007199254740991, NULL, 'a "quoted" note');
`

beforeEach(async () => {
  dir = await tempDir('pathwise-local-client-')
  local = createLocalClient(join(dir, 'local.db'))
  reference = createClient({ url: `file:${join(dir, 'reference.db')}` })
  await local.executeMultiple(SCHEMA)
  await reference.executeMultiple(SCHEMA)
})

afterEach(async () => {
  local.close()
  reference.close()
  vi.restoreAllMocks()
  await rm(dir, { recursive: true, force: true })
})

/** Everything a caller can see of a result: named and indexed values, own keys, JSON. */
const seen = (r: Awaited<ReturnType<Client['execute']>>) => ({
  columns: r.columns,
  columnTypes: r.columnTypes,
  rowsAffected: r.rowsAffected,
  lastInsertRowid: r.lastInsertRowid,
  rows: r.rows.map((row) => ({ keys: Object.keys(row), length: row.length, indexed: Array.prototype.slice.call(row), named: { ...row } })),
  json: JSON.stringify(r.toJSON()),
})

describe('the local file client answers like @libsql/client', () => {
  const statements: [string, InStatement][] = [
    ['select with named columns', 'SELECT id, name, score, big, data, note FROM items ORDER BY id'],
    ['duplicate column names', { sql: 'SELECT id, id, name AS id FROM items WHERE id = ?', args: [1] }],
    ['columns named like what a row already has', 'SELECT id AS length, name AS "0", score AS "7", note AS constructor, big AS toString FROM items ORDER BY id'],
    ['no rows', { sql: 'SELECT id, name FROM items WHERE id = ?', args: [404] }],
    ['named arguments with prefixes', { sql: 'SELECT name FROM items WHERE id = :id OR name = $name', args: { ':id': 1, $name: 'two' } }],
    ['an insert', { sql: 'INSERT INTO items (name, score, big) VALUES (?, ?, ?)', args: ['three', 3, 3n] }],
    ['an update of several rows', { sql: 'UPDATE items SET note = ? WHERE id > ?', args: ['n', 0] }],
    ['booleans and dates as arguments', { sql: 'SELECT ? AS t, ? AS f, ? AS d', args: [true, false, new Date(86_400_000)] }],
    ['insert returning', { sql: 'INSERT INTO items (name) VALUES (?) RETURNING id, name', args: ['four'] }],
    ['a pragma that answers', 'PRAGMA user_version'],
  ]
  for (const [label, statement] of statements) {
    it(label, async () => {
      expect(seen(await local.execute(statement))).toEqual(seen(await reference.execute(statement)))
    })
  }

  it('a column named __proto__ is a value of the row, not its prototype', async () => {
    const { rows } = await local.execute("SELECT name AS __proto__, id FROM items WHERE id = 1")
    const row = rows[0] as Record<string, unknown> & ArrayLike<unknown>
    expect(Object.keys(row)).toEqual(['__proto__', 'id'])
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('one')
    expect(Array.prototype.slice.call(row)).toEqual(['one', 1])
  })

  it('blobs come back as an ArrayBuffer of exactly their bytes', async () => {
    const { rows } = await local.execute('SELECT data FROM items WHERE id = 1')
    const data = rows[0]?.data
    expect(data).toBeInstanceOf(ArrayBuffer)
    expect([...new Uint8Array(data as ArrayBuffer)]).toEqual([1, 2, 255])
    await local.execute({ sql: 'UPDATE items SET data = ? WHERE id = 2', args: [new Uint8Array([7, 8]).buffer] })
    const again = await local.execute('SELECT data FROM items WHERE id = 2')
    expect([...new Uint8Array(again.rows[0]?.data as ArrayBuffer)]).toEqual([7, 8])
  })

  it('refuses integers JavaScript cannot hold, and bad arguments, with the same errors', async () => {
    await local.execute('UPDATE items SET big = 9007199254740993 WHERE id = 2')
    await expect(local.execute('SELECT big FROM items WHERE id = 2')).rejects.toThrow(RangeError)
    await expect(local.execute({ sql: 'SELECT ?', args: [undefined as unknown as null] })).rejects.toThrow(TypeError)
    await expect(local.execute({ sql: 'SELECT ?', args: [Number.NaN] })).rejects.toThrow(RangeError)
    await expect(local.execute({ sql: 'SELECT ?', args: [2n ** 64n] })).rejects.toThrow(RangeError)
  })

  it('a constraint failure is a LibsqlError with the base and the exact SQLite code, and the statement still works after it', async () => {
    const insert = { sql: 'INSERT INTO items (name) VALUES (?)', args: ['one'] }
    const error = await local.execute(insert).catch((e: unknown) => e)
    const expected = await reference.execute(insert).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LibsqlError)
    expect(error).toMatchObject({ code: 'SQLITE_CONSTRAINT', extendedCode: 'SQLITE_CONSTRAINT_UNIQUE' })
    expect({ ...(error as LibsqlError) }).toMatchObject({ code: (expected as LibsqlError).code, extendedCode: (expected as LibsqlError).extendedCode })
    await expect(local.execute({ sql: insert.sql, args: ['five'] })).resolves.toMatchObject({ rowsAffected: 1 })
  })

  it('a syntax error is a LibsqlError, not a crash', async () => {
    await expect(local.execute('SELEC nothing')).rejects.toMatchObject({ code: 'SQLITE_ERROR' })
  })
})

describe('prepared statements', () => {
  it('a statement is compiled once and reused, with fresh arguments each run', async () => {
    const prepare = vi.spyOn(Database.prototype, 'prepare')
    const sql = 'SELECT name FROM items WHERE id = ?'
    const names = []
    for (const id of [1, 2, 1, 2]) names.push((await local.execute({ sql, args: [id] })).rows[0]?.name)
    expect(names).toEqual(['one', 'two', 'one', 'two'])
    expect(prepare.mock.calls.filter(([text]) => text === sql)).toHaveLength(1)
  })

  it('keeps at most STATEMENT_CACHE_SIZE statements, dropping the least recently used', async () => {
    const prepare = vi.spyOn(Database.prototype, 'prepare')
    const first = 'SELECT 0 AS n'
    await local.execute(first)
    for (let i = 1; i <= STATEMENT_CACHE_SIZE; i++) await local.execute(`SELECT ${i} AS n`)
    expect((await local.execute(first)).rows[0]?.n).toBe(0)
    expect(prepare.mock.calls.filter(([text]) => text === first)).toHaveLength(2)
    // The most recent ones are still there.
    await local.execute(`SELECT ${STATEMENT_CACHE_SIZE} AS n`)
    expect(prepare.mock.calls.filter(([text]) => text === `SELECT ${STATEMENT_CACHE_SIZE} AS n`)).toHaveLength(1)
  })

  it('a schema change is seen by statements cached before it', async () => {
    const sql = 'SELECT * FROM items WHERE id = 1'
    expect((await local.execute(sql)).columns).toEqual(['id', 'name', 'score', 'big', 'data', 'note'])
    await local.execute("ALTER TABLE items ADD COLUMN extra TEXT NOT NULL DEFAULT 'x'")
    const after = await local.execute(sql)
    expect(after.columns).toEqual(['id', 'name', 'score', 'big', 'data', 'note', 'extra'])
    expect(after.rows[0]?.extra).toBe('x')
    await local.executeMultiple('ALTER TABLE items DROP COLUMN extra; ALTER TABLE items ADD COLUMN other INTEGER')
    expect((await local.execute(sql)).columns).toEqual(['id', 'name', 'score', 'big', 'data', 'note', 'other'])
  })
})

describe('transactions and batches', () => {
  const count = async (client: Client) => Number((await client.execute('SELECT COUNT(*) AS n FROM items')).rows[0]?.n)

  it('a transaction holds the connection until it commits; its writes then stay', async () => {
    const tx = await local.transaction('write')
    await tx.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['in tx'] })
    await expect(local.execute('SELECT 1')).rejects.toMatchObject({ code: 'TRANSACTION_ACTIVE' })
    expect(tx.closed).toBe(false)
    await tx.commit()
    expect(tx.closed).toBe(true)
    expect(await count(local)).toBe(3)
    await expect(tx.execute('SELECT 1')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' })
  })

  it('a rolled-back or closed transaction leaves nothing behind and frees the connection', async () => {
    const tx = await local.transaction('write')
    await tx.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['gone'] })
    await tx.rollback()
    const other = await local.transaction()
    await other.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['gone too'] })
    other.close()
    expect(await count(local)).toBe(2)
  })

  it('a batch is all or nothing, and names the statement that failed', async () => {
    const error = await local
      .batch([{ sql: 'INSERT INTO items (name) VALUES (?)', args: ['six'] }, { sql: 'INSERT INTO items (name) VALUES (?)', args: ['one'] }], 'write')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LibsqlBatchError)
    expect(error).toMatchObject({ statementIndex: 1, code: 'SQLITE_CONSTRAINT' })
    expect(await count(local)).toBe(2)
    const results = await local.batch(['SELECT COUNT(*) AS n FROM items', ['INSERT INTO items (name) VALUES (?)', ['seven']]])
    expect(results.map((r) => r.rows.length)).toEqual([1, 0])
    expect(await count(local)).toBe(3)
  })

  it('a script that leaves a transaction open does not keep it open', async () => {
    await local.executeMultiple("BEGIN; INSERT INTO items (name) VALUES ('half')")
    await expect(local.execute('SELECT 1')).resolves.toBeTruthy()
    expect(await count(local)).toBe(2)
  })

  it('migrate runs its statements in one transaction with foreign keys off, then turns them back on', async () => {
    await local.execute('PRAGMA foreign_keys = ON')
    await local.migrate([{ sql: 'CREATE TABLE child (id INTEGER PRIMARY KEY, item INTEGER REFERENCES items(id))' }, { sql: 'INSERT INTO child VALUES (1, 99)' }])
    expect((await local.execute('PRAGMA foreign_keys')).rows[0]?.[0]).toBe(1)
    await expect(local.execute('INSERT INTO child VALUES (2, 98)')).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' })
  })

  it('a closed client refuses work with CLIENT_CLOSED and can reconnect', async () => {
    local.close()
    expect(local.closed).toBe(true)
    await expect(local.execute('SELECT 1')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' })
    local.reconnect()
    expect(await count(local)).toBe(2)
  })
})

/**
 * What a failure leaves behind on the one connection. A second real connection to the same file holds
 * the lock (a push worker's long write, a reader), so the local client's statements wait out a short
 * busy timeout; afterwards the connection must be as good as new: the next transaction commits, reads
 * see what others committed, and the file's locks are free for others.
 */
describe('after a failure the connection is as good as new', () => {
  const BUSY_MS = 50
  const other: InstanceType<typeof Database>[] = []
  const file = () => join(dir, 'local.db')

  /** A second connection to the client's file (busy timeout 0: it fails at once where it would wait). */
  function otherConnection(): InstanceType<typeof Database> {
    const connection = new Database(file())
    other.push(connection)
    return connection
  }

  afterEach(() => {
    for (const connection of other.splice(0)) if (connection.open) connection.close()
  })

  const names = async () => (await local.execute('SELECT name FROM items ORDER BY id')).rows.map((r) => String(r.name))
  /** Another connection writes a row and commits: refused with SQLITE_BUSY while this client holds a lock. */
  const otherWrites = (connection: InstanceType<typeof Database>, name: string) => connection.exec(`BEGIN IMMEDIATE; INSERT INTO items (name) VALUES ('${name}'); COMMIT`)
  async function commitsAfterwards(name: string): Promise<void> {
    const tx = await local.transaction('write')
    await tx.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: [name] })
    await tx.commit()
  }

  const writes: [string, () => Promise<unknown>][] = [
    ['a transaction', () => local.transaction('write')],
    ['a batch', () => local.batch([{ sql: 'INSERT INTO items (name) VALUES (?)', args: ['batched'] }], 'write')],
    ['a single statement', () => local.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['alone'] })],
  ]
  for (const [label, write] of writes) {
    it(`${label} that waits out the busy timeout leaves nothing running: the next transaction commits and the file is free`, async () => {
      await local.execute('PRAGMA journal_mode = WAL')
      await local.execute(`PRAGMA busy_timeout = ${BUSY_MS}`)
      const holder = otherConnection()
      holder.exec('BEGIN IMMEDIATE')
      await expect(write()).rejects.toMatchObject({ code: 'SQLITE_BUSY' })
      holder.exec('COMMIT')

      await commitsAfterwards('after')
      expect(local.openTransaction).toBeNull()
      otherWrites(otherConnection(), 'from the other')
      expect(await names()).toEqual(['one', 'two', 'after', 'from the other'])
    })
  }

  it('a read that waits out the busy timeout holds no lock afterwards: others can write and it sees what they wrote', async () => {
    // In rollback-journal mode a writer's EXCLUSIVE lock turns readers away (in WAL mode they are never kept waiting).
    await local.execute(`PRAGMA busy_timeout = ${BUSY_MS}`)
    const writer = otherConnection()
    writer.exec('BEGIN EXCLUSIVE')
    await expect(local.execute('SELECT name FROM items')).rejects.toMatchObject({ code: 'SQLITE_BUSY' })
    writer.exec('COMMIT')

    expect(await names()).toEqual(['one', 'two'])
    otherWrites(writer, 'written later')
    expect(await names()).toEqual(['one', 'two', 'written later'])
  })

  it('a COMMIT refused by a deferred foreign key rolls the transaction back and frees the connection', async () => {
    await local.executeMultiple(`
      PRAGMA foreign_keys = ON;
      CREATE TABLE tags (id INTEGER PRIMARY KEY, item INTEGER NOT NULL REFERENCES items(id) DEFERRABLE INITIALLY DEFERRED);
    `)
    const tx = await local.transaction('write')
    await tx.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['kept only with its tag'] })
    await tx.execute({ sql: 'INSERT INTO tags (id, item) VALUES (1, 404)' })
    await expect(tx.commit()).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT', extendedCode: 'SQLITE_CONSTRAINT_FOREIGNKEY' })
    expect(tx.closed).toBe(true)
    expect(local.openTransaction).toBeNull()

    await commitsAfterwards('after')
    expect(await names()).toEqual(['one', 'two', 'after'])
    expect((await local.execute('SELECT COUNT(*) AS n FROM tags')).rows[0]?.n).toBe(0)
    otherWrites(otherConnection(), 'from the other')
  })

  it('a COMMIT that waits out the busy timeout (a reader in rollback-journal mode) rolls back and leaves nothing running', async () => {
    await local.execute(`PRAGMA busy_timeout = ${BUSY_MS}`)
    const reader = otherConnection()
    const tx = await local.transaction('write')
    await tx.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['never committed'] })
    reader.exec('BEGIN')
    reader.prepare('SELECT COUNT(*) FROM items').all() // holds a SHARED lock: the COMMIT cannot write the file
    await expect(tx.commit()).rejects.toMatchObject({ code: 'SQLITE_BUSY' })
    expect(tx.closed).toBe(true)
    reader.exec('COMMIT')

    await commitsAfterwards('after')
    expect(await names()).toEqual(['one', 'two', 'after'])
    otherWrites(reader, 'from the other')
  })

  it('a constraint failure inside a transaction keeps the transaction and what it wrote before', async () => {
    const tx = await local.transaction('write')
    await tx.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['first'] })
    await expect(tx.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['one'] })).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' })
    expect(tx.closed).toBe(false)
    await tx.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['second'] })
    await tx.commit()
    expect(await names()).toEqual(['one', 'two', 'first', 'second'])
  })

  it('closing the client with a transaction open lets go of the file and keeps nothing of it', async () => {
    const tx = await local.transaction('write')
    await tx.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['unfinished'] })
    local.close()
    otherWrites(otherConnection(), 'from the other')
    local.reconnect()
    expect(await names()).toEqual(['one', 'two', 'from the other'])
  })
})
