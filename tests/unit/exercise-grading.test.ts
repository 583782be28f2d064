/**
 * The pure graders (exercises/grade.ts, normalize.ts): right, wrong, unanswered and wrong-shaped
 * responses for every kind but sql; feedback that never gives the key away; solutionOf.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { QuestionSchema, type Question, type QuestionOf } from '../../electron/core/exercises/question-schema'
import { gradeLocal, NOT_ANSWERED, solutionOf, type LocalQuestion } from '../../electron/core/exercises/grade'
import { normalizeText, parseNumber } from '../../electron/core/exercises/normalize'
import type { Response } from '../../electron/core/exercises/response'

const base = { id: 'q-1', prompt: 'Which one?', explanation: 'Because.' }

function parse<K extends Question['kind']>(kind: K, fields: Record<string, unknown>): QuestionOf<K> {
  const q = QuestionSchema.parse({ ...base, kind, ...fields })
  if (q.kind !== kind) throw new Error(`parsed as ${q.kind}`)
  return q as QuestionOf<K>
}

const single = parse('single', { choices: ['WHERE', { text: 'HAVING', feedback: 'HAVING filters groups, not rows.' }, 'LIMIT'], answer: 0 })
const multiple = parse('multiple', {
  choices: ['COUNT', { text: 'ORDER BY', feedback: 'ORDER BY sorts; it does not aggregate.' }, 'SUM', 'LIMIT'],
  answers: [0, 2],
})
const truefalse = parse('truefalse', { answer: false, feedback: { true: 'NULL = NULL is NULL, not true.' } })
const numeric = parse('numeric', { answer: 16.65, tolerance: 0.005, unit: 'dollars' })
const exactNumeric = parse('numeric', { answer: 1000 })
const text = parse('text', { accepted: ['COUNT(*)', 'count(1)'] })
const order = parse('order', { items: ['FROM', 'WHERE', 'GROUP BY', 'SELECT'] })
const match = parse('match', { pairs: [{ left: 'git add', right: 'stage' }, { left: 'git commit', right: 'record' }, { left: 'git push', right: 'publish' }] })
const blanks = parse('blanks', { prompt: 'SELECT {{1}} FROM books {{2}} BY title', blanks: [['title', 'books.title'], ['ORDER']] })
const oneBlank = parse('blanks', { prompt: 'git {{1}} -m "msg"', blanks: [['commit']] })

const ALL: LocalQuestion[] = [single, multiple, truefalse, numeric, exactNumeric, text, order, match, blanks, oneBlank]

/** Responses of every shape, and values no renderer should send: each must grade without throwing. */
const ODD_RESPONSES: unknown[] = [undefined, null, true, false, 0, -1, 1.5, 99, Number.NaN, Number.POSITIVE_INFINITY, '', '   ', 'x', [], [0], [-1], [0.5], [99], ['a'], [0, 'a'], [[0]], {}, { 0: 1 }]

describe('every grader', () => {
  it.each(ALL.map((q) => [q.kind, q] as const))('%s: never throws, whatever it is sent', (_kind, q) => {
    for (const r of ODD_RESPONSES) {
      const verdict = gradeLocal(q, r as Response)
      expect(typeof verdict.correct).toBe('boolean')
      expect(typeof verdict.feedback).toBe('string')
    }
  })

  it.each(ALL.map((q) => [q.kind, q] as const))('%s: an unanswered question is not answered', (_kind, q) => {
    expect(gradeLocal(q, undefined)).toEqual(NOT_ANSWERED)
  })
})

describe('single', () => {
  it('the right choice is correct; a wrong one is not, with its feedback when it has one', () => {
    expect(gradeLocal(single, 0)).toEqual({ correct: true, feedback: 'Correct.' })
    expect(gradeLocal(single, 1)).toEqual({ correct: false, feedback: 'HAVING filters groups, not rows.' })
    expect(gradeLocal(single, 2)).toEqual({ correct: false, feedback: 'Not quite.' })
  })

  it.each([[-1], [3], [0.5], ['0'], [true], [[0]], [Number.NaN]])('a response of %j counts as not answered', (r) => {
    expect(gradeLocal(single, r as Response)).toEqual(NOT_ANSWERED)
  })
})

