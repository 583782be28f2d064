/**
 * The pure graders: (question, response) → verdict, for every kind but `sql`, which needs the SQL
 * runner (sql/grade.ts). Feedback speaks about the learner's answer and never names the key;
 * the key is shown only after submission, through `solutionOf`.
 */
import type { Question, QuestionOf } from './question-schema'
import type { Response } from './response'
import { matchesAny, parseNumber } from './normalize'

export interface Verdict {
  correct: boolean
  feedback: string
}

export type LocalQuestion = Exclude<Question, { kind: 'sql' }>

export const NOT_ANSWERED: Verdict = { correct: false, feedback: 'Not answered.' }

const isIndexList = (r: Response | undefined): r is number[] => Array.isArray(r) && r.every((v) => typeof v === 'number')
const isTextList = (r: Response | undefined): r is string[] => Array.isArray(r) && r.every((v) => typeof v === 'string')
/** Every entry names one of n options: an index list with a stray index is malformed, not a partial answer. */
const indexesWithin = (r: readonly number[], n: number) => r.every((i) => Number.isInteger(i) && i >= 0 && i < n)
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

function gradeSingle(q: QuestionOf<'single'>, r: Response | undefined): Verdict {
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r >= q.choices.length) return NOT_ANSWERED
  const correct = r === q.answer
  return { correct, feedback: q.choices[r]?.feedback ?? (correct ? 'Correct.' : 'Not quite.') }
}

function gradeMultiple(q: QuestionOf<'multiple'>, r: Response | undefined): Verdict {
  if (!isIndexList(r) || r.length === 0 || !indexesWithin(r, q.choices.length)) return NOT_ANSWERED
  const picked = new Set(r)
  const right = [...picked].filter((i) => q.answers.includes(i)).length
  const wrong = picked.size - right
  const correct = wrong === 0 && right === q.answers.length
  if (correct) return { correct, feedback: q.answers.length === 1 ? 'Correct: the one right option, and nothing else.' : `Correct: all ${q.answers.length} right options, and nothing else.` }
  // Per-choice feedback of the first wrong pick says why it does not belong.
  const why = [...picked].map((i) => (q.answers.includes(i) ? undefined : q.choices[i]?.feedback)).find((f) => f !== undefined)
  const tally = `You picked ${plural(right, 'right option', 'right options')} of ${q.answers.length}${wrong > 0 ? ` and ${plural(wrong, 'wrong one', 'wrong ones')}` : ''}.`
  return { correct, feedback: why ? `${tally} ${why}` : tally }
}

function gradeTrueFalse(q: QuestionOf<'truefalse'>, r: Response | undefined): Verdict {
  if (typeof r !== 'boolean') return NOT_ANSWERED
  const correct = r === q.answer
  return { correct, feedback: q.feedback?.[r ? 'true' : 'false'] ?? (correct ? 'Correct.' : 'Not quite.') }
}

function gradeNumeric(q: QuestionOf<'numeric'>, r: Response | undefined): Verdict {
  if (typeof r !== 'number' && typeof r !== 'string') return NOT_ANSWERED
  if (typeof r === 'string' && r.trim() === '') return NOT_ANSWERED
  const value = parseNumber(r)
  if (Number.isNaN(value)) return { correct: false, feedback: 'That is not a number: type digits, with a point or a comma for decimals.' }
  // A hair of slack so that 0.1 + 0.2 style representations of the same number always match.
  const slack = q.tolerance + 1e-9 * Math.max(1, Math.abs(q.answer))
  const correct = Math.abs(value - q.answer) <= slack
  return { correct, feedback: correct ? 'Correct.' : 'Not quite.' }
}

function gradeText(q: QuestionOf<'text'>, r: Response | undefined): Verdict {
  if (typeof r !== 'string' || r.trim() === '') return NOT_ANSWERED
  const correct = matchesAny(r, q.accepted, q.normalize)
  return { correct, feedback: correct ? 'Correct.' : 'Not the answer expected.' }
}

