/**
 * What the renderer may see of a question before the learner answers: the question without its key
 * (Khan Academy Perseus's split). Choices, items and match sides carry their original index as `key`,
 * so a response names what was picked whatever order it was shown in.
 */
import type { Question } from './question-schema'
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

const keyed = (texts: readonly string[], order: readonly number[]): Keyed[] => order.map((key) => ({ key, text: texts[key] as string }))

/**
 * The question as shown under `seed`. The same (question, seed) always gives the same view; a
 * lesson quiz passes a seed of its own (stable per question), an attempt the attempt's seed.
 */
export function present(question: Question, seed: number): PresentedQuestion {
  const random = seededRandom(subSeed(seed, question.id))
  const { id, prompt } = question
  switch (question.kind) {
    case 'single':
    case 'multiple': {
      const texts = question.choices.map((c) => c.text)
      return { id, prompt, kind: question.kind, choices: keyed(texts, shuffle(texts.map((_, i) => i), random)) }
    }
    case 'truefalse':
    case 'text':
      return { id, prompt, kind: question.kind }
    case 'numeric':
      return { id, prompt, kind: 'numeric', unit: question.unit ?? null }
    case 'order':
      return { id, prompt, kind: 'order', items: keyed(question.items, shuffledIndexes(question.items.length, random)) }
    case 'match': {
      const rights = question.pairs.map((p) => p.right)
      return { id, prompt, kind: 'match', lefts: question.pairs.map((p) => p.left), rights: keyed(rights, shuffledIndexes(rights.length, random)) }
    }
    case 'blanks':
      return { id, prompt, kind: 'blanks', blanks: question.blanks.length }
    case 'sql':
      return { id, prompt, kind: 'sql', starter: question.starter ?? '' }
  }
}