describe('multiple', () => {
  it('exactly the right options is correct, in any order', () => {
    expect(gradeLocal(multiple, [2, 0]).correct).toBe(true)
    expect(gradeLocal(multiple, [0, 2]).feedback).toBe('Correct: all 2 right options, and nothing else.')
  })

  it('a repeated pick counts once', () => {
    expect(gradeLocal(multiple, [0, 2, 0]).correct).toBe(true)
  })

  it('missing a right option says how many were found', () => {
    expect(gradeLocal(multiple, [0])).toEqual({ correct: false, feedback: 'You picked 1 right option of 2.' })
  })

  it('a wrong pick beside all the right ones fails, and says why with the choice feedback', () => {
    expect(gradeLocal(multiple, [0, 1, 2])).toEqual({
      correct: false,
      feedback: 'You picked 2 right options of 2 and 1 wrong one. ORDER BY sorts; it does not aggregate.',
    })
    expect(gradeLocal(multiple, [3, 1])).toEqual({
      correct: false,
      feedback: 'You picked 0 right options of 2 and 2 wrong ones. ORDER BY sorts; it does not aggregate.',
    })
    expect(gradeLocal(multiple, [3])).toEqual({ correct: false, feedback: 'You picked 0 right options of 2 and 1 wrong one.' })
  })

  it.each([[[]], [[-1]], [[0, 9]], [[0, 2, 4]], [[0.5, 2]], [0], ['0,2'], [['0', '2']]])('a response of %j counts as not answered', (r) => {
    expect(gradeLocal(multiple, r as Response)).toEqual(NOT_ANSWERED)
  })
})

describe('truefalse', () => {
  it('grades booleans, with the feedback of the picked side', () => {
    expect(gradeLocal(truefalse, false)).toEqual({ correct: true, feedback: 'Correct.' })
    expect(gradeLocal(truefalse, true)).toEqual({ correct: false, feedback: 'NULL = NULL is NULL, not true.' })
  })

  it.each([['false'], [0], [1], [[false]]])('a response of %j counts as not answered', (r) => {
    expect(gradeLocal(truefalse, r as Response)).toEqual(NOT_ANSWERED)
  })
})

describe('numeric', () => {
  it.each([
    [16.65, true],
    ['16.65', true],
    ['16,65', true],
    [' 16.65 ', true],
    ['16.654', true],
    ['16.646', true],
    [16.655, true],
    ['16.66', false],
    [16.64, false],
    ['-16.65', false],
    [16.650000000000002, true],
  ])('16.65 ± 0.005: %j is %s', (r, correct) => {
    expect(gradeLocal(numeric, r).correct).toBe(correct)
  })

  it('with no tolerance, only the same number (however written) is right', () => {
    for (const r of ['1e3', '1000', '1 000', '+1000', '1000.0', 1000]) expect(gradeLocal(exactNumeric, r).correct, String(r)).toBe(true)
    for (const r of ['1000.1', 999, '1e4']) expect(gradeLocal(exactNumeric, r).correct, String(r)).toBe(false)
  })

  it('text that is no number is wrong, with a hint on how to type numbers', () => {
    for (const r of ['abc', '12abc', '1,2,3', '1.2.3', '--1', 'e3']) {
      expect(gradeLocal(numeric, r)).toEqual({ correct: false, feedback: 'That is not a number: type digits, with a point or a comma for decimals.' })
    }
  })

  it('an empty answer is not answered', () => {
    expect(gradeLocal(numeric, '')).toEqual(NOT_ANSWERED)
    expect(gradeLocal(numeric, '   ')).toEqual(NOT_ANSWERED)
    expect(gradeLocal(numeric, [16.65])).toEqual(NOT_ANSWERED)
  })

  it.each([
    ['16.65', 16.65],
    ['16,65', 16.65],
    [' 16.65 ', 16.65],
    ['1e3', 1000],
    ['1E-2', 0.01],
    ['-3', -3],
    ['\u22123', -3],
    ['.5', 0.5],
    ['5.', 5],
    ['1 000', 1000],
    ['1\u202f000,5', 1000.5],
  ])('parseNumber(%j) = %d', (input, value) => {
    expect(parseNumber(input)).toBe(value)
  })

  it.each(['', 'abc', '12abc', '1,000.5', '0x10', 'Infinity', 'NaN', '1e', '.'])('parseNumber(%j) is NaN', (input) => {
    expect(parseNumber(input)).toBeNaN()
  })
})

