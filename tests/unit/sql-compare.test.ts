/**
 * Grading SQL answers without running anything: comparing result tables (electron/core/sql/compare.ts)
 * and deciding from a reference's tokens whether row order counts (electron/core/sql/result-order.ts).
 */
import { describe, expect, it } from 'vitest'
import { SAME_FEEDBACK, compareResults } from '../../electron/core/sql/compare'
import { referenceOrders, splitStatements, tokenize } from '../../electron/core/sql/result-order'
import type { SqlTable, SqlValue } from '../../electron/core/sql/result'

const table = (columns: string[], rows: SqlValue[][]): SqlTable => ({ columns, rows })
const books = table(
  ['id', 'title', 'price'],
  [
    [1, 'Dune', 9.5],
    [2, 'Emma', 12],
    [3, 'Kindred', null],
  ],
)

describe('compareResults', () => {
  it('the same table is the same, ordered or not', () => {
    expect(compareResults(books, books, true)).toEqual({ same: true, feedback: SAME_FEEDBACK })
    expect(compareResults(books, books, false)).toEqual({ same: true, feedback: SAME_FEEDBACK })
  })

  it('column names are free: aliases do not matter', () => {
    const aliased = table(['book_id', 'name', 'cost'], books.rows)
    expect(compareResults(books, aliased, true).same).toBe(true)
  })

  it('counts columns first', () => {
    const wider = table(['id', 'title', 'price', 'x'], books.rows.map((row) => [...row, 0]))
    expect(compareResults(books, wider, false)).toEqual({ same: false, feedback: '3 columns expected, yours has 4' })
    const one = table(['id'], [[1], [2], [3]])
    expect(compareResults(one, books, false)).toEqual({ same: false, feedback: '1 column expected, yours has 3' })
  })

  it('then counts rows', () => {
    const fewer = table(books.columns, books.rows.slice(0, 1))
    expect(compareResults(books, fewer, false)).toEqual({ same: false, feedback: '3 rows expected, yours returns 1' })
    expect(compareResults(fewer, books, false)).toEqual({ same: false, feedback: '1 row expected, yours returns 3' })
    const none = table(books.columns, [])
    expect(compareResults(none, books, false)).toEqual({ same: false, feedback: '0 rows expected, yours returns 3' })
    expect(compareResults(books, none, false)).toEqual({ same: false, feedback: '3 rows expected, yours returns 0' })
  })

  it('says how many rows differ, never which values', () => {
    const oneOff = table(books.columns, [books.rows[0] ?? [], [2, 'Emma', 13], books.rows[2] ?? []])
    expect(compareResults(books, oneOff, false)).toEqual({ same: false, feedback: 'Right number of rows, but 1 of them differs from the expected ones' })
    const twoOff = table(books.columns, [[1, 'dune', 9.5], [2, 'Emma', 13], books.rows[2] ?? []])
    const result = compareResults(books, twoOff, false)
    expect(result).toEqual({ same: false, feedback: 'Right number of rows, but 2 of them differ from the expected ones' })
    for (const value of ['Dune', 'Emma', 'Kindred', '9.5', '12']) expect(result.feedback).not.toContain(value)
  })

  it('compares rows as a multiset: duplicates count', () => {
    const twice = table(['genre'], [['fiction'], ['fiction'], ['poetry']])
    const other = table(['genre'], [['fiction'], ['poetry'], ['poetry']])
    expect(compareResults(twice, other, false)).toEqual({ same: false, feedback: 'Right number of rows, but 1 of them differs from the expected ones' })
    expect(compareResults(twice, table(['g'], [['poetry'], ['fiction'], ['fiction']]), false).same).toBe(true)
  })

  it('order counts only when the reference orders', () => {
    const reversed = table(books.columns, [...books.rows].reverse())
    expect(compareResults(books, reversed, false).same).toBe(true)
    expect(compareResults(books, reversed, true)).toEqual({ same: false, feedback: 'Right rows, but not in the order asked for' })
  })

  it('numbers equal by value: an INTEGER 2 and a REAL 2.0, and sums that differ in their last bits', () => {
    expect(compareResults(table(['n'], [[2]]), table(['n'], [[2.0]]), true).same).toBe(true)
    expect(compareResults(table(['n'], [[16.65]]), table(['n'], [[18.5 * 0.9]]), true).same).toBe(true)
    expect(compareResults(table(['n'], [[0.1 + 0.2]]), table(['n'], [[0.3]]), true).same).toBe(true)
    expect(compareResults(table(['n'], [[0]]), table(['n'], [[-0]]), true).same).toBe(true)
  })

  it('but not numbers that really differ, nor large integers one apart', () => {
    expect(compareResults(table(['n'], [[16.65]]), table(['n'], [[16.66]]), true).same).toBe(false)
    expect(compareResults(table(['n'], [[1_700_000_000_001]]), table(['n'], [[1_700_000_000_002]]), true).same).toBe(false)
    expect(compareResults(table(['n'], [[1.0000001]]), table(['n'], [[1]]), true).same).toBe(false)
  })

  it('strings are exact, and a string is not the number it spells', () => {
    expect(compareResults(table(['t'], [['Emma']]), table(['t'], [['emma']]), false).same).toBe(false)
    expect(compareResults(table(['t'], [['Emma']]), table(['t'], [['Emma ']]), false).same).toBe(false)
    expect(compareResults(table(['t'], [['2']]), table(['t'], [[2]]), false).same).toBe(false)
  })

  it('NULL is only NULL: not the string "NULL", not 0, not the empty string', () => {
    for (const other of ['NULL', 0, '', 'null']) {
      expect(compareResults(table(['x'], [[null]]), table(['x'], [[other]]), false).same, String(other)).toBe(false)
    }
    expect(compareResults(table(['x'], [[null]]), table(['x'], [[null]]), false).same).toBe(true)
  })

  it('values do not run together across columns', () => {
    expect(compareResults(table(['a', 'b'], [['ab', 'c']]), table(['a', 'b'], [['a', 'bc']]), false).same).toBe(false)
  })

  it('an empty result matches an empty result', () => {
    expect(compareResults(table(['a'], []), table(['b'], []), true).same).toBe(true)
  })
})

