/**
 * What the renderer sees of a question (exercises/present.ts) and the seeded randomness behind the
 * Pressure Room draw and every shuffle (exercises/random.ts).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { QuestionSchema, type Question } from '../../electron/core/exercises/question-schema'
import { fromShown, present, shownSolution, toShown, type Keyed, type PresentedQuestion } from '../../electron/core/exercises/present'
import { solutionOf } from '../../electron/core/exercises/grade'
import { draw, MAX_SEED, seededRandom, seedFromText, shuffle, shuffledIndexes, subSeed } from '../../electron/core/exercises/random'

const base = { prompt: 'Put these in order.', explanation: 'The explanation names the key: FROM first.' }
const q = (id: string, fields: Record<string, unknown>): Question => QuestionSchema.parse({ id, ...base, ...fields })

const QUESTIONS: Question[] = [
  q('single-q', { kind: 'single', choices: ['alpha', { text: 'beta', feedback: 'beta is wrong.' }, 'gamma', 'delta'], answer: 2 }),
  q('multiple-q', { kind: 'multiple', choices: ['alpha', 'beta', 'gamma', 'delta', 'epsilon'], answers: [0, 3] }),
  q('truefalse-q', { kind: 'truefalse', answer: true, feedback: { false: 'It is true.' } }),
  q('numeric-q', { kind: 'numeric', answer: 16.65, tolerance: 0.005, unit: 'dollars' }),
  q('numeric-no-unit', { kind: 'numeric', answer: 3 }),
  q('text-q', { kind: 'text', accepted: ['COUNT(*)'] }),
  q('order-q', { kind: 'order', items: ['FROM', 'WHERE', 'GROUP BY', 'HAVING', 'SELECT'] }),
  q('order-two', { kind: 'order', items: ['first', 'second'] }),
  q('match-q', { kind: 'match', pairs: [{ left: 'add', right: 'stage' }, { left: 'commit', right: 'record' }, { left: 'push', right: 'publish' }] }),
  q('blanks-q', { kind: 'blanks', prompt: 'SELECT {{1}} FROM {{2}}', blanks: [['title'], ['books']] }),
  q('sql-q', { kind: 'sql', reference: 'SELECT title FROM books ORDER BY title;', starter: 'SELECT ' }),
  q('sql-no-starter', { kind: 'sql', reference: 'SELECT 1;' }),
]

const byId = (id: string): Question => {
  const found = QUESTIONS.find((x) => x.id === id)
  if (!found) throw new Error(id)
  return found
}

/** Every key name anywhere in a JSON value. */
function keysIn(value: unknown): Set<string> {
  const out = new Set<string>()
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk)
    else if (typeof v === 'object' && v !== null)
      for (const [k, child] of Object.entries(v)) {
        out.add(k)
        walk(child)
      }
  }
  walk(value)
  return out
}

const keyedOf = (p: PresentedQuestion): Keyed[] => (p.kind === 'single' || p.kind === 'multiple' ? p.choices : p.kind === 'order' ? p.items : p.kind === 'match' ? p.rights : [])
const orderOf = (p: PresentedQuestion): string => keyedOf(p).map((k) => k.key).join(',')
const SEEDS = Array.from({ length: 400 }, (_, i) => i * 104_729 + 7)

