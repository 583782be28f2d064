/**
 * The sandboxed SQL runner (electron/core/sql/runner.ts) on a real sql.js worker thread: results,
 * several statements, a fresh dataset for every run, no way to the disk, SQLite's errors, runaway
 * queries stopped at the time limit while the caller's event loop keeps turning, the row cap, and the
 * grader on top of it (grade.ts).
 */
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gradeSqlAnswer, SqlReferenceError } from '../../electron/core/sql/grade'
import { createSqlRunner, MAX_QUERY_LENGTH, SqlDatasetError, timeoutMessage, workerEntry, type SqlRun, type SqlRunner, type SqlTable } from '../../electron/core/sql/runner'
import { ROOT } from '../helpers/paths'

const dataset = await readFile(join(ROOT, 'tests', 'fixtures', 'sql', 'mini-bookshop.sql'), 'utf8')

/** A table of 1000 numbers, made inside the query, for the cross joins. */
const THOUSAND = 'CREATE TABLE n AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000) SELECT i FROM c;'
const ENDLESS_RECURSION = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r'
const HUGE_CROSS_JOIN = `${THOUSAND} SELECT count(*) FROM n AS a, n AS b, n AS c, n AS d`

let runner: SqlRunner
beforeAll(async () => {
  runner = createSqlRunner()
  // The first run starts the worker (and, in tests, tsx in it): the timings below measure runs only.
  await runner.run(dataset, 'SELECT 1')
}, 60_000)
afterAll(async () => {
  await runner.close()
})

function table(run: SqlRun): SqlTable {
  if (!run.ok) throw new Error(`expected a result, got ${run.error.kind}: ${run.error.message}`)
  if (!run.result) throw new Error('expected a result table, got none')
  return run.result
}

/**
 * Times `work` on a warm worker: a timeout replaces the worker, and the time limit counts from the moment
 * the run reaches a started worker (starting one, with tsx in tests, is not the query's time).
 */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  await runner.run(dataset, 'SELECT 1')
  const started = performance.now()
  const value = await work()
  return { value, ms: performance.now() - started }
}

describe('runs', () => {
  it('a SELECT gives its columns and rows', async () => {
    const run = await runner.run(dataset, 'SELECT id, title, price FROM books WHERE id <= 3 ORDER BY id')
    expect(run).toEqual({
      ok: true,
      truncated: false,
      changes: 0,
      result: {
        columns: ['id', 'title', 'price'],
        rows: [
          [1, 'Book 01', 12],
          [2, 'Book 02', 18.5],
          [3, 'Book 03', 7.25],
        ],
      },
    })
  })

  it('joins the bookshop’s tables, with aliases as column names', async () => {
    const result = table(
      await runner.run(
        dataset,
        `SELECT a.name AS author, count(*) AS sold FROM orders o JOIN books b ON b.id = o.book_id
         JOIN authors a ON a.id = b.author_id GROUP BY a.id ORDER BY sold DESC, author LIMIT 2`,
      ),
    )
    expect(result.columns).toEqual(['author', 'sold'])
    expect(result.rows).toHaveLength(2)
  })

  it('several statements: the result is the last one that returns rows, and changes are counted', async () => {
    const run = await runner.run(dataset, 'CREATE TABLE t (x); INSERT INTO t VALUES (1), (2); SELECT x FROM t ORDER BY x; DELETE FROM t WHERE x = 1;')
    expect(run).toEqual({ ok: true, truncated: false, changes: 3, result: { columns: ['x'], rows: [[1], [2]] } })
  })

  it('a query whose statements return no rows has no result table', async () => {
    expect(await runner.run(dataset, 'UPDATE books SET price = price * 2')).toEqual({ ok: true, result: null, truncated: false, changes: 40 })
  })

  it('a SELECT that finds nothing is an empty table, not a missing one', async () => {
    expect(table(await runner.run(dataset, "SELECT title FROM books WHERE genre = 'cookbook'"))).toEqual({ columns: ['title'], rows: [] })
  })

  it('shows each kind of value: integers, reals, text, NULL, a BLOB by its size, a 64-bit integer by its digits', async () => {
    const result = table(await runner.run(dataset, "SELECT 2, 2.5, 'Émile', NULL, x'00ff10', 9223372036854775807, -9007199254740991, 18.50 * 0.9"))
    expect(result.rows).toEqual([[2, 2.5, 'Émile', null, '[blob: 3 bytes]', '9223372036854775807', -9007199254740991, 16.650000000000002]])
  })

  it('an empty query, or one of only comments, is refused as empty', async () => {
    for (const query of ['', '   \n\t ', '-- nothing here', '/* nor here */ ;']) {
      const run = await runner.run(dataset, query)
      expect(run.ok ? 'ok' : run.error.kind, JSON.stringify(query)).toBe('empty')
    }
  })

  it('query text over 20 000 characters is refused before it runs', async () => {
    const query = `SELECT 1 -- ${'x'.repeat(MAX_QUERY_LENGTH)}`
    expect(await runner.run(dataset, query)).toEqual({
      ok: false,
      error: { kind: 'too-large', message: `Your query is ${query.length.toLocaleString('en-US')} characters long; the limit is 20,000.` },
    })
    expect((await runner.run(dataset, `SELECT 1 -- ${'x'.repeat(MAX_QUERY_LENGTH - 12)}`)).ok).toBe(true)
  })
})