describe('tokenize and splitStatements', () => {
  it('reads strings, quoted identifiers and comments as SQLite does', () => {
    const tokens = tokenize(`SELECT 'it''s ( ;', "a "" b", [x y], \`q\`\`r\` -- ORDER BY ;\n/* ( ; */ FROM t`)
    expect(tokens.map((token) => token.text)).toEqual(['SELECT', "'it''s ( ;'", ',', '"a "" b"', ',', '[x y]', ',', '`q``r`', 'FROM', 'T'])
    expect(tokens.every((token) => token.depth === 0)).toBe(true)
  })

  it('splits at top-level semicolons only, skipping empty statements', () => {
    expect(splitStatements(tokenize("SELECT 1; ; SELECT ';'; -- ;\nSELECT 3;")).length).toBe(3)
  })

  it('keeps a trigger body, with its CASE … END, in one statement', () => {
    const sql = `CREATE TRIGGER t AFTER INSERT ON a BEGIN
      UPDATE b SET n = CASE WHEN n > 0 THEN n - 1 ELSE 0 END;
      INSERT INTO log VALUES (1);
    END; SELECT * FROM b ORDER BY n`
    const statements = splitStatements(tokenize(sql))
    expect(statements.length).toBe(2)
    expect(statements[1]?.[0]?.text).toBe('SELECT')
  })
})