describe('present', () => {
  it.each(QUESTIONS.map((x) => [x.id, x] as const))('%s: holds no key field, no explanation and no choice feedback', (_id, question) => {
    for (const seed of [0, 1, 42, MAX_SEED]) {
      const shown = present(question, seed)
      const json = JSON.parse(JSON.stringify(shown)) as unknown
      const keys = keysIn(json)
      for (const field of ['answer', 'answers', 'accepted', 'tolerance', 'reference', 'pairs', 'explanation', 'feedback', 'normalize'])
        expect(keys.has(field), `${question.id} shows "${field}"`).toBe(false)
      expect(JSON.stringify(shown)).not.toContain('The explanation names the key')
    }
  })

  it('shows what each widget needs', () => {
    expect(present(byId('truefalse-q'), 1)).toEqual({ id: 'truefalse-q', prompt: base.prompt, kind: 'truefalse' })
    expect(present(byId('numeric-q'), 1)).toEqual({ id: 'numeric-q', prompt: base.prompt, kind: 'numeric', unit: 'dollars' })
    expect(present(byId('numeric-no-unit'), 1)).toMatchObject({ unit: null })
    expect(present(byId('text-q'), 1)).toEqual({ id: 'text-q', prompt: base.prompt, kind: 'text' })
    expect(present(byId('blanks-q'), 1)).toEqual({ id: 'blanks-q', prompt: 'SELECT {{1}} FROM {{2}}', kind: 'blanks', blanks: 2 })
    expect(present(byId('sql-q'), 1)).toEqual({ id: 'sql-q', prompt: base.prompt, kind: 'sql', starter: 'SELECT ' })
    expect(present(byId('sql-no-starter'), 1)).toMatchObject({ starter: '' })
    const match = present(byId('match-q'), 1)
    expect(match.kind === 'match' && match.lefts).toEqual(['add', 'commit', 'push'])
  })

  it.each(QUESTIONS.map((x) => [x.id, x] as const))('%s: the same (question, seed) gives the same view', (_id, question) => {
    for (const seed of SEEDS.slice(0, 50)) expect(present(question, seed)).toEqual(present(structuredClone(question), seed))
  })

  it.each(['single-q', 'multiple-q', 'order-q', 'match-q'])('%s: every key appears exactly once, with its own text', (id) => {
    const question = byId(id)
    const texts =
      question.kind === 'single' || question.kind === 'multiple'
        ? question.choices.map((c) => c.text)
        : question.kind === 'order'
          ? question.items
          : question.kind === 'match'
            ? question.pairs.map((p) => p.right)
            : []
    for (const seed of SEEDS) {
      const keyed = keyedOf(present(question, seed))
      expect(keyed.map((k) => k.key).sort((a, b) => a - b)).toEqual(texts.map((_, i) => i))
      // A key read back (fromShown) names the part it was shown on.
      for (const k of keyed) expect(k.text).toBe(texts[fromShown(question, seed, k.key) as number])
    }
  })

  it.each(['single-q', 'multiple-q', 'order-q', 'match-q'])('%s: a key is not the original index (it would give order and match away)', (id) => {
    const question = byId(id)
    const differ = SEEDS.filter((seed) => keyedOf(present(question, seed)).some((k) => fromShown(question, seed, k.key) !== k.key)).length
    expect(differ).toBeGreaterThan(SEEDS.length * 0.5)
  })

  it.each(['single-q', 'multiple-q', 'order-q', 'match-q'])('%s: toShown and fromShown are inverse, and the solution is shown in the same keys', (id) => {
    const question = byId(id)
    for (const seed of SEEDS.slice(0, 50)) {
      const indexes = keyedOf(present(question, seed)).map((_, i) => i)
      expect(fromShown(question, seed, toShown(question, seed, indexes))).toEqual(indexes)
      const solution = solutionOf(question)
      const shown = shownSolution(question, seed)
      expect(shown.text).toBe(solution.text)
      expect(fromShown(question, seed, shown.keys ?? [])).toEqual(question.kind === 'multiple' ? expect.arrayContaining(solution.keys ?? []) : solution.keys)
    }
  })

  it('seed null (attempts from before seeds) shows the author order, keyed by the original indexes', () => {
    const question = byId('single-q')
    const shown = present(question, null)
    expect(keyedOf(shown).map((k) => k.key)).toEqual(keyedOf(shown).map((_, i) => i))
    expect(fromShown(question, null, 2)).toBe(2)
  })

  it.each(['single-q', 'multiple-q', 'order-q', 'match-q'])('%s: different seeds give different orders', (id) => {
    const question = byId(id)
    const orders = new Set(SEEDS.map((seed) => orderOf(present(question, seed))))
    // 4 or 5 items have 24 or 120 orders; 3 rights have 5 orders other than the solved one.
    expect(orders.size).toBeGreaterThanOrEqual(id === 'match-q' ? 5 : 20)
  })

  it('two questions of one attempt get their own shuffles', () => {
    const a = q('a-q', { kind: 'order', items: ['1', '2', '3', '4', '5', '6'] })
    const b = q('b-q', { kind: 'order', items: ['1', '2', '3', '4', '5', '6'] })
    const differ = SEEDS.filter((seed) => orderOf(present(a, seed)) !== orderOf(present(b, seed))).length
    expect(differ).toBeGreaterThan(SEEDS.length * 0.9)
  })

  it.each(['order-q', 'order-two', 'match-q'])('%s: is never shown in its solved order', (id) => {
    const question = byId(id)
    for (let seed = 0; seed < 3000; seed++) {
      const shownAsIndexes = fromShown(question, seed, keyedOf(present(question, seed)).map((k) => k.key)) as number[]
      expect(shownAsIndexes.every((index, i) => index === i), `seed ${seed}`).toBe(false)
    }
  })
})