/** A permutation of 0..n-1, or null. */
function permutation(r: Response | undefined, n: number): number[] | null {
  if (!isIndexList(r) || r.length !== n) return null
  return new Set(r).size === n && indexesWithin(r, n) ? r : null
}

function gradeOrder(q: QuestionOf<'order'>, r: Response | undefined): Verdict {
  const order = permutation(r, q.items.length)
  if (!order) return NOT_ANSWERED
  const placed = order.filter((item, position) => item === position).length
  const correct = placed === q.items.length
  return { correct, feedback: correct ? 'Correct: every item is in its place.' : `${placed} of ${q.items.length} items are in the right place.` }
}

function gradeMatch(q: QuestionOf<'match'>, r: Response | undefined): Verdict {
  if (!isIndexList(r) || r.length !== q.pairs.length || !indexesWithin(r, q.pairs.length)) return NOT_ANSWERED
  const right = r.filter((picked, left) => picked === left).length
  const correct = right === q.pairs.length
  return { correct, feedback: correct ? 'Correct: every pair matches.' : `${right} of ${q.pairs.length} pairs are right.` }
}

function gradeBlanks(q: QuestionOf<'blanks'>, r: Response | undefined): Verdict {
  if (!isTextList(r) || r.every((s) => s.trim() === '')) return NOT_ANSWERED
  const right = q.blanks.filter((accepted, i) => matchesAny(r[i] ?? '', accepted, q.normalize)).length
  const correct = right === q.blanks.length
  if (correct) return { correct, feedback: q.blanks.length === 1 ? 'Correct.' : 'Correct: every blank is right.' }
  return { correct, feedback: q.blanks.length === 1 ? 'Not the answer expected.' : `${right} of ${q.blanks.length} blanks are right.` }
}

export function gradeLocal(question: LocalQuestion, response: Response | undefined): Verdict {
  switch (question.kind) {
    case 'single':
      return gradeSingle(question, response)
    case 'multiple':
      return gradeMultiple(question, response)
    case 'truefalse':
      return gradeTrueFalse(question, response)
    case 'numeric':
      return gradeNumeric(question, response)
    case 'text':
      return gradeText(question, response)
    case 'order':
      return gradeOrder(question, response)
    case 'match':
      return gradeMatch(question, response)
    case 'blanks':
      return gradeBlanks(question, response)
  }
}

/** The key, for after submission: what to show and, for keyed kinds, the keys that were right. */
export interface Solution {
  text: string
  /** single/multiple: the right choice keys; order: the item keys in order; match: per left, its right key. */
  keys: number[] | null
}

export function solutionOf(question: Question): Solution {
  switch (question.kind) {
    case 'single':
      return { text: question.choices[question.answer]?.text ?? '', keys: [question.answer] }
    case 'multiple':
      return { text: question.answers.map((i) => question.choices[i]?.text).join('; '), keys: [...question.answers].sort((a, b) => a - b) }
    case 'truefalse':
      return { text: question.answer ? 'True' : 'False', keys: null }
    case 'numeric': {
      const unit = question.unit ? ` ${question.unit}` : ''
      return { text: `${question.answer}${unit}${question.tolerance > 0 ? ` (± ${question.tolerance})` : ''}`, keys: null }
    }
    case 'text':
      return { text: question.accepted[0] ?? '', keys: null }
    case 'order':
      return { text: question.items.join(' → '), keys: question.items.map((_, i) => i) }
    case 'match':
      return { text: question.pairs.map((p) => `${p.left} → ${p.right}`).join('; '), keys: question.pairs.map((_, i) => i) }
    case 'blanks':
      return { text: question.blanks.map((b, i) => `${i + 1}: ${b[0]}`).join(', '), keys: null }
    case 'sql':
      return { text: question.reference, keys: null }
  }
}