describe('text', () => {
  it('by default ignores case and collapses spaces', () => {
    for (const r of ['COUNT(*)', 'count(*)', '  Count(*) ', 'count(1)']) expect(gradeLocal(text, r).correct, r).toBe(true)
    expect(gradeLocal(text, 'count( * )').correct).toBe(false)
    expect(gradeLocal(text, 'COUNT(id)')).toEqual({ correct: false, feedback: 'Not the answer expected.' })
  })

  it('an empty answer is not answered', () => {
    expect(gradeLocal(text, '')).toEqual(NOT_ANSWERED)
    expect(gradeLocal(text, ' \n ')).toEqual(NOT_ANSWERED)
    expect(gradeLocal(text, ['COUNT(*)'])).toEqual(NOT_ANSWERED)
  })

  const rule = (over: Record<string, string>) => parse('text', { accepted: ['x'], normalize: over }).normalize

  it('case: exact keeps case', () => {
    const q = parse('text', { accepted: ['HEAD'], normalize: { case: 'exact' } })
    expect(gradeLocal(q, 'HEAD').correct).toBe(true)
    expect(gradeLocal(q, 'head').correct).toBe(false)
  })

  it('spaces: collapse trims and joins runs of whitespace; ignore removes them all', () => {
    expect(normalizeText('  git \t commit\n-m ', rule({}))).toBe('git commit -m')
    expect(normalizeText('  git \t commit\n-m ', rule({ spaces: 'ignore' }))).toBe('gitcommit-m')
    const q = parse('text', { accepted: ['a, b'], normalize: { spaces: 'ignore' } })
    expect(gradeLocal(q, 'a,b').correct).toBe(true)
    expect(gradeLocal(q, ' a ,  b ').correct).toBe(true)
  })

  it('quotes: exact by default; ignore drops straight quotes and backticks', () => {
    const exact = parse('text', { accepted: ["'main'"] })
    expect(gradeLocal(exact, "'main'").correct).toBe(true)
    expect(gradeLocal(exact, 'main').correct).toBe(false)
    expect(gradeLocal(exact, '"main"').correct).toBe(false)
    const ignore = parse('text', { accepted: ["'main'"], normalize: { quotes: 'ignore' } })
    for (const r of ['main', '"main"', '`main`', "'main'"]) expect(gradeLocal(ignore, r).correct, r).toBe(true)
  })

  it('typographic quotes always fold to straight ones', () => {
    const q = parse('text', { accepted: [`git commit -m "first"`, "it's"] })
    expect(gradeLocal(q, 'git commit -m \u201cfirst\u201d').correct).toBe(true)
    expect(gradeLocal(q, 'it\u2019s').correct).toBe(true)
    const typographicKey = parse('text', { accepted: ['\u201ehallo\u201c'] })
    expect(gradeLocal(typographicKey, '"hallo"').correct).toBe(true)
  })

  it('an answer that normalises to nothing never matches', () => {
    const q = parse('text', { accepted: ['""'], normalize: { quotes: 'ignore' } })
    expect(gradeLocal(q, '""').correct).toBe(false)
  })
})

describe('order', () => {
  it('the items in author order is correct', () => {
    expect(gradeLocal(order, [0, 1, 2, 3])).toEqual({ correct: true, feedback: 'Correct: every item is in its place.' })
  })

  it('partial feedback counts items in place', () => {
    expect(gradeLocal(order, [0, 1, 3, 2])).toEqual({ correct: false, feedback: '2 of 4 items are in the right place.' })
    expect(gradeLocal(order, [3, 2, 1, 0])).toEqual({ correct: false, feedback: '0 of 4 items are in the right place.' })
    expect(gradeLocal(order, [0, 2, 3, 1]).feedback).toBe('1 of 4 items are in the right place.')
  })

  it.each([[[0, 1, 2]], [[0, 1, 2, 3, 4]], [[0, 0, 1, 2]], [[0, 1, 2, 4]], [[0, 1, 2, -3]], [['0', '1', '2', '3']], [0]])('a response of %j is not answered', (r) => {
    expect(gradeLocal(order, r as Response)).toEqual(NOT_ANSWERED)
  })
})

describe('match', () => {
  it('each left with its own right is correct', () => {
    expect(gradeLocal(match, [0, 1, 2])).toEqual({ correct: true, feedback: 'Correct: every pair matches.' })
  })

  it('partial feedback counts right pairs', () => {
    expect(gradeLocal(match, [0, 2, 1])).toEqual({ correct: false, feedback: '1 of 3 pairs are right.' })
    expect(gradeLocal(match, [1, 2, 0]).feedback).toBe('0 of 3 pairs are right.')
    expect(gradeLocal(match, [0, 1, 1]).feedback).toBe('2 of 3 pairs are right.')
  })

  it.each([[[0, 1]], [[0, 1, 2, 3]], [[0, 1, 7]], [[0, 1, -1]], [[0, 1, 1.5]], [['0', '1', '2']], [1]])('a response of %j is not answered', (r) => {
    expect(gradeLocal(match, r as Response)).toEqual(NOT_ANSWERED)
  })
})

