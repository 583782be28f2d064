import { describe, it, expect } from 'vitest'
import { attemptSize, drawQuestions, grade, isPass, parseStoredAnswers, summarizeAttempts, type FinishedAttempt } from '../../electron/core/domain/pressure-room'
import type { Question } from '../../electron/core/exercises/question-schema'
import { shuffle, seededRandom } from '../../electron/core/exercises/random'

describe('drawQuestions', () => {
  const pool = Array.from({ length: 20 }, (_, i) => `q${i}`)
  const room = (draw: number) => ({ draw, pool })

  it('draws `draw` distinct questions of the pool', () => {
    for (const seed of [1, 2, 3, 42, 1234, 0xffff_ffff]) {
      const out = drawQuestions(room(7), seed)
      expect(out).toHaveLength(7)
      expect(new Set(out).size).toBe(7)
      expect(out.every((q) => pool.includes(q))).toBe(true)
    }
  })

  it('draws the whole pool, shuffled, when the draw is the pool (format 1) or more', () => {
    expect([...drawQuestions(room(20), 9)].sort()).toEqual([...pool].sort())
    expect(drawQuestions(room(50), 9)).toHaveLength(20)
    expect(attemptSize(room(50))).toBe(20)
    expect(attemptSize(room(15))).toBe(15)
  })

  it('is deterministic for a given seed: the device and the server draw the same', () => {
    expect(drawQuestions(room(15), 42)).toEqual(drawQuestions(room(15), 42))
  })

  it('different seeds give different draws', () => {
    expect(drawQuestions(room(15), 1)).not.toEqual(drawQuestions(room(15), 2))
  })

  it('does not mutate the pool', () => {
    const frozen = Object.freeze([...pool])
    expect(() => drawQuestions({ draw: 5, pool: frozen }, 7)).not.toThrow()
    expect(frozen).toEqual(pool)
  })

  it('reaches every question of the pool in first place, and every order of 3, over many seeds', () => {
    const first = new Set<string>()
    const orders = new Set<string>()
    for (let seed = 0; seed < 400; seed++) {
      first.add(drawQuestions(room(5), seed)[0] as string)
      orders.add(drawQuestions({ draw: 3, pool: ['a', 'b', 'c'] }, seed).join(''))
    }
    expect(first.size).toBe(pool.length)
    expect(orders.size).toBe(6)
  })
})

/** A single-choice question of three choices whose right one is `answer`. */
const single = (id: string, answer: number): Question => ({ id, kind: 'single', prompt: `${id}?`, explanation: 'Why.', choices: [{ text: 'x' }, { text: 'y' }, { text: 'z' }], answer })

describe('grade', () => {
  const questions: Question[] = [single('a', 0), single('b', 1), single('c', 2)]

  it.each<[string, Record<string, number>, number, number]>([
    ['all right', { a: 0, b: 1, c: 2 }, 3, 100],
    ['none right', { a: 1, b: 0, c: 0 }, 0, 0],
    ['two of three (66, rounded down)', { a: 0, b: 1, c: 0 }, 2, 66],
    ['one of three (33)', { a: 0, b: 0, c: 0 }, 1, 33],
    ['unanswered counts as wrong', { a: 0 }, 1, 33],
    ['nothing answered', {}, 0, 0],
    ['answers to foreign question ids are ignored', { a: 0, x: 0, y: 1, z: 2 }, 1, 33],
  ])('%s', (_name, answers, correct, score) => {
    expect(grade(questions, answers, null)).toMatchObject({ correct, total: 3, score })
  })

  it('gives a verdict per question, in order', () => {
    expect(grade(questions, { a: 0, b: 0 }, null).verdicts.map((v) => v.correct)).toEqual([true, false, false])
  })

  it('rounds down so 199 of 200 is 99, never 100', () => {
    const many = Array.from({ length: 200 }, (_, i) => single(`q${i}`, 1))
    const answers = Object.fromEntries(many.map((q, i) => [q.id, i === 0 ? 0 : 1]))
    expect(grade(many, answers, null)).toMatchObject({ correct: 199, total: 200, score: 99 })
  })

  it('rounds down so 2 of 3 does not pass a pass mark of 67 (66.67 would round up)', () => {
    const g = grade(questions, { a: 0, b: 1, c: 0 }, null)
    expect(g.score).toBe(66)
    expect(isPass(g.score, 67)).toBe(false)
  })

  it('is 0 of 0 with a score of 0 for no questions', () => {
    expect(grade([], { a: 1 }, null)).toMatchObject({ correct: 0, total: 0, score: 0 })
  })

  it('fractional or negative answers do not match', () => {
    const answers = { a: 0.0, b: 1.5, c: -2 }
    expect(grade(questions, answers, null)).toMatchObject({ correct: 1, total: 3, score: 33 })
  })

  it('responses of the wrong shape for their question count as wrong', () => {
    expect(grade(questions, { a: [0], b: '1', c: true }, null)).toMatchObject({ correct: 0, total: 3, score: 0 })
  })
})

