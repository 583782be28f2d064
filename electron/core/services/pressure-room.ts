/**
 * pressureRoom.start / answer / submit. An attempt is its seed: the questions drawn from the course's
 * pool and every shuffle follow from it (domain/pressure-room.ts, exercises/). Grading happens in the
 * mutation, from the catalog and the seed, here and on the sync server alike; the renderer never sees
 * a key before submitting and never sends a score or a list of questions.
 */
import { randomInt } from 'node:crypto'
import { Conflict, NotFound } from '../errors'
import { nowSeconds } from '../clock'
import { newId } from '../ids'
import type { Course } from '../catalog/catalog'
import { drawQuestions, grade, isPass, parseStoredAnswers, storedResponses } from '../domain/pressure-room'
import { parsePressureRoom } from '../domain/pressure-room-record'
import type { Question } from '../exercises/question-schema'
import { present, shownSolution } from '../exercises/present'
import type { Verdict } from '../exercises/grade'
import { MAX_SEED } from '../exercises/random'
import type { Response } from '../exercises/response'
import { findAttempt, insertAttempt, updateAttempt, type AttemptRow } from '../repositories/attempts'
import { findEnrollment } from '../repositories/enrollments'
import type { Q } from '../db/database'
import { commit, type ServiceDeps } from './deps'
import { PressureRoomAnswerInput, PressureRoomStartInput, PressureRoomSubmitInput } from '../contract/inputs'
import { parseInput } from './validate'
import type { PressureRoomAttempt, PressureRoomResult, WriteOutcome } from '../contract/types'

/** Answers that arrive this long after the deadline still count: the IPC hop is not the learner's fault. */
export const DEADLINE_GRACE_SECONDS = 2

function questionIdsOf(row: AttemptRow): string[] {
  try {
    const ids: unknown = JSON.parse(row.questionIds)
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []
  } catch {
    return []
  }
}

/** The attempt's questions as the applier recorded them (a question since removed from the pack is left out). */
function attemptQuestions(course: Course, row: AttemptRow): Question[] {
  const pool = course.pressureRoom.pool
  return questionIdsOf(row)
    .map((id) => pool.find((q) => q.id === id))
    .filter((q) => q !== undefined)
}

export function createPressureRoomService(deps: ServiceDeps) {
  const { db, catalog, userId, clock } = deps
  // A 32-bit seed: from the injected source in tests, else from the operating system's generator.
  const random = deps.random
  const newSeed = random ? () => Math.floor(random() * (MAX_SEED + 1)) : () => randomInt(0, MAX_SEED + 1)

  async function requireAttempt(q: Q, attemptId: string): Promise<AttemptRow> {
    const row = await findAttempt(q, userId, attemptId)
    if (!row) throw new NotFound('That Pressure Room attempt does not exist.')
    return row
  }

  async function result(attemptId: string, late: boolean, outcome: WriteOutcome): Promise<PressureRoomResult> {
    const { row, enrollment } = await db.read(async (q) => {
      const row = await requireAttempt(q, attemptId)
      return { row, enrollment: await findEnrollment(q, userId, row.courseId) }
    })
    const course = catalog.require(row.courseId)
    const questions = attemptQuestions(course, row)
    const answers = storedResponses(row.answers)
    // An attempt from before seeds (seed null) is reviewed in the author's order, its keys the indexes.
    const seed = row.seed
    const graded = grade(questions, answers, seed)
    return {
      attemptId,
      courseId: course.id,
      correct: graded.correct,
      total: graded.total,
      score: graded.score,
      passed: isPass(graded.score, course.pressureRoom.passMark),
      passMark: course.pressureRoom.passMark,
      late,
      record: parsePressureRoom(enrollment?.pressureRoom ?? null),
      review: questions.map((q, i) => {
        const verdict = graded.verdicts[i] as Verdict
        return {
          question: present(q, seed),
          response: Object.hasOwn(answers, q.id) ? (answers[q.id] as Response) : null,
          correct: verdict.correct,
          feedback: verdict.feedback,
          explanation: q.explanation,
          solution: shownSolution(q, seed),
        }
      }),
      outcome,
    }
  }

  return {
    async start(input: unknown): Promise<PressureRoomAttempt> {
      const { courseId } = parseInput(PressureRoomStartInput, input, 'Pressure Room')
      const course = catalog.require(courseId)
      const room = course.pressureRoom
      const seed = newSeed()
      const questions = drawQuestions(room, seed)
      const startedAt = nowSeconds(clock)
      const attempt: PressureRoomAttempt = {
        attemptId: newId(),
        courseId,
        courseTitle: course.title,
        startedAt,
        deadline: startedAt + room.timeLimitSeconds,
        timeLimitSeconds: room.timeLimitSeconds,
        passMark: room.passMark,
        seed,
        questions: questions.map((q) => present(q, seed)),
        answers: {},
      }
      // An open attempt is a local draft; it reaches the outbox when it is submitted.
      await db.write((tx) =>
        insertAttempt(tx, {
          id: attempt.attemptId,
          userId,
          courseId,
          questionIds: JSON.stringify(questions.map((q) => q.id)),
          seed,
          startedAt,
          deadline: attempt.deadline,
        }),
      )
      return attempt
    },

    /** Records one answer as it is given, so a late or lost submission still counts it. */
    async answer(input: unknown): Promise<{ accepted: true }> {
      const { attemptId, questionId, response } = parseInput(PressureRoomAnswerInput, input, 'answer')
      return db.write(async (tx) => {
        const row = await requireAttempt(tx, attemptId)
        const now = nowSeconds(clock)
        if (row.submittedAt !== null) throw new Conflict('This attempt has already been submitted.')
        if (now > row.deadline + DEADLINE_GRACE_SECONDS) throw new Conflict('Time is up for this attempt.')
        if (!questionIdsOf(row).includes(questionId)) throw new NotFound('That question is not part of this attempt.')
        await updateAttempt(tx, userId, attemptId, { answers: JSON.stringify({ ...parseStoredAnswers(row.answers), [questionId]: { response, at: now } }) })
        return { accepted: true as const }
      })
    },

    /**
     * Finishes the attempt. Answers sent with a timely submission count; after the deadline only the
     * answers recorded in time do. Submitting a finished attempt again returns its result unchanged.
     */
    async submit(input: unknown): Promise<PressureRoomResult> {
      const { attemptId, answers } = parseInput(PressureRoomSubmitInput, input, 'submission')
      let late = false
      const outcome = await commit(deps, 'pressureRoom.recordAttempt', async (when, tx) => {
        const row = await requireAttempt(tx, attemptId)
        if (row.submittedAt !== null) return null
        late = when.at > row.deadline + DEADLINE_GRACE_SECONDS
        const counted: Record<string, Response> = storedResponses(row.answers)
        if (!late) Object.assign(counted, answers ?? {})
        const questionIds = questionIdsOf(row)
        const own = Object.entries(counted).filter(([id]) => questionIds.includes(id))
        const attempt = { attemptId, courseId: row.courseId, startedAt: row.startedAt, deadline: row.deadline, ...when }
        if (row.seed !== null) return { ...attempt, seed: row.seed, answers: Object.fromEntries(own) }
        // Opened before seeds, submitted after: recorded in the shape of that version (choice indexes).
        return { ...attempt, questionIds, answers: Object.fromEntries(own.filter(([, r]) => typeof r === 'number' && Number.isInteger(r) && r >= 0 && r <= 50)) }
      })
      return result(attemptId, late, outcome)
    },
  }
}
