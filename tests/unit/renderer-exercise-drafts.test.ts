/**
 * The renderer's exercise drafts (renderer/src/components/exercises/draft.ts) against the core's
 * presenter and grader: the Response a widget sends for the right answer is graded right, for every
 * kind and seed, and a draft that answers nothing yet sends nothing.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { QuestionSchema, type Question } from '../../electron/core/exercises/question-schema'
import { fromShown, present, type PresentedQuestion } from '../../electron/core/exercises/present'
import { gradeLocal } from '../../electron/core/exercises/grade'
import type { Response } from '../../electron/core/exercises/response'

// The renderer is its own TypeScript project (tsconfig.web.json): loaded by path, typed here by hand.
type Draft = Response | (number | null)[]
interface Drafts {
  initialDraft(q: PresentedQuestion): Draft | undefined
  isAnswered(q: PresentedQuestion, d: Draft | undefined): boolean
  orderOf(q: PresentedQuestion, d: Draft | undefined): number[]
  toResponse(q: PresentedQuestion, d: Draft | undefined): Response | undefined
}
const DRAFTS: string = '../../renderer/src/components/exercises/draft.ts'
const { initialDraft, isAnswered, orderOf, toResponse } = (await import(DRAFTS)) as Drafts

const pack = JSON.parse(readFileSync(new URL('../fixtures/courses-every-kind/every-kind/course.json', import.meta.url), 'utf8')) as {
  lessons: { quiz: unknown[] }[]
  pressureRoom: { pool: unknown[] }
}
const QUESTIONS: Question[] = [...(pack.lessons[0]?.quiz ?? []), ...pack.pressureRoom.pool].map((q) => QuestionSchema.parse(q))

/** What the widget for `shown` holds once the learner has given the right answer to `q`. */
function rightDraft(q: Question, shown: PresentedQuestion): Draft {
  switch (q.kind) {
    // The learner picks the shown choices by their text; the widget holds their keys.
    case 'single':
      return shown.kind === 'single' ? (shown.choices.find((c) => c.text === q.choices[q.answer]?.text)?.key ?? -1) : -1
    case 'multiple':
      return shown.kind === 'multiple' ? q.answers.map((i) => shown.choices.find((c) => c.text === q.choices[i]?.text)?.key ?? -1) : []
    case 'truefalse':
      return q.answer
    case 'numeric':
      // Typed with a decimal comma, as many learners write it.
      return String(q.answer).replace('.', ',')
    case 'text':
      return ` ${q.accepted[0]} `
    case 'order':
      // The learner moves the shown items (keys) into the author's order.
      return shown.kind === 'order' ? [...shown.items].sort((a, b) => q.items.indexOf(a.text) - q.items.indexOf(b.text)).map((i) => i.key) : []
    case 'match':
      return shown.kind === 'match' ? q.pairs.map((p) => shown.rights.find((r) => r.text === p.right)?.key ?? null) : []
    case 'blanks':
      return q.blanks.map((accepted) => accepted[0] as string)
    case 'sql':
      return q.reference
  }
}

describe('renderer drafts', () => {
  it('covers every kind', () => {
    expect(new Set(QUESTIONS.map((q) => q.kind)).size).toBe(9)
  })

  for (const seed of [1, 42, 2 ** 31 + 7]) {
    it(`send, for the right answer to every graded-in-place kind, a response graded right (seed ${seed})`, () => {
      for (const q of QUESTIONS) {
        if (q.kind === 'sql') continue
        const shown = present(q, seed)
        const response = toResponse(shown, rightDraft(q, shown))
        expect(response, q.id).toBeDefined()
        expect(gradeLocal(q, fromShown(q, seed, response)), q.id).toMatchObject({ correct: true })
      }
    })
  }

  it('send nothing for a draft that answers nothing yet', () => {
    for (const q of QUESTIONS) {
      const shown = present(q, 7)
      const start = initialDraft(shown)
      expect(isAnswered(shown, start), q.id).toBe(false)
      if (shown.kind !== 'order' && shown.kind !== 'sql') expect(toResponse(shown, start), q.id).toBeUndefined()
    }
    const match = present(QUESTIONS.find((q) => q.kind === 'match') as Question, 7)
    expect(toResponse(match, [0, null, 2])).toBeUndefined()
    const blanks = present(QUESTIONS.find((q) => q.kind === 'blanks') as Question, 7)
    expect(toResponse(blanks, ['  ', ''])).toBeUndefined()
    const multiple = present(QUESTIONS.find((q) => q.kind === 'multiple') as Question, 7)
    expect(toResponse(multiple, [])).toBeUndefined()
  })

  it('answer an untouched order question with the order shown, which is never the right one', () => {
    const q = QUESTIONS.find((candidate) => candidate.kind === 'order') as Question
    for (const seed of [1, 2, 3, 4, 5]) {
      const shown = present(q, seed)
      if (shown.kind !== 'order') throw new Error('not an order question')
      expect(toResponse(shown, undefined)).toEqual(shown.items.map((i) => i.key))
      expect(orderOf(shown, [0])).toEqual(shown.items.map((i) => i.key)) // a malformed draft falls back too
      expect(gradeLocal(q as Exclude<Question, { kind: 'sql' }>, toResponse(shown, undefined)).correct).toBe(false)
    }
  })
})
