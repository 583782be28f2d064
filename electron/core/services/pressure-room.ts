/**
 * pressureRoom.start / answer / submit. Grading happens here and in the mutation, from the catalog;
 * the renderer never sees the answers before submitting and never sends a score.
 */
import { Conflict, NotFound } from '../errors'
import { nowSeconds } from '../clock'
import { newId } from '../ids'
import { grade, isPass, shuffled } from '../domain/pressure-room'
import { parsePressureRoom } from '../domain/pressure-room-record'
import { findAttempt, insertAttempt, updateAttempt, type AttemptRow } from '../repositories/attempts'
import { findEnrollment } from '../repositories/enrollments'
import type { Q } from '../db/database'
import { commit, type ServiceDeps } from './deps'
import { PressureRoomAnswerInput, PressureRoomStartInput, PressureRoomSubmitInput } from '../contract/inputs'
import { parseInput } from './validate'
import type { PressureRoomAttempt, PressureRoomResult, WriteOutcome } from '../contract/types'

/** Answers that arrive this long after the deadline still count: the IPC hop is not the learner's fault. */
export const DEADLINE_GRACE_SECONDS = 2

type StoredAnswers = Record<string, { choice: number; at: number }>

function storedAnswers(row: AttemptRow): StoredAnswers {
  try {
    return JSON.parse(row.answers) as StoredAnswers
  } catch {
    return {}
  }
}

export function createPressureRoomService(deps: ServiceDeps) {
  const { db, catalog, userId, clock } = deps
  const random = deps.random ?? Math.random

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
    const ids = JSON.parse(row.questionIds) as string[]
    const answers = JSON.parse(row.answers) as Record<string, number>
    const questions = ids.map((id) => course.pressureRoom.questions.find((q) => q.id === id)).filter((q) => q !== undefined)
    const graded = grade(questions, answers)
    return {
      attemptId,
      courseId: course.id,
      ...graded,
      passed: isPass(graded.score, course.pressureRoom.passMark),
      passMark: course.pressureRoom.passMark,
      late,
      record: parsePressureRoom(enrollment?.pressureRoom ?? null),
      review: questions.map((q) => ({ id: q.id, prompt: q.prompt, choices: q.choices, answer: q.answer, chosen: answers[q.id] ?? null, explanation: q.explanation })),
      outcome,
    }
  }

  return {
    async start(input: unknown): Promise<PressureRoomAttempt> {
      const { courseId } = parseInput(PressureRoomStartInput, input, 'Pressure Room')
      const course = catalog.require(courseId)
      const room = course.pressureRoom
      const order = shuffled(room.questions, random)
      const startedAt = nowSeconds(clock)
      const attempt: PressureRoomAttempt = {
        attemptId: newId(),
        courseId,
        courseTitle: course.title,
        startedAt,
        deadline: startedAt + room.timeLimitSeconds,
        timeLimitSeconds: room.timeLimitSeconds,
        passMark: room.passMark,
        questions: order.map((q) => ({ id: q.id, prompt: q.prompt, choices: q.choices })),
      }
      // An open attempt is a local draft; it reaches the outbox when it is submitted.
      await db.write((tx) =>
        insertAttempt(tx, {
          id: attempt.attemptId,
          userId,
          courseId,
          questionIds: JSON.stringify(order.map((q) => q.id)),
          startedAt,
          deadline: attempt.deadline,
        }),
      )
      return attempt
    },

    /** Records one answer as it is given, so a late or lost submission still counts it. */
    async answer(input: unknown): Promise<{ accepted: true }> {
      const { attemptId, questionId, choice } = parseInput(PressureRoomAnswerInput, input, 'answer')
      return db.write(async (tx) => {
        const row = await requireAttempt(tx, attemptId)
        const now = nowSeconds(clock)
        if (row.submittedAt !== null) throw new Conflict('This attempt has already been submitted.')
        if (now > row.deadline + DEADLINE_GRACE_SECONDS) throw new Conflict('Time is up for this attempt.')
        if (!(JSON.parse(row.questionIds) as string[]).includes(questionId)) throw new NotFound('That question is not part of this attempt.')
        await updateAttempt(tx, userId, attemptId, { answers: JSON.stringify({ ...storedAnswers(row), [questionId]: { choice, at: now } }) })
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
        const counted: Record<string, number> = Object.fromEntries(Object.entries(storedAnswers(row)).map(([id, a]) => [id, a.choice]))
        if (!late) Object.assign(counted, answers ?? {})
        const questionIds = JSON.parse(row.questionIds) as string[]
        return {
          attemptId,
          courseId: row.courseId,
          questionIds,
          answers: Object.fromEntries(Object.entries(counted).filter(([id]) => questionIds.includes(id))),
          startedAt: row.startedAt,
          deadline: row.deadline,
          ...when,
        }
      })
      return result(attemptId, late, outcome)
    },
  }
}
