/**
 * The exercise kinds' schemas (exercises/question-schema.ts): every kind accepts a well-formed question
 * and rejects each authoring mistake at the field the author must fix.
 */
import { describe, expect, it } from 'vitest'
import { QUESTION_KINDS, QuestionSchema } from '../../electron/core/exercises/question-schema'

const base = { id: 'q-1', prompt: 'Which one?', explanation: 'Because it is.' }

/** One well-formed question of every kind, as an author writes it. */
const GOOD: Record<(typeof QUESTION_KINDS)[number], Record<string, unknown>> = {
  single: { ...base, kind: 'single', choices: ['WHERE', { text: 'HAVING', feedback: 'HAVING filters groups.' }], answer: 0 },
  multiple: { ...base, kind: 'multiple', choices: ['COUNT', 'SUM', 'ORDER'], answers: [0, 1] },
  truefalse: { ...base, kind: 'truefalse', answer: true, feedback: { false: 'It is true: see the table.' } },
  numeric: { ...base, kind: 'numeric', answer: 16.65, tolerance: 0.005, unit: 'dollars' },
  text: { ...base, kind: 'text', accepted: ['COUNT(*)'], normalize: { spaces: 'ignore' } },
  order: { ...base, kind: 'order', items: ['FROM', 'WHERE', 'SELECT'] },
  match: { ...base, kind: 'match', pairs: [{ left: 'git add', right: 'stage a change' }, { left: 'git commit', right: 'record the stage' }] },
  blanks: { ...base, kind: 'blanks', prompt: 'SELECT {{1}} FROM books {{2}} BY title', blanks: [['title'], ['ORDER']] },
  sql: { ...base, kind: 'sql', reference: 'SELECT title FROM books ORDER BY title;', starter: 'SELECT ' },
}

interface Found {
  path: string
  message: string
}

function issuesOf(input: unknown): Found[] {
  const result = QuestionSchema.safeParse(input)
  return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
}

function rejectsAt(input: unknown, path: string, message?: RegExp): void {
  const issues = issuesOf(input)
  expect(issues.map((i) => i.path), JSON.stringify(issues)).toContain(path)
  if (message) expect(issues.find((i) => i.path === path)?.message).toMatch(message)
}

describe('QuestionSchema accepts every kind', () => {
  it.each(QUESTION_KINDS)('%s', (kind) => {
    expect(issuesOf(GOOD[kind])).toEqual([])
    expect(QuestionSchema.parse(GOOD[kind]).kind).toBe(kind)
  })

  it('reads choices given as plain text as {text}', () => {
    const q = QuestionSchema.parse(GOOD.single)
    expect(q.kind === 'single' && q.choices).toEqual([{ text: 'WHERE' }, { text: 'HAVING', feedback: 'HAVING filters groups.' }])
  })

  it('fills the defaults: tolerance 0, and case ignore / spaces collapse / quotes exact', () => {
    const numeric = QuestionSchema.parse({ ...base, kind: 'numeric', answer: 3 })
    expect(numeric.kind === 'numeric' && numeric.tolerance).toBe(0)
    const text = QuestionSchema.parse({ ...base, kind: 'text', accepted: ['x'] })
    expect(text.kind === 'text' && text.normalize).toEqual({ case: 'ignore', spaces: 'collapse', quotes: 'exact' })
    const partial = QuestionSchema.parse(GOOD.text)
    expect(partial.kind === 'text' && partial.normalize).toEqual({ case: 'ignore', spaces: 'ignore', quotes: 'exact' })
  })

  it('reads a format-1 question (choices + answer, no kind) as single', () => {
    const v1 = { id: 'old-q', prompt: 'Old?', choices: ['a', 'b', 'c'], answer: 2, explanation: 'Old.' }
    const q = QuestionSchema.parse(v1)
    expect(q).toEqual({ ...v1, kind: 'single', choices: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] })
  })

  it('still checks a format-1 question as a single one', () => {
    rejectsAt({ id: 'old-q', prompt: 'Old?', choices: ['a', 'b'], answer: 2, explanation: 'Old.' }, 'answer', /index one of the choices/)
  })
})