describe('blanks', () => {
  it('every blank right is correct, with any accepted spelling and the default normalisation', () => {
    expect(gradeLocal(blanks, ['title', 'ORDER'])).toEqual({ correct: true, feedback: 'Correct: every blank is right.' })
    expect(gradeLocal(blanks, [' Books.Title ', 'order']).correct).toBe(true)
    expect(gradeLocal(oneBlank, ['commit'])).toEqual({ correct: true, feedback: 'Correct.' })
  })

  it('partial feedback counts right blanks', () => {
    expect(gradeLocal(blanks, ['title', 'GROUP'])).toEqual({ correct: false, feedback: '1 of 2 blanks are right.' })
    expect(gradeLocal(blanks, ['title'])).toEqual({ correct: false, feedback: '1 of 2 blanks are right.' })
    expect(gradeLocal(blanks, ['', 'ORDER']).feedback).toBe('1 of 2 blanks are right.')
    expect(gradeLocal(oneBlank, ['push'])).toEqual({ correct: false, feedback: 'Not the answer expected.' })
  })

  it('the normalisation applies to every blank', () => {
    const q = parse('blanks', { prompt: 'git {{1}} {{2}}', blanks: [['checkout'], ['-b']], normalize: { case: 'exact' } })
    expect(gradeLocal(q, ['checkout', '-b']).correct).toBe(true)
    expect(gradeLocal(q, ['Checkout', '-b']).feedback).toBe('1 of 2 blanks are right.')
  })

  it.each([[[]], [['', '  ']], ['title'], [[0, 1]]])('a response of %j is not answered', (r) => {
    expect(gradeLocal(blanks, r as Response)).toEqual(NOT_ANSWERED)
  })
})

describe('solutionOf', () => {
  it('names the key of every kind, for the review after submission', () => {
    expect(solutionOf(single)).toEqual({ text: 'WHERE', keys: [0] })
    expect(solutionOf(parse('multiple', { choices: ['a', 'b', 'c'], answers: [2, 0] }))).toEqual({ text: 'c; a', keys: [0, 2] })
    expect(solutionOf(truefalse)).toEqual({ text: 'False', keys: null })
    expect(solutionOf(parse('truefalse', { answer: true }))).toEqual({ text: 'True', keys: null })
    expect(solutionOf(numeric)).toEqual({ text: '16.65 dollars (± 0.005)', keys: null })
    expect(solutionOf(exactNumeric)).toEqual({ text: '1000', keys: null })
    expect(solutionOf(text)).toEqual({ text: 'COUNT(*)', keys: null })
    expect(solutionOf(order)).toEqual({ text: 'FROM → WHERE → GROUP BY → SELECT', keys: [0, 1, 2, 3] })
    expect(solutionOf(match)).toEqual({ text: 'git add → stage; git commit → record; git push → publish', keys: [0, 1, 2] })
    expect(solutionOf(blanks)).toEqual({ text: '1: title, 2: ORDER', keys: null })
    const sql = parse('sql', { reference: 'SELECT title FROM books ORDER BY title;' })
    expect(solutionOf(sql)).toEqual({ text: 'SELECT title FROM books ORDER BY title;', keys: null })
  })

  it('the keys it names are graded correct', () => {
    expect(gradeLocal(single, solutionOf(single).keys?.[0]).correct).toBe(true)
    for (const q of [multiple, order, match]) expect(gradeLocal(q, solutionOf(q).keys ?? undefined).correct, q.kind).toBe(true)
  })
})

/**
 * Key texts are drawn from capital letters and the fixed feedback phrases have no run of 5 capitals,
 * so a key text found in the feedback can only have come from the key (or from an author's feedback).
 */
const keyText = fc.stringMatching(/^[A-Z]{5,10}$/)
const authorFeedback = fc.option(fc.stringMatching(/^[a-zA-Z][a-zA-Z ]{0,29}$/), { nil: undefined })