describe('parseStoredAnswers', () => {
  it('reads open drafts, submitted answers and the rows of the version before seeds', () => {
    const json = JSON.stringify({ a: { response: [1, 2], at: 5 }, b: 'text', c: { choice: 2, at: 7 }, d: 3, e: { response: { nested: 1 }, at: 1 }, f: null })
    expect(parseStoredAnswers(json)).toEqual({ a: { response: [1, 2], at: 5 }, b: { response: 'text', at: null }, c: { response: 2, at: 7 }, d: { response: 3, at: null } })
  })

  it('reads a broken or foreign value as no answers', () => {
    expect(parseStoredAnswers('not json')).toEqual({})
    expect(parseStoredAnswers('[1, 2]')).toEqual({})
  })
})

describe('isPass', () => {
  it.each([
    [70, 70, true],
    [69, 70, false],
    [71, 70, true],
    [100, 100, true],
    [99, 100, false],
    [0, 1, false],
    [1, 1, true],
  ])('score %i with pass mark %i passes: %s', (score, mark, pass) => {
    expect(isPass(score, mark)).toBe(pass)
  })
})

describe('summarizeAttempts', () => {
  it('is null with no attempts', () => {
    expect(summarizeAttempts([])).toBeNull()
  })

  it('a single failing attempt has no passedAt', () => {
    expect(summarizeAttempts([{ score: 40, passed: false, submittedAt: 1000 }])).toEqual({ bestScore: 40, attempts: 1, passedAt: null })
  })

  it('best = max score, attempts = count, passedAt = earliest passing submittedAt', () => {
    const attempts: FinishedAttempt[] = [
      { score: 50, passed: false, submittedAt: 100 },
      { score: 80, passed: true, submittedAt: 200 },
      { score: 95, passed: true, submittedAt: 300 },
      { score: 60, passed: false, submittedAt: 400 },
    ]
    expect(summarizeAttempts(attempts)).toEqual({ bestScore: 95, attempts: 4, passedAt: 200 })
  })

  it('gives the same record whatever order the attempts arrive in', () => {
    const attempts: FinishedAttempt[] = [
      { score: 95, passed: true, submittedAt: 300 },
      { score: 10, passed: false, submittedAt: 50 },
      { score: 80, passed: true, submittedAt: 200 },
      { score: 72, passed: true, submittedAt: 250 },
    ]
    const expected = { bestScore: 95, attempts: 4, passedAt: 200 }
    expect(summarizeAttempts(attempts)).toEqual(expected)
    expect(summarizeAttempts([...attempts].reverse())).toEqual(expected)
    for (let seed = 0; seed < 10; seed++) {
      expect(summarizeAttempts(shuffle(attempts, seededRandom(seed)))).toEqual(expected)
    }
  })

  it('an earlier failing attempt does not set passedAt', () => {
    expect(
      summarizeAttempts([
        { score: 90, passed: true, submittedAt: 500 },
        { score: 20, passed: false, submittedAt: 100 },
      ]),
    ).toEqual({ bestScore: 90, attempts: 2, passedAt: 500 })
  })

  it('all-zero scores give a best score of 0', () => {
    expect(summarizeAttempts([{ score: 0, passed: false, submittedAt: 1 }])).toEqual({ bestScore: 0, attempts: 1, passedAt: null })
  })
})