describe('referenceOrders', () => {
  it.each([
    ['SELECT title FROM books ORDER BY title', true],
    ['select title from books order by title;', true],
    ['SELECT title FROM books ORDER\n  BY title DESC LIMIT 3', true],
    ['SELECT title FROM books ORDER /* why not */ BY title', true],
    ['SELECT title FROM books', false],
    ['SELECT title FROM books LIMIT 3', false],
    ['', false],
    ['-- ORDER BY title', false],
  ])('%s → %s', (sql, ordered) => {
    expect(referenceOrders(sql)).toBe(ordered)
  })

  it.each([
    ['a subquery', 'SELECT * FROM (SELECT title FROM books ORDER BY title) AS b'],
    ['a subquery in WHERE', 'SELECT title FROM books WHERE id IN (SELECT book_id FROM orders ORDER BY 1 LIMIT 3)'],
    ['a CTE', 'WITH cheap AS (SELECT * FROM books ORDER BY price LIMIT 5) SELECT title FROM cheap'],
    ['a window', 'SELECT title, row_number() OVER (ORDER BY price) AS n FROM books'],
    ['a named window', 'SELECT title, rank() OVER w FROM books WINDOW w AS (PARTITION BY genre ORDER BY price)'],
    ['an aggregate', "SELECT group_concat(title, ', ' ORDER BY title) FROM books"],
    ['a string', "SELECT 'ORDER BY title' AS hint FROM books"],
    ['a string with an escaped quote', "SELECT 'it''s ORDER BY' FROM books"],
    ['a double-quoted identifier', 'SELECT "order by" FROM books'],
    ['a bracketed identifier', 'SELECT [ORDER BY] FROM books'],
    ['a backquoted identifier', 'SELECT `ORDER BY` FROM books'],
    ['a line comment', 'SELECT title FROM books -- ORDER BY title'],
    ['a block comment', 'SELECT title FROM books /* ORDER BY title */'],
    ['an unclosed block comment', 'SELECT title FROM books /* ORDER BY title'],
  ])('an ORDER BY inside %s does not count', (_where, sql) => {
    expect(referenceOrders(sql)).toBe(false)
  })

  it.each([
    ['a compound select', 'SELECT title FROM books UNION SELECT name FROM authors ORDER BY 1', true],
    ['a CTE with the order outside', 'WITH c AS (SELECT * FROM books) SELECT title FROM c ORDER BY title', true],
    ['a recursive CTE', 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i FROM n ORDER BY i DESC', true],
    ['a window and a top-level order', 'SELECT title, rank() OVER (ORDER BY price) FROM books ORDER BY title', true],
    ['a parenthesis in a string before the ORDER BY', "SELECT '(' || title FROM books ORDER BY title", true],
    ['a closing parenthesis in a string', "SELECT title FROM books WHERE title <> ')' ORDER BY title", true],
    ['VALUES', 'VALUES (2), (1) ORDER BY 1', true],
  ])('%s', (_what, sql, ordered) => {
    expect(referenceOrders(sql)).toBe(ordered)
  })

  it('the statement whose rows are the result decides', () => {
    expect(referenceOrders('SELECT * FROM books ORDER BY id; SELECT title FROM books')).toBe(false)
    expect(referenceOrders('SELECT * FROM books; SELECT title FROM books ORDER BY id;')).toBe(true)
    // A later statement that returns no rows does not replace the result.
    expect(referenceOrders('SELECT title FROM books ORDER BY title; DELETE FROM books;')).toBe(true)
    expect(referenceOrders('CREATE TABLE t (x); INSERT INTO t VALUES (2), (1); SELECT x FROM t ORDER BY x;')).toBe(true)
    expect(referenceOrders("CREATE VIEW v AS SELECT * FROM books ORDER BY id; SELECT * FROM v")).toBe(false)
    expect(referenceOrders('WITH old AS (SELECT id FROM books ORDER BY id) DELETE FROM books WHERE id IN old; SELECT * FROM books')).toBe(false)
  })

  it('rows from RETURNING come in no promised order', () => {
    expect(referenceOrders('INSERT INTO t (x) SELECT x FROM u ORDER BY x RETURNING x')).toBe(false)
    expect(referenceOrders('SELECT 1 ORDER BY 1; UPDATE t SET x = 1 RETURNING x')).toBe(false)
  })

  it('a trigger body does not end the statement early', () => {
    // Split inside the body, `SELECT 2` would look like the last statement that returns rows.
    const sql = `SELECT x FROM a ORDER BY x; CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO log VALUES (1); SELECT 2; END`
    expect(referenceOrders(sql)).toBe(true)
  })
})
