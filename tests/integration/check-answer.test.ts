/**
 * Lesson practice through the core: courses.lesson shows each question without its key, in one stable
 * order per lesson, and courses.checkAnswer grades an answer (sql ones on the course's sample database)
 * and only then gives the key and why. It writes nothing.
 */
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Course } from '../../electron/core/catalog/catalog'
import { createHandlers } from '../../electron/core/api/handlers'
import { lessonSeed } from '../../electron/core/services/courses'
import { contract } from '../../electron/core/contract/channels'
import type { LessonDetail } from '../../electron/core/contract/types'
import type { Question } from '../../electron/core/exercises/question-schema'
import { fromShown, present, shownSolution } from '../../electron/core/exercises/present'
import { seedFromText } from '../../electron/core/exercises/random'
import { openTestCore, tempDir } from '../helpers/core'
import { snapshot } from '../helpers/db'
import { expectAppError } from '../helpers/errors'
import { rightResponse, wrongResponse } from '../helpers/exercises'
import { writeFixturePacks } from '../helpers/fixture-pack'

const COURSE = 'practice-course'
const NO_DATASET = 'practice-without-data'

type TestCore = Awaited<ReturnType<typeof openTestCore>>
let core: TestCore
let bundled: TestCore
let dir: string

beforeAll(async () => {
  dir = await tempDir('pathwise-practice-')
  const coursesDir = await writeFixturePacks(dir, [{ id: COURSE }, { id: NO_DATASET, withoutDataset: true }])
  core = await openTestCore({ coursesDir })
  bundled = await openTestCore()
})
afterAll(async () => {
  await core?.dispose()
  await bundled?.dispose()
  await rm(dir, { recursive: true, force: true })
})

const course = (): Course => core.catalog.require(COURSE)

/** What a question may show of itself, by kind: anything else could carry its key. */
const SHOWN_FIELDS: Record<Question['kind'], string[]> = {
  single: ['choices'],
  multiple: ['choices'],
  truefalse: [],
  numeric: ['unit'],
  text: [],
  order: ['items'],
  match: ['lefts', 'rights'],
  blanks: ['blanks'],
  sql: ['starter'],
}

/** The fields a question's key lives in: none of them may reach the renderer before an answer is checked. */
const KEY_FIELDS = /"(answer|answers|accepted|pairs|reference|explanation|tolerance|feedback|normalize)"\s*:/

function expectNoKeys(detail: LessonDetail, quiz: readonly Question[]): void {
  expect(JSON.stringify(detail)).not.toMatch(KEY_FIELDS)
  for (const [i, q] of quiz.entries()) {
    const shown = detail.quiz[i] as object
    expect({ id: q.id, fields: Object.keys(shown).sort() }).toEqual({ id: q.id, fields: ['id', 'kind', 'prompt', ...SHOWN_FIELDS[q.kind]].sort() })
    // A starter is where the learner begins, never the reference query itself.
    if (q.kind === 'sql') expect((shown as { starter: string }).starter.trim()).not.toBe(q.reference.trim())
    if (q.kind === 'blanks') expect((shown as { blanks: unknown }).blanks).toBe(q.blanks.length)
  }
  for (const [i, shown] of detail.quiz.entries()) {
    const q = quiz[i] as Question
    // Items and match sides are never shown in their right order: that would be the answer.
    const seed = lessonSeed(detail.courseId, detail.id)
    if (shown.kind === 'order') expect(fromShown(q, seed, shown.items.map((it) => it.key))).not.toEqual(shown.items.map((_, n) => n))
    if (shown.kind === 'match') expect(fromShown(q, seed, shown.rights.map((r) => r.key))).not.toEqual(shown.rights.map((_, n) => n))
    expect(shown.id).toBe(q.id)
  }
}

describe('courses.lesson', () => {
  it('shows every kind without its key, in the order the lesson seed gives, the same every time', async () => {
    for (const lesson of course().lessons) {
      const detail = await core.services.courses.lesson({ courseId: COURSE, lessonId: lesson.id })
      expectNoKeys(detail, lesson.quiz)
      expect(detail.quiz).toEqual(lesson.quiz.map((q) => present(q, seedFromText(`${COURSE}/${lesson.id}`))))
      expect(await core.services.courses.lesson({ courseId: COURSE, lessonId: lesson.id })).toEqual(detail)
    }
    const kinds = new Set(course().lessons.flatMap((l) => l.quiz.map((q) => q.kind)))
    expect(kinds.size).toBe(9)
  })

  it('says whether the course has a sample database to run SQL on', async () => {
    expect((await core.services.courses.lesson({ courseId: COURSE, lessonId: 'one' })).runnableSql).toBe(true)
    expect((await core.services.courses.lesson({ courseId: NO_DATASET, lessonId: 'one' })).runnableSql).toBe(false)
  })

  it('no bundled lesson sends a key to the renderer', async () => {
    expect(bundled.catalog.courses.length).toBeGreaterThan(0)
    for (const c of bundled.catalog.courses) {
      for (const lesson of c.lessons) expectNoKeys(await bundled.services.courses.lesson({ courseId: c.id, lessonId: lesson.id }), lesson.quiz)
    }
  })
})

