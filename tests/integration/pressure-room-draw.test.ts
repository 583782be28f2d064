/**
 * Pressure Room v2: an attempt is its seed. The same seed draws the same questions, in the same order,
 * with the same choice orders, on every device and on the sync server, which grades the attempt again
 * from the seed; nothing a device pushes can choose the questions or raise the score. Against the real
 * server process and real devices, over fixture packs (tests/helpers/fixture-pack.ts).
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCatalog, type Catalog, type Course } from '../../electron/core/catalog/catalog'
import { drawQuestions, grade } from '../../electron/core/domain/pressure-room'
import type { Question } from '../../electron/core/exercises/question-schema'
import { present } from '../../electron/core/exercises/present'
import type { Response } from '../../electron/core/exercises/response'
import { rowsOf, type PullAnswer, type SyncUser } from '../../electron/core/sync/protocol'
import { fakeClock } from '../helpers/clock'
import { tempDir } from '../helpers/core'
import { openDevice, type Device } from '../helpers/devices'
import { answersFor, drawnAnswers, rightResponse, wrongResponse } from '../helpers/exercises'
import { writeFixturePacks } from '../helpers/fixture-pack'
import { call, signIn, startServer, type TestServer } from '../helpers/server'

const COURSE = 'draw-course'
/** A format-1 pack: single-choice questions only, drawn whole, as the version before seeds knew them. */
const LEGACY = 'legacy-course'
const T0 = 1_780_000_000
const tz = 'UTC'

let dir: string
let coursesDir: string
let catalog: Catalog
let server: TestServer

beforeAll(async () => {
  dir = await tempDir('pathwise-draw-')
  coursesDir = await writeFixturePacks(join(dir, 'courses'), [
    { id: COURSE, poolSize: 36, draw: 15 },
    { id: LEGACY, poolSize: 12, draw: 12, format: 1, kinds: ['single'] },
  ])
  catalog = await loadCatalog(coursesDir)
  expect(catalog.errors).toEqual([])
  server = await startServer({ env: { COURSES_DIR: coursesDir, RATE_LIMIT_PER_IP: '10000' } })
}, 30_000)

