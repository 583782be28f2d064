import { describe, it, expect } from 'vitest'
import { shuffled, grade, isPass, summarizeAttempts, type FinishedAttempt, type GradableQuestion } from '../../electron/core/domain/pressure-room'

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

describe('shuffled', () => {
  const items = Array.from({ length: 20 }, (_, i) => `q${i}`)

  it('returns a permutation of the input', () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      const out = shuffled(items, seeded(seed))
      expect(out).toHaveLength(items.length)
      expect([...out].sort()).toEqual([...items].sort())
    }
  })

  it('is deterministic for a given seed', () => {
    expect(shuffled(items, seeded(42))).toEqual(shuffled(items, seeded(42)))
  })

  it('different seeds give different orders', () => {
    expect(shuffled(items, seeded(1))).not.toEqual(shuffled(items, seeded(2)))
  })

  it('does not mutate its input', () => {
    const input = [...items]
    const frozen = Object.freeze([...items])
    shuffled(input, seeded(7))
    expect(input).toEqual(items)
    expect(() => shuffled(frozen, seeded(7))).not.toThrow()
    expect(shuffled(input, seeded(7))).not.toBe(input)
  })

  it('handles empty and single-item lists', () => {
    expect(shuffled([], seeded(1))).toEqual([])
    expect(shuffled(['only'], seeded(1))).toEqual(['only'])
  })

  it('with a random source that always returns 0 rotates as Fisher–Yates prescribes', () => {
    expect(shuffled([1, 2, 3, 4], () => 0)).toEqual([2, 3, 4, 1])
  })

  it('with a random source just below 1 keeps the order', () => {
    expect(shuffled([1, 2, 3, 4], () => 0.999999)).toEqual([1, 2, 3, 4])
  })

  it('reaches every permutation of 3 items over many seeds', () => {
    const seen = new Set<string>()
    for (let seed = 0; seed < 200; seed++) seen.add(shuffled(['a', 'b', 'c'], seeded(seed)).join(''))
    expect(seen.size).toBe(6)
  })
})

describe('grade', () => {
  const questions: GradableQuestion[] = [
    { id: 'a', answer: 0 },
    { id: 'b', answer: 1 },
    { id: 'c', answer: 2 },
  ]

  it.each<[string, Record<string, number>, number, number]>([
    ['all right', { a: 0, b: 1, c: 2 }, 3, 100],
    ['none right', { a: 1, b: 0, c: 0 }, 0, 0],
    ['two of three (66, rounded down)', { a: 0, b: 1, c: 0 }, 2, 66],
    ['one of three (33)', { a: 0, b: 0, c: 0 }, 1, 33],
    ['unanswered counts as wrong', { a: 0 }, 1, 33],
    ['nothing answered', {}, 0, 0],
    ['answers to foreign question ids are ignored', { a: 0, x: 0, y: 1, z: 2 }, 1, 33],
  ])('%s', (_name, answers, correct, score) => {
    expect(grade(questions, answers)).toEqual({ correct, total: 3, score })
  })

  it('rounds down so 199 of 200 is 99, never 100', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ id: `q${i}`, answer: 1 }))
    const answers = Object.fromEntries(many.map((q, i) => [q.id, i === 0 ? 0 : 1]))
    expect(grade(many, answers)).toEqual({ correct: 199, total: 200, score: 99 })
  })

  it('rounds down so 2 of 3 does not pass a pass mark of 67 (66.67 would round up)', () => {
    const g = grade(questions, { a: 0, b: 1, c: 0 })
    expect(g.score).toBe(66)
    expect(isPass(g.score, 67)).toBe(false)
  })

  it('is 0 of 0 with a score of 0 for no questions', () => {
    expect(grade([], { a: 1 })).toEqual({ correct: 0, total: 0, score: 0 })
  })

  it('fractional or negative answers do not match', () => {
    const answers = { a: 0.0, b: 1.5, c: -2 }
    expect(grade(questions, answers)).toEqual({ correct: 1, total: 3, score: 33 })
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
      expect(summarizeAttempts(shuffled(attempts, seeded(seed)))).toEqual(expected)
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
