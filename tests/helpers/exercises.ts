/**
 * Answers for tests: the right response to a question (from its key, as a learner who knows would
 * answer) and a response that is surely wrong but well-formed for its kind. Both come in the keys the
 * question is shown under with `seed` (an attempt's, or a lesson's `lessonSeed`; null for an attempt
 * from before seeds), as the page sends them.
 */
import type { Course } from '../../electron/core/catalog/catalog'
import type { Question } from '../../electron/core/exercises/question-schema'
import type { Response } from '../../electron/core/exercises/response'
import { drawQuestions } from '../../electron/core/domain/pressure-room'
import { toShown } from '../../electron/core/exercises/present'

/** Typed text that no author accepts. */
export const WRONG_TEXT = 'zz-surely-not-the-answer-zz'

export function rightResponse(question: Question, seed: number | null): Response {
  return toShown(question, seed, rightIndexes(question))
}

/** The right response in original indexes (what the graders read). */
export function rightIndexes(question: Question): Response {
  switch (question.kind) {
    case 'single':
    case 'truefalse':
    case 'numeric':
      return question.answer
    case 'multiple':
      return [...question.answers]
    case 'text':
      return question.accepted[0] as string
    case 'order':
      return question.items.map((_, i) => i)
    case 'match':
      return question.pairs.map((_, i) => i)
    case 'blanks':
      return question.blanks.map((accepted) => accepted[0] as string)
    case 'sql':
      return question.reference
  }
}

export function wrongResponse(question: Question, seed: number | null): Response {
  return toShown(question, seed, wrongIndexes(question))
}

function wrongIndexes(question: Question): Response {
  switch (question.kind) {
    case 'single':
      return (question.answer + 1) % question.choices.length
    case 'multiple':
      // Every choice, unless every choice is right: then one right choice is left out.
      return question.answers.length === question.choices.length ? question.answers.slice(1) : question.choices.map((_, i) => i)
    case 'truefalse':
      return !question.answer
    case 'numeric':
      return question.answer + question.tolerance + 1 + Math.abs(question.answer)
    case 'text':
      return WRONG_TEXT
    case 'order':
      return question.items.map((_, i) => question.items.length - 1 - i)
    case 'match':
      return question.pairs.map((_, i) => (i + 1) % question.pairs.length)
    case 'blanks':
      return question.blanks.map(() => WRONG_TEXT)
    case 'sql':
      return `SELECT '${WRONG_TEXT}' AS a, '${WRONG_TEXT}' AS b, '${WRONG_TEXT}' AS c`
  }
}

/** A question of the course (any lesson's or the Pressure Room pool's) by id. */
export function questionById(course: Course, id: string): Question {
  const found = [...course.lessons.flatMap((l) => l.quiz), ...course.pressureRoom.pool].find((q) => q.id === id)
  if (!found) throw new Error(`no question "${id}" in ${course.id}`)
  return found
}

/** Answers for the questions of an attempt with `seed` (by id): the first `right` right, the rest wrong. */
export function answersFor(course: Course, ids: readonly string[], right: number, seed: number | null): Record<string, Response> {
  return Object.fromEntries(ids.map((id, i) => [id, i < right ? rightResponse(questionById(course, id), seed) : wrongResponse(questionById(course, id), seed)]))
}

/** Answers to the questions an attempt with `seed` draws: the first `right` of them right, the rest wrong. */
export function drawnAnswers(course: Course, seed: number, right: number = Number.POSITIVE_INFINITY): Record<string, Response> {
  return answersFor(
    course,
    drawQuestions(course.pressureRoom, seed).map((q) => q.id),
    right,
    seed,
  )
}
