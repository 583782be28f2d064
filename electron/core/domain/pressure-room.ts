/** Pressure Room rules: question order, grading and the per-course record. Pure functions. */

export interface GradableQuestion {
  id: string
  answer: number
}

export interface Grade {
  correct: number
  total: number
  /** Percent, 0..100, rounded down so a pass is never granted by rounding. */
  score: number
}

/** Fisher–Yates shuffle with an injectable random source (tests pass a seeded one). */
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

/**
 * Grades the answers against the questions of the attempt. Unanswered questions count as wrong;
 * answers to questions outside the attempt are ignored.
 */
export function grade(questions: readonly GradableQuestion[], answers: Readonly<Record<string, number>>): Grade {
  const total = questions.length
  const correct = questions.filter((q) => answers[q.id] === q.answer).length
  return { correct, total, score: total === 0 ? 0 : Math.floor((correct * 100) / total) }
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