describe('QuestionSchema rejects authoring mistakes at their field', () => {
  it('an unknown kind, with a message listing the kinds', () => {
    const issues = issuesOf({ ...base, kind: 'essay', answer: 'x' })
    expect(issues).toHaveLength(1)
    expect(issues[0]?.path).toBe('kind')
    for (const kind of QUESTION_KINDS) expect(issues[0]?.message).toContain(kind)
  })

  it('a missing kind on a question that is no format-1 one, listing the kinds', () => {
    rejectsAt({ ...base, answer: 3 }, 'kind', /single, multiple, truefalse, numeric, text, order, match, blanks, sql/)
  })

  it.each([
    ['single: answer past the last choice', { ...GOOD.single, answer: 2 }, 'answer', /index one of the choices/],
    ['single: negative answer', { ...GOOD.single, answer: -1 }, 'answer', undefined],
    ['single: fractional answer', { ...GOOD.single, answer: 0.5 }, 'answer', undefined],
    ['single: duplicate choices', { ...GOOD.single, choices: ['a', 'b', 'a'] }, 'choices', /distinct/],
    ['single: choices equal once trimmed', { ...GOOD.single, choices: ['a', { text: ' a ' }] }, 'choices', /distinct/],
    ['single: one choice only', { ...GOOD.single, choices: ['a'], answer: 0 }, 'choices', undefined],
    ['single: seven choices', { ...GOOD.single, choices: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, 'choices', undefined],
    ['single: a blank choice', { ...GOOD.single, choices: ['a', '  '] }, 'choices.1', undefined],
    ['single: answers instead of answer', { ...base, kind: 'single', choices: ['a', 'b'], answers: [0] }, 'answer', undefined],
    ['multiple: an answer out of range', { ...GOOD.multiple, answers: [0, 3] }, 'answers', /index one of the choices/],
    ['multiple: a repeated answer', { ...GOOD.multiple, answers: [1, 1] }, 'answers', /distinct/],
    ['multiple: no answer', { ...GOOD.multiple, answers: [] }, 'answers', undefined],
    ['multiple: duplicate choices', { ...GOOD.multiple, choices: ['x', 'x'], answers: [0] }, 'choices', /distinct/],
    ['truefalse: a string answer', { ...GOOD.truefalse, answer: 'true' }, 'answer', undefined],
    ['truefalse: a feedback key that is no boolean', { ...GOOD.truefalse, feedback: { yes: 'x' } }, 'feedback', undefined],
    ['numeric: a string answer', { ...GOOD.numeric, answer: '16.65' }, 'answer', undefined],
    ['numeric: a negative tolerance', { ...GOOD.numeric, tolerance: -0.1 }, 'tolerance', undefined],
    ['text: no accepted answer', { ...GOOD.text, accepted: [] }, 'accepted', undefined],
    ['text: an unknown normalisation', { ...GOOD.text, normalize: { case: 'upper' } }, 'normalize.case', undefined],
    ['text: a misspelt normalisation key', { ...GOOD.text, normalize: { space: 'ignore' } }, 'normalize', undefined],
    ['order: duplicate items', { ...GOOD.order, items: ['FROM', 'WHERE', 'FROM'] }, 'items', /distinct/],
    ['order: one item', { ...GOOD.order, items: ['FROM'] }, 'items', undefined],
    ['order: nine items', { ...GOOD.order, items: ['1', '2', '3', '4', '5', '6', '7', '8', '9'] }, 'items', undefined],
    ['match: duplicate lefts', { ...GOOD.match, pairs: [{ left: 'a', right: 'x' }, { left: 'a', right: 'y' }] }, 'pairs', /left sides must be distinct/],
    ['match: duplicate rights', { ...GOOD.match, pairs: [{ left: 'a', right: 'x' }, { left: 'b', right: 'x' }] }, 'pairs', /right sides must be distinct/],
    ['match: one pair', { ...GOOD.match, pairs: [{ left: 'a', right: 'x' }] }, 'pairs', undefined],
    ['blanks: a marker missing', { ...GOOD.blanks, prompt: 'SELECT {{1}} FROM books' }, 'prompt', /\{\{1\}\}…\{\{2\}\} exactly once/],
    ['blanks: a marker twice', { ...GOOD.blanks, prompt: 'SELECT {{1}} FROM {{1}}' }, 'prompt', /exactly once/],
    ['blanks: markers not numbered from 1', { ...GOOD.blanks, prompt: 'SELECT {{2}} FROM {{3}}' }, 'prompt', /exactly once/],
    ['blanks: more markers than lists', { ...GOOD.blanks, prompt: '{{1}} {{2}} {{3}}' }, 'prompt', /exactly once/],
    ['blanks: an empty list of accepted answers', { ...GOOD.blanks, blanks: [['title'], []] }, 'blanks.1', undefined],
    ['sql: no reference', { ...base, kind: 'sql' }, 'reference', undefined],
    ['sql: a blank reference', { ...GOOD.sql, reference: '   ' }, 'reference', undefined],
  ])('%s', (_name, input, path, message) => {
    rejectsAt(input, path, message)
  })

  it.each(QUESTION_KINDS)('%s: an unknown field (a typo must not pass silently)', (kind) => {
    expect(issuesOf({ ...GOOD[kind], explantion: 'typo' }).length).toBeGreaterThan(0)
  })

  it.each(QUESTION_KINDS)('%s: a missing explanation, a blank prompt and an id that is not kebab-case', (kind) => {
    const { explanation: _dropped, ...noExplanation } = GOOD[kind]
    rejectsAt(noExplanation, 'explanation')
    rejectsAt({ ...GOOD[kind], prompt: '  ' }, 'prompt')
    rejectsAt({ ...GOOD[kind], id: 'Q_1' }, 'id', /kebab-case/)
  })
})

describe('a format-1 question', () => {
  it('reads as single choice and, as format 1 did, ignores fields it does not know', () => {
    const parsed = QuestionSchema.parse({ ...base, choices: ['A', 'B'], answer: 1, hint: 'a field format 1 never had' })
    expect(parsed).toEqual({ ...base, kind: 'single', choices: [{ text: 'A' }, { text: 'B' }], answer: 1 })
  })

  it('is still checked for what format 1 checked', () => {
    expect(QuestionSchema.safeParse({ ...base, choices: ['A', 'B'], answer: 2 }).success).toBe(false)
  })
})