describe('present (property)', () => {
  const texts = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 2, maxLength: 8 })
  const seed = fc.integer({ min: 0, max: MAX_SEED })

  it('order and match: a permutation of every key, never the solved one, with no key field', () => {
    fc.assert(
      fc.property(texts, seed, fc.boolean(), (items, s, asMatch) => {
        const question = asMatch
          ? q('m-q', { kind: 'match', pairs: items.map((t) => ({ left: `l-${t}`, right: t })) })
          : q('o-q', { kind: 'order', items })
        const shown = present(question, s)
        const keys = keyedOf(shown).map((k) => k.key)
        expect([...keys].sort((a, b) => a - b)).toEqual(items.map((_, i) => i))
        expect((fromShown(question, s, keys) as number[]).every((index, i) => index === i)).toBe(false)
        expect(keysIn(shown).has('pairs')).toBe(false)
        expect(present(question, s)).toEqual(shown)
      }),
      { numRuns: 1000 },
    )
  })
})

/** Pearson's statistic of observed counts against equal expected counts. */
function chiSquare(counts: readonly number[], total: number): number {
  const expected = total / counts.length
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0)
}

describe('random', () => {
  const pool = Array.from({ length: 30 }, (_, i) => `q${i}`)

  it('draw: the same seed gives the same questions in the same order', () => {
    for (const seed of [0, 1, 12345, MAX_SEED]) expect(draw(pool, 15, seed)).toEqual(draw([...pool], 15, seed))
  })

  it('draw: count distinct questions of the pool, all of them when count ≥ pool, and leaves the pool alone', () => {
    const frozen = Object.freeze([...pool])
    for (const seed of SEEDS.slice(0, 50)) {
      const drawn = draw(frozen, 15, seed)
      expect(drawn).toHaveLength(15)
      expect(new Set(drawn).size).toBe(15)
      for (const item of drawn) expect(pool).toContain(item)
      expect([...draw(frozen, 40, seed)].sort()).toEqual([...pool].sort())
    }
  })

  it('draw: different seeds draw different sets', () => {
    const sets = new Set(SEEDS.map((seed) => [...draw(pool, 15, seed)].sort().join()))
    expect(sets.size).toBe(SEEDS.length)
  })

  it('draw: every question of the pool is drawn about as often (random and consecutive seeds)', () => {
    const attempts = 6000
    for (const seedOf of [(i: number) => i, (i: number) => (i * 2_654_435_761) % MAX_SEED]) {
      const counts = new Array<number>(pool.length).fill(0)
      const first = new Array<number>(pool.length).fill(0)
      for (let i = 0; i < attempts; i++) {
        const drawn = draw(pool, 15, seedOf(i))
        for (const item of drawn) counts[pool.indexOf(item)]! += 1
        first[pool.indexOf(drawn[0] ?? '')]! += 1
      }
      // Each question is in half the attempts: 3000 ± 3 %.
      for (const c of counts) expect(Math.abs(c - attempts / 2)).toBeLessThan(attempts * 0.03)
      // 29 degrees of freedom: 70 is far beyond p = 0.0001 (≈ 62).
      expect(chiSquare(first, attempts)).toBeLessThan(70)
    }
  })

  it('shuffle: the orders of 4 items are about equally likely, also for consecutive seeds', () => {
    const orders = ['0123', '0132', '0213', '0231', '0312', '0321', '1023', '1032', '1203', '1230', '1302', '1320', '2013', '2031', '2103', '2130', '2301', '2310', '3012', '3021', '3102', '3120', '3201', '3210']
    const runs = 12_000
    for (const seedOf of [(i: number) => i, (i: number) => 1_000_000 + i, (i: number) => seedFromText(`attempt-${i}`)]) {
      const counts = new Array<number>(orders.length).fill(0)
      for (let i = 0; i < runs; i++) counts[orders.indexOf(shuffle([0, 1, 2, 3], seededRandom(seedOf(i))).join(''))]! += 1
      // 23 degrees of freedom: 60 is beyond p = 0.0001 (≈ 53).
      expect(chiSquare(counts, runs), `seeds from ${seedOf(0)}`).toBeLessThan(60)
    }
  })

  it('seededRandom stays in [0, bound) and is deterministic', () => {
    const a = seededRandom(99)
    const b = seededRandom(99)
    for (let i = 0; i < 1000; i++) {
      const bound = 1 + (i % 17)
      const value = a(bound)
      expect(value).toBe(b(bound))
      expect(Number.isInteger(value) && value >= 0 && value < bound).toBe(true)
    }
  })

  it('shuffledIndexes: a permutation that is never the identity, for 2 to 8 items', () => {
    for (let n = 2; n <= 8; n++) {
      const seen = new Set<string>()
      for (let seed = 0; seed < 2000; seed++) {
        const order = shuffledIndexes(n, seededRandom(seed))
        expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i))
        expect(order.every((v, i) => v === i), `n=${n} seed=${seed}`).toBe(false)
        seen.add(order.join())
      }
      // Every non-identity order shows up (n ≤ 4), or at least many of them.
      const factorial = Array.from({ length: n }, (_, i) => i + 1).reduce((x, y) => x * y, 1)
      expect(seen.size).toBeGreaterThanOrEqual(Math.min(factorial - 1, 500))
    }
  })

  it('shuffledIndexes: even a generator that always keeps the order gives a non-identity order', () => {
    const keepOrder = (bound: number) => bound - 1
    expect(shuffledIndexes(3, keepOrder)).toEqual([1, 2, 0])
    expect(shuffledIndexes(1, keepOrder)).toEqual([0])
    expect(shuffledIndexes(0, keepOrder)).toEqual([])
  })

  it('subSeed and seedFromText: stable 32-bit seeds that differ per question and per seed', () => {
    expect(seedFromText('')).toBe(0x811c9dc5)
    expect(subSeed(7, 'q-1')).toBe(subSeed(7, 'q-1'))
    expect(subSeed(7, 'q-1')).not.toBe(subSeed(7, 'q-2'))
    expect(subSeed(7, 'q-1')).not.toBe(subSeed(8, 'q-1'))
    for (const s of [subSeed(0, 'a'), subSeed(MAX_SEED, 'z'), seedFromText('x'.repeat(1000))]) expect(Number.isInteger(s) && s >= 0 && s <= MAX_SEED).toBe(true)
  })
})