describe('errors come back in SQLite’s words', () => {
  it.each([
    ['SELEC title FROM books', 'syntax', 'near "SELEC": syntax error'],
    ['SELECT title FROM books WHERE (price > 10', 'syntax', 'incomplete input'],
    ["SELECT 'unclosed FROM books", 'syntax', `unrecognized token: "'unclosed FROM books"`],
    ['SELECT * FROM book', 'runtime', 'no such table: book'],
    ['SELECT titel FROM books', 'runtime', 'no such column: titel'],
    ["INSERT INTO customers (id, name, email) VALUES (99, 'X', 'customer01@example.com')", 'runtime', 'UNIQUE constraint failed: customers.email'],
  ])('%s', async (query, kind, message) => {
    expect(await runner.run(dataset, query)).toEqual({ ok: false, error: { kind, message } })
  })

  it('an error in a later statement fails the run', async () => {
    const run = await runner.run(dataset, 'SELECT 1; SELECT * FROM nowhere')
    expect(run).toEqual({ ok: false, error: { kind: 'runtime', message: 'no such table: nowhere' } })
  })

  it('a dataset that fails to load is an authoring error: the run rejects', async () => {
    await expect(runner.run('CREATE TABLE a (x); INSERT INTO b VALUES (1);', 'SELECT 1')).rejects.toThrow(SqlDatasetError)
    await expect(runner.run('CREATE TABLE a (x); INSERT INTO b VALUES (1);', 'SELECT 1')).rejects.toThrow('no such table: b')
    // The runner goes on with the next run.
    expect(table(await runner.run(dataset, 'SELECT count(*) FROM books')).rows).toEqual([[40]])
  })
})

describe('every run starts from the dataset, and no run reaches the disk', () => {
  it('a DROP TABLE or DELETE in one run leaves the next run’s dataset whole', async () => {
    expect((await runner.run(dataset, 'DROP TABLE books; DELETE FROM customers;')).ok).toBe(true)
    expect(table(await runner.run(dataset, 'SELECT (SELECT count(*) FROM books), (SELECT count(*) FROM customers)')).rows).toEqual([[40, 50]])
  })

  it('a table one run creates is gone in the next', async () => {
    expect((await runner.run(dataset, 'CREATE TABLE notes (x); INSERT INTO notes VALUES (1);')).ok).toBe(true)
    expect(await runner.run(dataset, 'SELECT * FROM notes')).toEqual({ ok: false, error: { kind: 'runtime', message: 'no such table: notes' } })
  })

  it('ATTACH and VACUUM INTO a file path write nothing to the disk, and leave nothing for the next run', async () => {
    const attached = join(tmpdir(), `pathwise-sql-attach-${process.pid}.db`)
    const vacuumed = join(tmpdir(), `pathwise-sql-vacuum-${process.pid}.db`)
    try {
      const run = await runner.run(
        dataset,
        `ATTACH '${attached}' AS x; CREATE TABLE x.stolen AS SELECT * FROM customers; VACUUM INTO '${vacuumed}'; SELECT count(*) FROM x.stolen`,
      )
      expect(table(run).rows).toEqual([[50]])
      expect(existsSync(attached)).toBe(false)
      expect(existsSync(vacuumed)).toBe(false)
      // The engine's memory file system does not outlive the run either.
      const again = await runner.run(dataset, `ATTACH '${attached}' AS x; SELECT count(*) FROM x.sqlite_master`)
      expect(table(again).rows).toEqual([[0]])
      expect(existsSync(attached)).toBe(false)
    } finally {
      await rm(attached, { force: true })
      await rm(vacuumed, { force: true })
    }
  })

  it('load_extension does not exist in the engine', async () => {
    expect(await runner.run(dataset, "SELECT load_extension('/usr/lib/x86_64-linux-gnu/libsqlite3.so.0')")).toEqual({
      ok: false,
      error: { kind: 'runtime', message: 'no such function: load_extension' },
    })
  })
})

