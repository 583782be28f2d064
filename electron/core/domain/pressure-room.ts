/**
 * Pressure Room rules: which questions an attempt asks, grading and the per-course record. Pure
 * functions, shared by the device and the sync server: both derive an attempt's questions from its
 * seed and grade its responses here, so nothing a device sends can choose the questions or the score.
 */
import type { Question } from '../exercises/question-schema'
import { NOT_ANSWERED, gradeLocal, type Verdict } from '../exercises/grade'
import { draw } from '../exercises/random'
import { fromShown } from '../exercises/present'
import { ResponseSchema, type Response } from '../exercises/response'

export interface Grade {
  correct: number
  total: number
  /** Percent, 0..100, rounded down so a pass is never granted by rounding. */
  score: number
}

export interface GradedAttempt extends Grade {
  /** One per question, in the attempt's order. */
  verdicts: Verdict[]
}

/** How many questions an attempt asks: the course's draw, or the whole pool when it holds fewer. */
export function attemptSize(room: { draw: number; pool: readonly unknown[] }): number {
  return Math.min(room.draw, room.pool.length)
}

/** The questions of the attempt with `seed`, in the order they are asked. */
export function drawQuestions<Q>(room: { draw: number; pool: readonly Q[] }, seed: number): Q[] {
  return draw(room.pool, attemptSize(room), seed)
}

/** One question's verdict. An sql question cannot be graded here (the pack schema keeps them out of pools). */
export function verdictOf(question: Question, response: Response | undefined): Verdict {
  return question.kind === 'sql' ? NOT_ANSWERED : gradeLocal(question, response)
}

/**
 * Grades the responses (in the keys shown under the attempt's `seed`, null for an attempt from before
 * seeds) against the questions of the attempt. Unanswered questions, and responses of
 * the wrong shape for their question, count as wrong; responses to questions outside the attempt are
 * ignored.
 */
export function grade(questions: readonly Question[], answers: Readonly<Record<string, Response>>, seed: number | null): GradedAttempt {
  const verdicts = questions.map((q) => verdictOf(q, fromShown(q, seed, Object.hasOwn(answers, q.id) ? answers[q.id] : undefined)))
  const total = questions.length
  const correct = verdicts.filter((v) => v.correct).length
  return { correct, total, score: total === 0 ? 0 : Math.floor((correct * 100) / total), verdicts }
}

/** An answer stored on an attempt: the response, and when it arrived (epoch seconds) while the attempt was open. */
export interface StoredAnswer {
  response: Response
  at: number | null
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function parseObject(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json)
    return isRecord(value) ? value : {}
  } catch {
    return {}
  }
}

/**
 * The answers stored on an attempt row (pressure_room_attempts.answers, which may come from sync):
 * `{ id: { response, at } }` while open and `{ id: response }` once submitted; rows from before
 * format 2 say `choice` for `response`. Values that are not a response are left out.
 */
export function parseStoredAnswers(json: string): Record<string, StoredAnswer> {
  const answers: [string, StoredAnswer][] = []
  for (const [id, value] of Object.entries(parseObject(json))) {
    const draft = isRecord(value)
    const response = ResponseSchema.safeParse(draft ? (value.response ?? value.choice) : value)
    if (response.success) answers.push([id, { response: response.data, at: draft && typeof value.at === 'number' ? value.at : null }])
  }
  // fromEntries defines own properties, so an id such as "__proto__" stays a key like any other.
  return Object.fromEntries(answers)
}

/** Just the responses of the stored answers. */
export function storedResponses(json: string): Record<string, Response> {
  return Object.fromEntries(Object.entries(parseStoredAnswers(json)).map(([id, a]) => [id, a.response]))
}

export function isPass(score: number, passMark: number): boolean {
  return score >= passMark
}

export interface PressureRoomRecord {
  bestScore: number
  attempts: number
  /** Epoch seconds of the first passing attempt, or null. */
  passedAt: number | null
}

export interface FinishedAttempt {
  score: number
  passed: boolean
  submittedAt: number
}

/** The course's record from its finished attempts: best = max, attempts = count, passedAt = earliest. */
export function summarizeAttempts(attempts: readonly FinishedAttempt[]): PressureRoomRecord | null {
  if (attempts.length === 0) return null
  let bestScore = 0
  let passedAt: number | null = null
  for (const a of attempts) {
    bestScore = Math.max(bestScore, a.score)
    if (a.passed && (passedAt === null || a.submittedAt < passedAt)) passedAt = a.submittedAt
  }
  return { bestScore, attempts: attempts.length, passedAt }
}

/** The record after one more finished attempt: what summarizeAttempts gives with it added. */
export function withAttempt(record: PressureRoomRecord | null, attempt: FinishedAttempt): PressureRoomRecord {
  const passedAt = attempt.passed && (record?.passedAt == null || attempt.submittedAt < record.passedAt) ? attempt.submittedAt : (record?.passedAt ?? null)
  return { bestScore: Math.max(record?.bestScore ?? 0, attempt.score), attempts: (record?.attempts ?? 0) + 1, passedAt }
}