const choiceQuestion = fc
  .uniqueArray(fc.record({ text: keyText, feedback: authorFeedback }), { minLength: 2, maxLength: 6, selector: (c) => c.text })
  .chain((choices) =>
    fc.record({
      choices: fc.constant(choices.map((c) => (c.feedback === undefined ? { text: c.text } : c))),
      answers: fc.uniqueArray(fc.nat(choices.length - 1), { minLength: 1, maxLength: choices.length }),
    }),
  )

/** A question of a local kind, with its key texts, and a response that is not the right one. */
type Case = { question: LocalQuestion; keys: string[]; response: Response }

const singleCase = choiceQuestion.chain(({ choices, answers }) =>
  fc
    .nat(choices.length - 1)
    .filter((r) => r !== answers[0])
    .map((r): Case => ({ question: parse('single', { choices, answer: answers[0] }), keys: [choices[answers[0] ?? 0]?.text ?? ''], response: r })),
)

const multipleCase = choiceQuestion.chain(({ choices, answers }) =>
  fc
    .uniqueArray(fc.nat(choices.length - 1), { minLength: 1, maxLength: choices.length })
    .filter((r) => r.length !== answers.length || r.some((i) => !answers.includes(i)))
    .map((r): Case => ({ question: parse('multiple', { choices, answers }), keys: answers.map((i) => choices[i]?.text ?? ''), response: r })),
)

const numericCase = fc
  .tuple(fc.integer({ min: 10_000, max: 99_999 }), fc.integer({ min: 10_000, max: 99_999 }))
  .filter(([a, r]) => a !== r)
  .map(([answer, r]): Case => ({ question: parse('numeric', { answer }), keys: [String(answer)], response: String(r) }))

const textCase = fc
  .tuple(fc.uniqueArray(keyText, { minLength: 1, maxLength: 3 }), keyText)
  .filter(([accepted, r]) => !accepted.includes(r))
  .map(([accepted, r]): Case => ({ question: parse('text', { accepted }), keys: accepted, response: r }))

const permutationOf = (n: number) => fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n })
const isIdentity = (p: readonly number[]) => p.every((v, i) => v === i)

const orderCase = fc.uniqueArray(keyText, { minLength: 2, maxLength: 8 }).chain((items) =>
  permutationOf(items.length)
    .filter((p) => !isIdentity(p))
    .map((r): Case => ({ question: parse('order', { items }), keys: items, response: r })),
)

const matchCase = fc.uniqueArray(keyText, { minLength: 4, maxLength: 16 }).chain((texts) => {
  const n = Math.floor(texts.length / 2)
  const pairs = Array.from({ length: n }, (_, i) => ({ left: texts[i] ?? '', right: texts[n + i] ?? '' }))
  return permutationOf(n)
    .filter((p) => !isIdentity(p))
    .map((r): Case => ({ question: parse('match', { pairs }), keys: pairs.map((p) => p.right), response: r }))
})

const blanksCase = fc
  .tuple(fc.uniqueArray(keyText, { minLength: 1, maxLength: 4 }), fc.array(keyText, { maxLength: 4 }))
  .filter(([keys, r]) => keys.some((k, i) => r[i] !== k))
  .map(([keys, r]): Case => ({
    question: parse('blanks', { prompt: keys.map((_, i) => `{{${i + 1}}}`).join(' and '), blanks: keys.map((k) => [k]) }),
    keys,
    response: r,
  }))

describe('feedback on a wrong answer never gives the key away (property)', () => {
  it('for random questions of every local kind and wrong responses', () => {
    fc.assert(
      fc.property(fc.oneof(singleCase, multipleCase, numericCase, textCase, orderCase, matchCase, blanksCase), ({ question, keys, response }) => {
        const verdict = gradeLocal(question, response)
        expect(verdict.correct).toBe(false)
        const authored = 'choices' in question ? question.choices.map((c) => c.feedback ?? '') : []
        for (const key of keys) {
          const leaked = verdict.feedback.includes(key)
          // Only an author may put the key in a choice's feedback.
          if (leaked) expect(authored.some((f) => f.includes(key)), `${question.kind}: "${verdict.feedback}" names "${key}"`).toBe(true)
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('an author feedback that names the key is the one exception, and it is shown as written', () => {
    const q = parse('single', { choices: ['WHERE', { text: 'HAVING', feedback: 'Use WHERE to filter rows.' }], answer: 0 })
    expect(gradeLocal(q, 1).feedback).toBe('Use WHERE to filter rows.')
  })
})