afterAll(async () => {
  await server?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const course = (id = COURSE): Course => catalog.require(id)

/** Every attempt row the learner pulls from the server, by attempt id. */
async function serverAttempts(token: string): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>()
  for (let cursor: string | null = null; ; ) {
    const page: PullAnswer = (await call<PullAnswer>(server, 'POST', '/v1/sync/pull', { token, json: { clientId: 'reader-device', cursor } })).body
    for (const change of rowsOf(page.changes)) if (change.table === 'pressure_room_attempts') found.set(String(change.row.id), change.row)
    cursor = page.cursor
    if (!page.hasMore) return found
  }
}

describe('the same seed on two devices and the server', () => {
  const devices: Device[] = []
  afterAll(() => devices.forEach((d) => d.close()))

  it('draws the same questions and choice orders, and the server grades each attempt to the same score', async () => {
    const clock = fakeClock('2026-06-10T18:00:00Z')
    // Both devices take the same random draw for the seed: what two devices given one seed do.
    const random = () => 0.618_033
    for (const _ of [0, 1]) devices.push(await openDevice(server, clock, undefined, { coursesDir, random }))
    const [laptop, desktop] = devices as [Device, Device]
    for (const d of devices) await d.signIn('same-seed@example.com')

    const onLaptop = await laptop.core.services.pressureRoom.start({ courseId: COURSE })
    const onDesktop = await desktop.core.services.pressureRoom.start({ courseId: COURSE })
    expect(onDesktop.seed).toBe(onLaptop.seed)
    expect(onDesktop.questions).toEqual(onLaptop.questions)
    expect(onLaptop.questions).toHaveLength(15)
    // What is shown is what the seed draws, and every choice and item order follows from it too.
    const drawn = drawQuestions(course().pressureRoom, onLaptop.seed)
    expect(onLaptop.questions).toEqual(drawn.map((q) => present(q, onLaptop.seed)))
    const shuffledChoices = onLaptop.questions.some((q) => (q.kind === 'single' || q.kind === 'multiple') && q.choices.some((c, i) => c.key !== i))
    expect(shuffledChoices).toBe(true)

    const ids = onLaptop.questions.map((q) => q.id)
    const allRight = await laptop.core.services.pressureRoom.submit({ attemptId: onLaptop.attemptId, answers: answersFor(course(), ids, ids.length, onLaptop.seed) })
    const someRight = await desktop.core.services.pressureRoom.submit({ attemptId: onDesktop.attemptId, answers: answersFor(course(), ids, 8, onDesktop.seed) })
    expect([allRight.score, someRight.score]).toEqual([100, Math.floor((8 * 100) / 15)])

    // The review shows each question as it was shown, with the response, the verdict and the key.
    expect(someRight.review.map((r) => r.question)).toEqual(onDesktop.questions)
    expect(someRight.review.map((r) => r.correct)).toEqual(ids.map((_, i) => i < 8))
    for (const [i, r] of someRight.review.entries()) {
      const q = drawn[i] as Question
      expect(r).toMatchObject({ response: i < 8 ? rightResponse(q, onDesktop.seed) : wrongResponse(q, onDesktop.seed), explanation: q.explanation })
      expect(r.solution.text.length).toBeGreaterThan(0)
      expect(r.feedback.length).toBeGreaterThan(0)
    }

    await laptop.sync()
    await desktop.sync()
    await laptop.sync()
    const { token } = await signIn(server, 'same-seed@example.com')
    const onServer = await serverAttempts(token)
    for (const [attempt, result] of [
      [onLaptop, allRight],
      [onDesktop, someRight],
    ] as const) {
      expect(onServer.get(attempt.attemptId)).toMatchObject({ seed: attempt.seed, questionIds: JSON.stringify(ids), score: result.score, passed: result.passed ? 1 : 0 })
    }
    // Each device now has the other's attempt, as the server graded it.
    const pulled = await laptop.core.db.client.execute({ sql: 'SELECT seed, question_ids, score FROM pressure_room_attempts WHERE id = ?', args: [onDesktop.attemptId] })
    expect({ ...pulled.rows[0] }).toEqual({ seed: onDesktop.seed, question_ids: JSON.stringify(ids), score: someRight.score })
  }, 60_000)
})

describe('a pushed attempt cannot choose its questions or its score', () => {
  let learner: { token: string; user: SyncUser }
  let nextId = 1
  const push = (args: Record<string, unknown>) =>
    call<{ lastMutationId?: number; error?: { code: string; message: string } }>(server, 'POST', '/v1/sync/push', {
      token: learner.token,
      json: { clientId: 'tampering-device', mutations: [{ id: nextId++, name: 'pressureRoom.recordAttempt', args, createdAt: T0 }] },
    })
  const attemptArgs = (attemptId: string, seed: number, answers: Record<string, unknown>, courseId = COURSE) => ({
    attemptId,
    courseId,
    seed,
    answers,
    startedAt: T0 - 60,
    deadline: T0 + 600,
    at: T0,
    tz,
  })
  const stored = async (attemptId: string) => (await serverAttempts(learner.token)).get(attemptId)

  beforeAll(async () => {
    learner = await signIn(server, 'tamper@example.com')
  })

  it('grades what the seed draws: answers to any other question of the pool count for nothing', async () => {
    const seed = 4242
    const drawn = new Set(drawQuestions(course().pressureRoom, seed).map((q) => q.id))
    const pool = course().pressureRoom.pool
    // Every question of the pool that was not drawn answered right, every drawn one wrong.
    const answers = Object.fromEntries(pool.map((q) => [q.id, drawn.has(q.id) ? wrongResponse(q, seed) : rightResponse(q, seed)]))
    expect((await push(attemptArgs('undrawn-right', seed, answers))).status).toBe(200)
    const row = await stored('undrawn-right')
    expect(row).toMatchObject({ seed, score: 0, passed: 0 })
    expect(Object.keys(JSON.parse(String(row?.answers)) as object).sort()).toEqual([...drawn].sort())
    // The whole pool answered right is still one attempt of 15: 100, of the drawn questions only.
    const everything = Object.fromEntries(pool.map((q) => [q.id, rightResponse(q, seed)]))
    expect((await push(attemptArgs('everything-right', seed, everything))).status).toBe(200)
    expect(JSON.parse(String((await stored('everything-right'))?.questionIds))).toEqual(drawQuestions(course().pressureRoom, seed).map((q) => q.id))
  })

  it('refuses a question list sent with a seed, and a score sent at all', async () => {
    const seed = 99
    const easy = course().pressureRoom.pool.slice(0, 15).map((q) => q.id)
    const withList = await push({ ...attemptArgs('listed', seed, drawnAnswers(course(), seed)), questionIds: easy })
    expect(withList.status).toBe(400)
    expect(withList.body.error?.code).toBe('MUTATION_REJECTED')
    const withScore = await push({ ...attemptArgs('scored', seed, {}), score: 100 })
    expect(withScore.status).toBe(400)
    const attempts = await serverAttempts(learner.token)
    expect([attempts.has('listed'), attempts.has('scored')]).toEqual([false, false])
  })

  it('a response of the wrong shape for its question counts as wrong, and one no question takes is refused', async () => {
    const seed = 7
    const questions = drawQuestions(course().pressureRoom, seed)
    const wrongShape = (q: Question): Response => {
      const right = rightResponse(q, seed)
      // The right answer in the shape of another kind: a list for a single value, a value for a list.
      if (Array.isArray(right)) return typeof right[0] === 'string' ? right.join(' ') : (right[0] as number)
      return typeof right === 'string' ? [right] : [Number(right)]
    }
    const answers = Object.fromEntries(questions.map((q) => [q.id, wrongShape(q)]))
    expect(grade(questions, answers, seed).correct).toBe(0)
    expect((await push(attemptArgs('wrong-shapes', seed, answers))).status).toBe(200)
    expect(await stored('wrong-shapes')).toMatchObject({ score: 0 })

    const objects = Object.fromEntries(questions.map((q) => [q.id, { choice: rightResponse(q, seed) }]))
    expect((await push(attemptArgs('objects', seed, objects))).status).toBe(400)
    expect((await serverAttempts(learner.token)).has('objects')).toBe(false)
  })

  describe('what the version before seeds wrote to its outbox still applies', () => {
    const legacyArgs = (attemptId: string, courseId: string, questionIds: string[], answers: Record<string, number>) => ({
      attemptId,
      courseId,
      questionIds,
      answers,
      startedAt: T0 - 60,
      deadline: T0 + 600,
      at: T0,
      tz,
    })
    const keyOf = (q: Question) => (q.kind === 'single' ? q.answer : 0)

    it('a format-1 attempt (its questions listed, a choice index per answer) is graded as it was', async () => {
      const pool = course(LEGACY).pressureRoom.pool
      const answers = Object.fromEntries(pool.map((q, i) => [q.id, i < 9 ? keyOf(q) : (keyOf(q) + 1) % 4]))
      expect((await push(legacyArgs('legacy-9', LEGACY, pool.map((q) => q.id).reverse(), answers))).status).toBe(200)
      expect(await stored('legacy-9')).toMatchObject({ seed: null, score: Math.floor((9 * 100) / 12), passed: 1 })
    })

    it('on a course that now draws from a larger pool, a list of distinct pool questions of the attempt size applies', async () => {
      const listed = course().pressureRoom.pool.slice(0, 15)
      const answers = Object.fromEntries(listed.map((q) => [q.id, keyOf(q)]))
      expect((await push(legacyArgs('legacy-v2-course', COURSE, listed.map((q) => q.id), answers))).status).toBe(200)
      expect(await stored('legacy-v2-course')).toMatchObject({ seed: null, score: grade(listed, answers, null).score })
    })

    it('a list that repeats a question, leaves questions out or names one outside the pool is refused', async () => {
      const ids = course(LEGACY).pressureRoom.pool.map((q) => q.id)
      const first = ids[0] as string
      const all = Object.fromEntries(course(LEGACY).pressureRoom.pool.map((q) => [q.id, keyOf(q)]))
      for (const [name, listed] of [
        ['repeated', [...ids.slice(0, 11), first]],
        ['the easy three', ids.slice(0, 3)],
        ['outside the pool', [...ids.slice(0, 11), `${COURSE}-p0`]],
      ] as const) {
        const reply = await push(legacyArgs(`legacy-${name.replace(/\W/g, '-')}`, LEGACY, [...listed], all))
        expect({ name, status: reply.status }).toEqual({ name, status: 400 })
      }
    })
  })
})

describe('an attempt opened before seeds', () => {
  it('is submitted in the shape of that version, with its recorded choices, and graded alike on the server', async () => {
    const clock = fakeClock('2026-06-11T18:00:00Z')
    const device = await openDevice(server, clock, undefined, { coursesDir })
    try {
      await device.signIn('opened-before@example.com')
      const pool = course(LEGACY).pressureRoom.pool
      const now = Math.floor(clock.now() / 1000)
      const recorded = Object.fromEntries(pool.slice(0, 10).map((q) => [q.id, { choice: q.kind === 'single' ? q.answer : 0, at: now }]))
      // The row as the previous version left it: no seed, `choice` for each answer given so far.
      await device.core.db.client.execute({
        sql: 'INSERT INTO pressure_room_attempts (id, user_id, course_id, question_ids, started_at, deadline, answers) VALUES (?, ?, ?, ?, ?, ?, ?)',
        args: ['opened-before', device.core.userId, LEGACY, JSON.stringify(pool.map((q) => q.id)), now, now + 600, JSON.stringify(recorded)],
      })
      const result = await device.core.services.pressureRoom.submit({ attemptId: 'opened-before' })
      expect(result).toMatchObject({ correct: 10, total: 12, score: 83 })
      expect(result.review.map((r) => r.response)).toEqual(pool.map((q, i) => (i < 10 && q.kind === 'single' ? q.answer : null)))
      const outbox = (await device.core.db.client.execute("SELECT args FROM outbox WHERE name = 'pressureRoom.recordAttempt'")).rows.map((r) => JSON.parse(String(r.args)) as Record<string, unknown>)
      expect(outbox).toEqual([expect.objectContaining({ attemptId: 'opened-before', questionIds: pool.map((q) => q.id) })])
      expect(outbox[0]).not.toHaveProperty('seed')
      await device.sync()
      const { token } = await signIn(server, 'opened-before@example.com')
      expect((await serverAttempts(token)).get('opened-before')).toMatchObject({ seed: null, score: 83 })
    } finally {
      device.close()
    }
  }, 30_000)
})
