/**
 * What the renderer may see of a question before the learner answers: the question without its key
 * (Khan Academy Perseus's split). Choices, items and match sides carry a `key`, so a response names
 * what was picked whatever order it was shown in. Keys are a seeded permutation of the original
 * indexes, not the indexes themselves: an item's original index is its place in the right order (and a
 * match side's is its partner), so showing it would hand out the answer. Responses arrive in keys and
 * are turned back into original indexes (`fromShown`) before the graders (grade.ts) see them.
 */
import type { Question } from './question-schema'
import { solutionOf, type Solution } from './grade'
import type { Response } from './response'
import { seededRandom, shuffle, shuffledIndexes, subSeed } from './random'

export interface Keyed {
  key: number
  text: string
}

interface Shown {
  id: string
  prompt: string
}

export type PresentedQuestion =
  | (Shown & { kind: 'single' | 'multiple'; choices: Keyed[] })
  | (Shown & { kind: 'truefalse' })
  | (Shown & { kind: 'numeric'; unit: string | null })
  | (Shown & { kind: 'text' })
  | (Shown & { kind: 'order'; items: Keyed[] })
  | (Shown & { kind: 'match'; lefts: string[]; rights: Keyed[] })
  | (Shown & { kind: 'blanks'; blanks: number })
  | (Shown & { kind: 'sql'; starter: string })

/** How many keyed parts (choices, items, match sides) a question has; 0 for the kinds without. */
function keyedCount(question: Question): number {
  switch (question.kind) {
    case 'single':
    case 'multiple':
      return question.choices.length
    case 'order':
      return question.items.length
    case 'match':
      return question.pairs.length
    default:
      return 0
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

/**
 * The key each original index is shown under. `seed` null is an attempt from before seeds, whose
 * responses were original indexes: its keys are the indexes and its parts keep the author's order.
 */
function shownKeys(question: Question, seed: number | null): number[] {
  const n = keyedCount(question)
  return seed === null ? range(n) : shuffle(range(n), seededRandom(subSeed(seed, `${question.id}#keys`)))
}

/** The parts in the order shown, each under its key. */
function keyed(texts: readonly string[], order: readonly number[], keys: readonly number[]): Keyed[] {
  return order.map((index) => ({ key: keys[index] as number, text: texts[index] as string }))
}

/**
 * The question as shown under `seed`. The same (question, seed) always gives the same view; a
 * lesson quiz passes a seed of its own (stable per lesson), an attempt the attempt's seed.
 */
export function present(question: Question, seed: number | null): PresentedQuestion {
  const random = seededRandom(subSeed(seed ?? 0, question.id))
  const keys = shownKeys(question, seed)
  const shownOrder = (n: number, avoidSolved: boolean) => (seed === null ? range(n) : avoidSolved ? shuffledIndexes(n, random) : shuffle(range(n), random))
  const { id, prompt } = question
  switch (question.kind) {
    case 'single':
    case 'multiple': {
      const texts = question.choices.map((c) => c.text)
      return { id, prompt, kind: question.kind, choices: keyed(texts, shownOrder(texts.length, false), keys) }
    }
    case 'truefalse':
    case 'text':
      return { id, prompt, kind: question.kind }
    case 'numeric':
      return { id, prompt, kind: 'numeric', unit: question.unit ?? null }
    case 'order':
      return { id, prompt, kind: 'order', items: keyed(question.items, shownOrder(question.items.length, true), keys) }
    case 'match': {
      const rights = question.pairs.map((p) => p.right)
      return { id, prompt, kind: 'match', lefts: question.pairs.map((p) => p.left), rights: keyed(rights, shownOrder(rights.length, true), keys) }
    }
    case 'blanks':
      return { id, prompt, kind: 'blanks', blanks: question.blanks.length }
    case 'sql':
      return { id, prompt, kind: 'sql', starter: question.starter ?? '' }
  }
}

/**
 * A response in shown keys, as the graders read it: in original indexes. A key the question does not
 * have becomes an index past the end, which the graders count as not answered.
 */
export function fromShown(question: Question, seed: number | null, response: Response | undefined): Response | undefined {
  const n = keyedCount(question)
  if (n === 0 || response === undefined) return response
  const indexOf = new Map(shownKeys(question, seed).map((key, index) => [key, index]))
  const decode = (key: number) => indexOf.get(key) ?? n
  if (typeof response === 'number') return decode(response)
  if (Array.isArray(response) && response.every((v) => typeof v === 'number')) return response.map(decode)
  return response
}

/** A response in original indexes, as a learner would send it under `seed` (tests and tools). */
export function toShown(question: Question, seed: number | null, response: Response): Response {
  const keys = shownKeys(question, seed)
  if (keys.length === 0) return response
  const encode = (index: number) => keys[index] ?? index
  if (typeof response === 'number') return encode(response)
  if (Array.isArray(response) && response.every((v) => typeof v === 'number')) return response.map(encode)
  return response
}

/** The solution, with its keys as they were shown under `seed`. */
export function shownSolution(question: Question, seed: number | null): Solution {
  const solution = solutionOf(question)
  if (solution.keys === null) return solution
  const keys = shownKeys(question, seed)
  const shown = solution.keys.map((index) => keys[index] as number)
  return { ...solution, keys: question.kind === 'multiple' ? shown.sort((a, b) => a - b) : shown }
}