describe('limits', () => {
  it('an endless WITH RECURSIVE is stopped after 2 seconds with a clear message', async () => {
    const { value, ms } = await timed(() => runner.run(dataset, ENDLESS_RECURSION))
    expect(value).toEqual({ ok: false, error: { kind: 'timeout', message: timeoutMessage(2000) } })
    expect(timeoutMessage(2000)).toMatch(/^Your query ran for more than 2 seconds and was stopped\. /)
    expect(ms).toBeGreaterThanOrEqual(1990)
    expect(ms).toBeLessThan(2500)
  })

  it('a cross join of four 1000-row tables is stopped after 2 seconds', async () => {
    const { value, ms } = await timed(() => runner.run(dataset, HUGE_CROSS_JOIN))
    expect(value).toEqual({ ok: false, error: { kind: 'timeout', message: timeoutMessage(2000) } })
    expect(ms).toBeLessThan(2500)
  })

  it('the caller’s event loop keeps turning while a query runs away', async () => {
    await runner.run(dataset, 'SELECT 1')
    const ticks: number[] = []
    const interval = setInterval(() => ticks.push(performance.now()), 10)
    try {
      const run = await runner.run(dataset, ENDLESS_RECURSION)
      expect(run.ok ? 'ok' : run.error.kind).toBe('timeout')
    } finally {
      clearInterval(interval)
    }
    // 2 s at one tick per 10 ms is about 200 ticks; a blocked loop would give one at most. The bounds
    // leave room for a busy machine.
    expect(ticks.length).toBeGreaterThan(50)
    const gaps = ticks.slice(1).map((tick, index) => tick - (ticks[index] ?? tick))
    expect(Math.max(...gaps)).toBeLessThan(500)
  })

  it('a run queued behind a runaway one is answered once the runaway is stopped', async () => {
    const runaway = runner.run(dataset, ENDLESS_RECURSION)
    const queued = runner.run(dataset, 'SELECT count(*) FROM orders')
    const [first, second] = await Promise.all([runaway, queued])
    expect(first.ok ? 'ok' : first.error.kind).toBe('timeout')
    expect(table(second).rows).toEqual([[100]])
  })

  it('the time limit is the runner’s option', async () => {
    const quick = createSqlRunner({ timeoutMs: 500 })
    try {
      await quick.run(dataset, 'SELECT 1')
      const started = performance.now()
      const value = await quick.run(dataset, HUGE_CROSS_JOIN)
      const ms = performance.now() - started
      expect(value).toEqual({ ok: false, error: { kind: 'timeout', message: timeoutMessage(500) } })
      expect(timeoutMessage(500)).toMatch(/^Your query ran for more than 0\.5 seconds and was stopped\./)
      expect(ms).toBeLessThan(1000)
    } finally {
      await quick.close()
    }
  })

  it('a result longer than the row cap is cut at 1000 rows and marked truncated', async () => {
    const run = await runner.run(dataset, 'SELECT a.id, b.id FROM books AS a, books AS b')
    expect(run.ok && run.truncated).toBe(true)
    expect(table(run).rows).toHaveLength(1000)
    expect(table(run).rows[999]).toEqual([25, 40])
  })

  it('the row cap stops an endless result at once, without waiting for the time limit', async () => {
    const { value, ms } = await timed(() => runner.run(dataset, 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r'))
    expect(value.ok && value.truncated).toBe(true)
    expect(table(value).rows.at(-1)).toEqual([1000])
    expect(ms).toBeLessThan(1000)
  })

  it('exactly as many rows as the cap is not truncated', async () => {
    const run = await runner.run(dataset, `${THOUSAND} SELECT i FROM n`)
    expect(run.ok && !run.truncated).toBe(true)
    expect(table(run).rows).toHaveLength(1000)
  })

  it('the row cap is the runner’s option', async () => {
    const small = createSqlRunner({ rowCap: 5 })
    try {
      const run = await small.run(dataset, 'SELECT id FROM books ORDER BY id')
      expect(run).toEqual({ ok: true, truncated: true, changes: 0, result: { columns: ['id'], rows: [[1], [2], [3], [4], [5]] } })
    } finally {
      await small.close()
    }
  })

  it('a closed runner refuses runs', async () => {
    const closing = createSqlRunner()
    await closing.close()
    await expect(closing.run(dataset, 'SELECT 1')).rejects.toThrow('closed')
  })
})

describe('gradeSqlAnswer', () => {
  const reference = 'SELECT title, price FROM books WHERE genre = \'poetry\' ORDER BY price DESC, title'

  it.each([
    ['the reference itself', reference, true, 'Your query returns the expected rows.'],
    ['the same rows with other names and spelling', "select b.title as t, b.price p from books b where b.genre='poetry' order by 2 desc, 1;", true, 'Your query returns the expected rows.'],
    ['the right rows in another order', "SELECT title, price FROM books WHERE genre = 'poetry' ORDER BY title", false, 'Right rows, but not in the order asked for'],
    ['a column too many', "SELECT title, price, id FROM books WHERE genre = 'poetry' ORDER BY price DESC, title", false, '2 columns expected, yours has 3'],
    ['too many rows', 'SELECT title, price FROM books ORDER BY price DESC, title', false, '8 rows expected, yours returns 40'],
    ['the right count, other rows', "SELECT title, price FROM books WHERE genre = 'essay' ORDER BY price DESC, title", false, 'Right number of rows, but 8 of them differ from the expected ones'],
    ['a misspelled column', "SELECT titel, price FROM books WHERE genre = 'poetry'", false, 'Your query failed: no such column: titel'],
    ['a syntax error', "SELECT title price FROM books WHERE genre = 'poetry' ORDER BY", false, 'Your query failed: incomplete input'],
    ['no table at all', "DELETE FROM books WHERE genre = 'poetry'", false, 'Your query ran but returned no table of rows: end it with a SELECT.'],
    ['more rows than the cap', 'SELECT a.title, b.price FROM books AS a, books AS b', false, 'Your query returns more than 1000 rows; 8 rows expected'],
    ['a runaway query', ENDLESS_RECURSION, false, timeoutMessage(2000)],
    ['an empty answer', '  ', false, 'There is no SQL statement to run: write a query first.'],
  ])('%s', async (_what, answer, correct, feedback) => {
    expect(await gradeSqlAnswer(runner, dataset, reference, answer)).toEqual({ correct, feedback })
  })

  it('without ORDER BY in the reference, any order is right', async () => {
    const unordered = "SELECT title FROM books WHERE genre = 'poetry'"
    expect((await gradeSqlAnswer(runner, dataset, unordered, "SELECT title FROM books WHERE genre = 'poetry' ORDER BY title DESC")).correct).toBe(true)
  })

  it('runs a reference once per dataset and runner, and each answer every time', async () => {
    const queries: string[] = []
    const counting: SqlRunner = { ...runner, run: (data, query) => (queries.push(query), runner.run(data, query)) }
    const once = "SELECT name FROM customers WHERE city = 'Kyoto'"
    const answer = "select name from customers where city = 'Kyoto'"
    expect((await gradeSqlAnswer(counting, dataset, once, answer)).correct).toBe(true)
    expect((await gradeSqlAnswer(counting, dataset, once, answer)).correct).toBe(true)
    expect(queries).toEqual([once, answer, answer])
    // Another dataset is another reference result.
    await gradeSqlAnswer(counting, `${dataset}\nDELETE FROM customers WHERE id = 1;`, once, answer)
    expect(queries).toEqual([once, answer, answer, once, answer])
  })

  it('a reference that fails, or returns no table, is an authoring error: it throws', async () => {
    await expect(gradeSqlAnswer(runner, dataset, 'SELECT * FROM book', 'SELECT 1')).rejects.toThrow(SqlReferenceError)
    await expect(gradeSqlAnswer(runner, dataset, 'SELECT * FROM book', 'SELECT 1')).rejects.toThrow('no such table: book')
    await expect(gradeSqlAnswer(runner, dataset, 'DELETE FROM books', 'SELECT 1')).rejects.toThrow(SqlReferenceError)
    await expect(gradeSqlAnswer(runner, dataset, 'SELECT a.id FROM books a, books b', 'SELECT 1')).rejects.toThrow('row cap')
  })
})

describe('workerEntry', () => {
  it('from the sources, the boot file that registers tsx in the worker', () => {
    expect(workerEntry('file:///repo/electron/core/sql/runner.ts').href).toBe('file:///repo/electron/core/sql/sql-worker-boot.mjs')
  })

  it('in the built app, out/main/sql-worker.js, from the core worker or from a chunk', () => {
    expect(workerEntry('file:///app/out/main/core-worker.js').href).toBe('file:///app/out/main/sql-worker.js')
    expect(workerEntry('file:///app/out/main/chunks/runner-AbC123.js').href).toBe('file:///app/out/main/sql-worker.js')
  })

  it('the default is the boot file beside the runner, and it exists', () => {
    const entry = workerEntry()
    expect(entry.href).toMatch(/electron\/core\/sql\/sql-worker-boot\.mjs$/)
    expect(existsSync(entry)).toBe(true)
  })
})
