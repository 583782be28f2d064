/**
 * sql.run ("Try it"): a learner's query runs on a fresh copy of the course's sample database in the
 * core's one SQL runner. Nothing a run does reaches the next run, nor the learner's own LibSQL file.
 */
import { createHash } from 'node:crypto'
import { readFile, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandlers } from '../../electron/core/api/handlers'
import { contract } from '../../electron/core/contract/channels'
import { DATABASE_FILE } from '../../electron/core/core'
import { openTestCore, tempDir } from '../helpers/core'
import { snapshot } from '../helpers/db'
import { expectAppError } from '../helpers/errors'
import { writeFixturePacks } from '../helpers/fixture-pack'

const COURSE = 'playground-course'
const NO_DATASET = 'playground-without-data'

type TestCore = Awaited<ReturnType<typeof openTestCore>>
let core: TestCore
let dir: string
let coursesDir: string

beforeAll(async () => {
  dir = await tempDir('pathwise-playground-')
  coursesDir = await writeFixturePacks(dir, [{ id: COURSE }, { id: NO_DATASET, withoutDataset: true }])
  core = await openTestCore({ coursesDir })
})
afterAll(async () => {
  await core?.dispose()
  await rm(dir, { recursive: true, force: true })
})

const run = (query: string, courseId = COURSE) => core.services.sql.run({ courseId, query })

/** The learner's database files (the file, its WAL and shared memory), each with a hash of its bytes. */
async function databaseFiles(): Promise<Record<string, string>> {
  const files = (await readdir(core.dataDir)).filter((f) => f.startsWith(DATABASE_FILE))
  const hashes: Record<string, string> = {}
  for (const f of files) hashes[f] = createHash('sha256').update(await readFile(join(core.dataDir, f))).digest('hex')
  return hashes
}

describe('sql.run', () => {
  it("answers the last statement's rows", async () => {
    expect(await run('SELECT title, year FROM books WHERE year > 1900 ORDER BY year')).toEqual({
      ok: true,
      result: { columns: ['title', 'year'], rows: [['Ulysses', 1922], ['Dune', 1965], ['Beloved', 1987]] },
      truncated: false,
      changes: 0,
    })
  })

  it('runs every query on a fresh copy: a table dropped in one run is there in the next', async () => {
    const dropped = await run('DROP TABLE books; SELECT count(*) AS n FROM sqlite_master WHERE name = \'books\'')
    expect(dropped).toMatchObject({ ok: true, result: { rows: [[0]] } })
    expect(await run('SELECT count(*) AS n FROM books')).toMatchObject({ ok: true, result: { columns: ['n'], rows: [[4]] } })
    const changed = await run("UPDATE books SET title = 'Gone'; SELECT count(*) FROM books WHERE title = 'Gone'")
    expect(changed).toMatchObject({ ok: true, result: { rows: [[4]] } })
    expect(await run("SELECT count(*) FROM books WHERE title = 'Gone'")).toMatchObject({ ok: true, result: { rows: [[0]] } })
  })

  it("never reaches the learner's own database file, whatever it attaches or drops", async () => {
    await core.services.profile.update({ name: 'Ada' })
    const file = join(core.dataDir, DATABASE_FILE)
    const before = { files: await databaseFiles(), rows: await snapshot(core) }
    for (const query of [
      `ATTACH DATABASE '${file}' AS mine; DROP TABLE mine.users; SELECT 1`,
      `ATTACH DATABASE '${file}' AS mine; SELECT name FROM mine.users`,
      `ATTACH DATABASE '${file}' AS mine; CREATE TABLE mine.planted (x); INSERT INTO mine.planted VALUES (1); SELECT * FROM mine.planted`,
      `VACUUM INTO '${join(core.dataDir, 'copy.db')}'`,
    ]) {
      const result = await run(query)
      // Either refused, or run against the engine's own memory: never the learner's rows.
      if (result.ok) expect(JSON.stringify(result.result)).not.toContain('Ada')
    }
    expect(await databaseFiles()).toEqual(before.files)
    expect(await snapshot(core)).toBe(before.rows)
    expect((await readdir(core.dataDir)).filter((f) => f.startsWith('copy'))).toEqual([])
    expect((await core.services.profile.get()).name).toBe('Ada')
  })

  it('a course without a sample database has no SQL to run, and an unknown course is NotFound', async () => {
    const refused = await expectAppError(run('SELECT 1', NO_DATASET), 'INVALID')
    expect(refused.message).toMatch(/no sample database/)
    await expectAppError(run('SELECT 1', 'nope'), 'NOT_FOUND')
    await expectAppError(core.services.sql.run({ courseId: COURSE }), 'INVALID')
    await expectAppError(core.services.sql.run({ courseId: COURSE, query: 'x'.repeat(20_001) }), 'INVALID')
  })

  it('tells a syntax error from an empty query', async () => {
    expect(await run('SELEC 1')).toMatchObject({ ok: false, error: { kind: 'syntax' } })
    expect(await run('   ')).toMatchObject({ ok: false, error: { kind: 'empty' } })
  })

  it('is a channel of the contract, served by the core', async () => {
    const handlers = createHandlers(() => core.services)
    const input = contract['sql.run'].input.parse({ courseId: COURSE, query: 'SELECT 1 AS one' })
    expect(await handlers['sql.run'](input)).toMatchObject({ ok: true, result: { columns: ['one'], rows: [[1]] } })
  })
})

describe('a query that runs too long', () => {
  it('is stopped with a timeout, and the next query runs', async () => {
    const quick = await openTestCore({ coursesDir, sql: { timeoutMs: 300 } })
    try {
      const started = performance.now()
      const endless = await quick.services.sql.run({ courseId: COURSE, query: 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n' })
      expect(endless).toMatchObject({ ok: false, error: { kind: 'timeout' } })
      expect(performance.now() - started).toBeLessThan(5_000)
      expect(await quick.services.sql.run({ courseId: COURSE, query: 'SELECT count(*) FROM books' })).toMatchObject({ ok: true, result: { rows: [[4]] } })
    } finally {
      await quick.dispose()
    }
  })
})
