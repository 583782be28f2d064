/**
 * What a widget holds while the learner answers (a draft) and the Response it becomes. Drafts may be
 * incomplete (a match with a left still unpicked), so they are wider than Response; a draft becomes a
 * Response only once it says something the core can grade.
 */
import type { PresentedQuestion, Response } from '../../../../electron/core/contract/types'

export type Draft = Response | (number | null)[]

export type Kind = PresentedQuestion['kind']
export type QuestionOf<K extends Kind> = Extract<PresentedQuestion, { kind: K }>

const isNumberList = (d: Draft | undefined): d is number[] => Array.isArray(d) && d.every((v) => typeof v === 'number')
const isTextList = (d: Draft | undefined): d is string[] => Array.isArray(d) && d.every((v) => typeof v === 'string')

export const numberOf = (d: Draft | undefined): number | undefined => (typeof d === 'number' ? d : undefined)
export const textOf = (d: Draft | undefined): string => (typeof d === 'string' ? d : typeof d === 'number' ? String(d) : '')
export const numbersOf = (d: Draft | undefined): number[] => (isNumberList(d) ? d : [])
export const textsOf = (d: Draft | undefined, n: number): string[] => Array.from({ length: n }, (_, i) => (isTextList(d) ? (d[i] ?? '') : ''))
/** A match draft: per left side, the key of the right side picked, or null. */
export const picksOf = (d: Draft | undefined, n: number): (number | null)[] =>
  Array.from({ length: n }, (_, i) => {
    const v = Array.isArray(d) ? d[i] : undefined
    return typeof v === 'number' ? v : null
  })

/** The order a learner sees before moving anything: the items as presented. */
export function orderOf(question: QuestionOf<'order'>, d: Draft | undefined): number[] {
  const keys = question.items.map((item) => item.key)
  const order = numbersOf(d)
  return order.length === keys.length && keys.every((k) => order.includes(k)) ? order : keys
}

/** The draft a question starts from: an SQL exercise starts from its starter query. */
export function initialDraft(question: PresentedQuestion): Draft | undefined {
  return question.kind === 'sql' && question.starter !== '' ? question.starter : undefined
}

/**
 * The Response a draft stands for, or undefined while it answers nothing yet. An order question the
 * learner has not touched answers with the order shown: that is what they are looking at.
 */
export function toResponse(question: PresentedQuestion, d: Draft | undefined): Response | undefined {
  switch (question.kind) {
    case 'single':
      return numberOf(d)
    case 'multiple':
      return numbersOf(d).length > 0 ? numbersOf(d) : undefined
    case 'truefalse':
      return typeof d === 'boolean' ? d : undefined
    case 'numeric':
    case 'text':
    case 'sql':
      return textOf(d).trim() === '' ? undefined : textOf(d)
    case 'order':
      return orderOf(question, d)
    case 'match': {
      const picks = picksOf(d, question.lefts.length)
      return picks.every((p) => p !== null) ? (picks as number[]) : undefined
    }
    case 'blanks': {
      const texts = textsOf(d, question.blanks)
      return texts.some((t) => t.trim() !== '') ? texts : undefined
    }
  }
}

/** Whether the learner has given an answer (for "n of m answered"): a moved order counts, a shown one not. */
export function isAnswered(question: PresentedQuestion, d: Draft | undefined): boolean {
  if (d === undefined) return false
  // The starter query alone is where the learner began, not an answer.
  if (question.kind === 'sql' && textOf(d).trim() === question.starter.trim()) return false
  return toResponse(question, d) !== undefined
}

/** What to tell a learner who checks a question they have not answered yet. */
export function unansweredHint(question: PresentedQuestion): string {
  switch (question.kind) {
    case 'single':
    case 'truefalse':
      return 'Pick an answer first.'
    case 'multiple':
      return 'Tick at least one option first.'
    case 'match':
      return 'Pick a match for every item first.'
    case 'blanks':
      return 'Fill in the blanks first.'
    case 'sql':
      return 'Write a query first.'
    default:
      return 'Type an answer first.'
  }
}
