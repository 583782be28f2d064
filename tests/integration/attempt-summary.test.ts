/**
 * A course's Pressure Room record is counted by one SQL aggregate over the attempts (and, within a run
 * of mutations, the run's later attempts added to that count): it must be exactly what the domain rule
 * summarizeAttempts says about the finished attempts, whatever their order, batched or not.
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadCatalog, type Catalog } from '../../electron/core/catalog/catalog'
import { openDatabase, type Db } from '../../electron/core/db/database'
import { drawQuestions, summarizeAttempts, withAttempt, type FinishedAttempt } from '../../electron/core/domain/pressure-room'
import { parsePressureRoom } from '../../electron/core/domain/pressure-room-record'
import { runMutation, runMutationBatch, type BatchEntry } from '../../electron/core/mutations/run'
import { attemptSummary } from '../../electron/core/repositories/attempts'
import { tempDir } from '../helpers/core'
import { rightResponse, wrongResponse } from '../helpers/exercises'
import { COURSES_DIR, MIGRATIONS_DIR } from '../helpers/paths'

const COURSE = 'sql-fundamentals'
const T0 = 1_750_000_000

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

let dir: string
let db: Db
let catalog: Catalog

beforeEach(async () => {
  dir = await tempDir('pathwise-attempt-summary-')
  db = await openDatabase({ file: join(dir, 'a.db'), migrationsDir: MIGRATIONS_DIR })
  catalog = await loadCatalog(COURSES_DIR)
  for (const id of ['batched', 'one-by-one']) {
    await db.client.execute({ sql: 'INSERT INTO users (id, name) VALUES (?, ?)', args: [id, id] })
    await db.client.execute({ sql: 'INSERT INTO user_profiles (user_id) VALUES (?)', args: [id] })
  }
})
afterEach(async () => {
  db.close()
  await rm(dir, { recursive: true, force: true })
})

/** Random attempts (seeded): random scores, submitted at random moments out of order, one replayed. */
function randomAttempts(seed: number, count: number): BatchEntry[] {
  const random = seeded(seed)
  const room = catalog.require(COURSE).pressureRoom
  const entries = Array.from({ length: count }, (_, i) => {
    const attemptSeed = Math.floor(random() * 0x1_0000_0000)
    const answers = Object.fromEntries(drawQuestions(room, attemptSeed).map((q) => [q.id, random() < 0.7 ? rightResponse(q, attemptSeed) : wrongResponse(q, attemptSeed)]))
    const at = T0 + Math.floor(random() * 10_000)
    return {
      name: 'pressureRoom.recordAttempt' as const,
      args: { attemptId: `attempt-${seed}-${i}`, courseId: COURSE, seed: attemptSeed, answers, startedAt: at - 60, deadline: at + 400, at, tz: 'UTC' },
    }
  })
  return [...entries, entries[Math.floor(random() * count)] as BatchEntry] // a replay changes nothing
}

const finished = async (userId: string): Promise<FinishedAttempt[]> =>
  (await db.client.execute({ sql: 'SELECT score, passed, submitted_at FROM pressure_room_attempts WHERE user_id = ? AND submitted_at IS NOT NULL', args: [userId] })).rows.map(
    (r) => ({ score: Number(r.score), passed: Number(r.passed) === 1, submittedAt: Number(r.submitted_at) }),
  )

const stored = async (userId: string) =>
  parsePressureRoom(String((await db.client.execute({ sql: 'SELECT pressure_room FROM course_enrollments WHERE user_id = ?', args: [userId] })).rows[0]?.pressure_room))

describe('the Pressure Room record', () => {
  it('adding one attempt to a record gives what summarizing them all gives', () => {
    for (const seed of [1, 2, 3]) {
      const random = seeded(seed)
      const attempts: FinishedAttempt[] = Array.from({ length: 40 }, () => ({ score: Math.floor(random() * 101), passed: random() < 0.4, submittedAt: Math.floor(random() * 1000) }))
      let record = null
      for (const [i, a] of attempts.entries()) {
        record = withAttempt(record, a)
        expect(record).toEqual(summarizeAttempts(attempts.slice(0, i + 1)))
      }
    }
  })

  it('is what summarizeAttempts says about the finished attempts, batched or one by one, for random histories', async () => {
    for (const seed of [11, 12, 13, 14]) {
      const entries = randomAttempts(seed, 30)
      // The batch is split in two runs, as a push cut short by its time budget would be.
      await db.write(async (tx) => {
        await runMutationBatch({ tx, userId: 'batched', catalog }, entries.slice(0, 10))
        await runMutationBatch({ tx, userId: 'batched', catalog }, entries.slice(10))
      })
      for (const entry of entries) await db.write((tx) => runMutation({ tx, userId: 'one-by-one', catalog }, entry.name, entry.args))

      for (const userId of ['batched', 'one-by-one']) {
        const expected = summarizeAttempts(await finished(userId))
        expect(expected?.passedAt).not.toBeNull() // the histories do have passes
        expect({ seed, userId, record: await stored(userId) }).toEqual({ seed, userId, record: expected })
        expect(await db.read((q) => attemptSummary(q, userId, COURSE))).toEqual(expected)
      }
    }
  })

  it('is null before the first finished attempt: open attempts do not count', async () => {
    await db.client.execute({
      sql: "INSERT INTO pressure_room_attempts (id, user_id, course_id, question_ids, started_at, deadline) VALUES ('open-1', 'batched', ?, '[]', 1, 2)",
      args: [COURSE],
    })
    expect(await db.read((q) => attemptSummary(q, 'batched', COURSE))).toBeNull()
  })
})