describe('courses.get', () => {
  it('counts the questions of one attempt (the draw), not the pool', async () => {
    const detail = await core.services.courses.get({ courseId: COURSE })
    expect(detail.pressureRoom).toMatchObject({ questionCount: 15, passMark: course().pressureRoom.passMark })
    expect(course().pressureRoom.pool.length).toBe(36)
  })
})

describe('courses.checkAnswer', () => {
  const check = (lessonId: string, q: Question, response: unknown) => core.services.courses.checkAnswer({ courseId: COURSE, lessonId, questionId: q.id, response })

  it('grades the right answer of every kind right and a wrong one wrong, then gives the key and why', async () => {
    const before = await snapshot(core)
    for (const lesson of course().lessons) {
      for (const q of lesson.quiz) {
        const seed = lessonSeed(COURSE, lesson.id)
        const right = await check(lesson.id, q, rightResponse(q, seed))
        expect({ id: q.id, ...right }).toEqual({ id: q.id, correct: true, feedback: expect.any(String), explanation: q.explanation, solution: shownSolution(q, seed) })
        const wrong = await check(lesson.id, q, wrongResponse(q, seed))
        expect({ id: q.id, correct: wrong.correct }).toEqual({ id: q.id, correct: false })
        expect(wrong.feedback.length).toBeGreaterThan(0)
      }
    }
    // Practice is practice: nothing is recorded.
    expect(await snapshot(core)).toBe(before)
  }, 30_000)

  it('grades an sql answer by its rows, without giving the expected rows away', async () => {
    const q = course().lessons[0]?.quiz.find((x) => x.kind === 'sql') as Question
    expect((await check('one', q, 'SELECT title FROM books WHERE year < 1950 ORDER BY year')).correct).toBe(true)
    const tooMany = await check('one', q, 'SELECT title FROM books')
    expect(tooMany).toMatchObject({ correct: false, feedback: '2 rows expected, yours returns 4' })
    const unordered = await check('one', q, 'SELECT title FROM books WHERE year < 1950 ORDER BY year DESC')
    expect(unordered).toMatchObject({ correct: false, feedback: 'Right rows, but not in the order asked for' })
    const broken = await check('one', q, 'SELECT nope FROM books')
    expect(broken.correct).toBe(false)
    expect(broken.feedback).toMatch(/nope/)
    await expectAppError(check('one', q, 42), 'INVALID')
  })

  it('an unknown lesson or question, or a question of another lesson, is NotFound; a malformed response is Invalid', async () => {
    const q = course().lessons[0]?.quiz[0] as Question
    await expectAppError(core.services.courses.checkAnswer({ courseId: COURSE, lessonId: 'nope', questionId: q.id, response: 0 }), 'NOT_FOUND')
    await expectAppError(core.services.courses.checkAnswer({ courseId: COURSE, lessonId: 'one', questionId: 'nope', response: 0 }), 'NOT_FOUND')
    await expectAppError(core.services.courses.checkAnswer({ courseId: COURSE, lessonId: 'two', questionId: q.id, response: 0 }), 'NOT_FOUND')
    await expectAppError(core.services.courses.checkAnswer({ courseId: 'nope', lessonId: 'one', questionId: q.id, response: 0 }), 'NOT_FOUND')
    for (const response of [{ choice: 0 }, null, [[0]], Number.NaN, 'x'.repeat(5001)]) await expectAppError(check('one', q, response), 'INVALID')
    await expectAppError(core.services.courses.checkAnswer({ courseId: COURSE, lessonId: 'one', questionId: q.id }), 'INVALID')
  })

  it('is a channel of the contract, served by the core', async () => {
    const handlers = createHandlers(() => core.services)
    const q = course().lessons[0]?.quiz[0] as Question
    const input = contract['courses.checkAnswer'].input.parse({ courseId: COURSE, lessonId: 'one', questionId: q.id, response: rightResponse(q, lessonSeed(COURSE, 'one')) })
    expect(await handlers['courses.checkAnswer'](input)).toMatchObject({ correct: true })
  })
})
