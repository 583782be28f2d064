import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEADLINE_GRACE_SECONDS } from '../../electron/core/services/pressure-room'
import { fakeClock } from '../helpers/clock'
import { openTestCore } from '../helpers/core'
import { rowCount, snapshot } from '../helpers/db'
import { expectAppError } from '../helpers/errors'
import { answersFor as answersOf, questionById, rightResponse } from '../helpers/exercises'

type TestCore = Awaited<ReturnType<typeof openTestCore>>
let core: TestCore
let clock: ReturnType<typeof fakeClock>
const COURSE = 'typescript-basics'

beforeEach(async () => {
  clock = fakeClock('2026-06-10T18:00:00Z')
  core = await openTestCore({ clock })
})
afterEach(() => core.dispose())

const course = () => core.catalog.require(COURSE)
const room = () => course().pressureRoom
const rightAnswer = (id: string, seed: number) => rightResponse(questionById(course(), id), seed)

/** Answers the first `right` questions of the attempt with `seed` correctly and the rest wrongly. */
const answersFor = (ids: string[], right: number, seed: number) => answersOf(course(), ids, right, seed)

describe('pressure room', () => {
  it('starts an attempt with a draw of the pool, shuffled, without the answers, and a deadline', async () => {
    const attempt = await core.services.pressureRoom.start({ courseId: COURSE })
    const drawn = Math.min(room().draw, room().pool.length)
    expect(attempt.questions).toHaveLength(drawn)
    expect(new Set(attempt.questions.map((q) => q.id)).size).toBe(drawn)
    const poolIds = new Set(room().pool.map((q) => q.id))
    expect(attempt.questions.every((q) => poolIds.has(q.id))).toBe(true)
    expect(JSON.stringify(attempt.questions)).not.toMatch(/"answers?"|"explanation"|"accepted"|"pairs"|"reference"/)
    expect(attempt.deadline - attempt.startedAt).toBe(room().timeLimitSeconds)
    expect(attempt.answers).toEqual({})
    const orders = new Set<string>()
    for (let i = 0; i < 5; i++) orders.add((await core.services.pressureRoom.start({ courseId: COURSE })).questions.map((q) => q.id).join())
    expect(orders.size).toBeGreaterThan(1)
  })

  it('grades in the core: a pass logs pr_completed once and keeps best score, attempts and first pass time', async () => {
    const a1 = await core.services.pressureRoom.start({ courseId: COURSE })
    const ids = a1.questions.map((q) => q.id)
    const failed = await core.services.pressureRoom.submit({ attemptId: a1.attemptId, answers: answersFor(ids, 3, a1.seed) })
    expect(failed).toMatchObject({ passed: false, correct: 3, total: ids.length, late: false })
    expect(failed.record).toEqual({ bestScore: failed.score, attempts: 1, passedAt: null })
    expect(await rowCount(core, 'user_activities', "activity_type = 'pr_completed'")).toBe(0)

    clock.advance(600)
    const a2 = await core.services.pressureRoom.start({ courseId: COURSE })
    const passed = await core.services.pressureRoom.submit({ attemptId: a2.attemptId, answers: answersFor(a2.questions.map((q) => q.id), ids.length - 2, a2.seed) })
    expect(passed.passed).toBe(true)
    expect(passed.outcome.newAchievements.map((a) => a.key)).toContain('first_pr_pass')
    const passedAt = Math.floor(clock.now() / 1000)

    clock.advance(600)
    const a3 = await core.services.pressureRoom.start({ courseId: COURSE })
    const perfect = await core.services.pressureRoom.submit({ attemptId: a3.attemptId, answers: answersFor(a3.questions.map((q) => q.id), ids.length, a3.seed) })
    expect(perfect.score).toBe(100)
    expect(perfect.record).toEqual({ bestScore: 100, attempts: 3, passedAt })
    expect(perfect.outcome.newAchievements.map((a) => a.key)).toContain('perfect_pr')
    expect(await rowCount(core, 'user_activities', "activity_type = 'pr_completed'")).toBe(1)
    const [enrollment] = await core.services.courses.enrollments()
    expect(enrollment?.pressureRoom).toEqual({ bestScore: 100, attempts: 3, passedAt })
  })

  it('never trusts a score from the renderer', async () => {
    const attempt = await core.services.pressureRoom.start({ courseId: COURSE })
    const before = await snapshot(core)
    await expectAppError(core.services.pressureRoom.submit({ attemptId: attempt.attemptId, answers: {}, score: 100 }), 'INVALID')
    expect(await snapshot(core)).toBe(before)
    const result = await core.services.pressureRoom.submit({ attemptId: attempt.attemptId, answers: {} })
    expect(result).toMatchObject({ score: 0, passed: false })
  })

  it('a late submission counts only the answers that arrived before the deadline', async () => {
    const attempt = await core.services.pressureRoom.start({ courseId: COURSE })
    const ids = attempt.questions.map((q) => q.id)
    for (const id of ids.slice(0, 4)) await core.services.pressureRoom.answer({ attemptId: attempt.attemptId, questionId: id, response: rightAnswer(id, attempt.seed) })
    clock.advance(room().timeLimitSeconds + DEADLINE_GRACE_SECONDS + 1)
    await expectAppError(core.services.pressureRoom.answer({ attemptId: attempt.attemptId, questionId: ids[5] as string, response: rightAnswer(ids[5] as string, attempt.seed) }), 'CONFLICT')
    const result = await core.services.pressureRoom.submit({ attemptId: attempt.attemptId, answers: answersFor(ids, ids.length, attempt.seed) })
    expect(result).toMatchObject({ late: true, correct: 4, passed: false })
  })

  it('a submission within the grace period still counts in full', async () => {
    const attempt = await core.services.pressureRoom.start({ courseId: COURSE })
    clock.advance(room().timeLimitSeconds + DEADLINE_GRACE_SECONDS)
    const ids = attempt.questions.map((q) => q.id)
    const result = await core.services.pressureRoom.submit({ attemptId: attempt.attemptId, answers: answersFor(ids, ids.length, attempt.seed) })
    expect(result).toMatchObject({ late: false, score: 100 })
  })

  it('submitting the same attempt again returns the same result and writes nothing', async () => {
    const attempt = await core.services.pressureRoom.start({ courseId: COURSE })
    const ids = attempt.questions.map((q) => q.id)
    const first = await core.services.pressureRoom.submit({ attemptId: attempt.attemptId, answers: answersFor(ids, ids.length, attempt.seed) })
    const before = await snapshot(core)
    const again = await core.services.pressureRoom.submit({ attemptId: attempt.attemptId, answers: {} })
    expect(again.score).toBe(first.score)
    expect(again.record).toEqual(first.record)
    expect(await snapshot(core)).toBe(before)
    await expectAppError(core.services.pressureRoom.answer({ attemptId: attempt.attemptId, questionId: ids[0] as string, response: 0 }), 'CONFLICT')
  })

  it('refuses unknown attempts, foreign questions and malformed answers', async () => {
    const attempt = await core.services.pressureRoom.start({ courseId: COURSE })
    await expectAppError(core.services.pressureRoom.submit({ attemptId: 'not-an-attempt' }), 'NOT_FOUND')
    await expectAppError(core.services.pressureRoom.answer({ attemptId: attempt.attemptId, questionId: 'elsewhere', response: 1 }), 'NOT_FOUND')
    await expectAppError(core.services.pressureRoom.answer({ attemptId: attempt.attemptId, questionId: 'x', response: [-1] }), 'INVALID')
    await expectAppError(core.services.pressureRoom.answer({ attemptId: attempt.attemptId, questionId: 'x', choice: 1 }), 'INVALID')
    await expectAppError(core.services.pressureRoom.submit({ attemptId: attempt.attemptId, answers: { a: { choice: 1 } } }), 'INVALID')
    await expectAppError(core.services.pressureRoom.submit({ attemptId: attempt.attemptId, answers: { a: Number.NaN } }), 'INVALID')
    await expectAppError(core.services.pressureRoom.start({ courseId: 'nope' }), 'NOT_FOUND')
  })
})
