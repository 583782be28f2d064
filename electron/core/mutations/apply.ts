/**
 * How each mutation changes the database. The same functions run on the device (with the outbox
 * append) and, in the Sync issue, on the server replaying pushed mutations, so both sides derive the
 * same rows. Every function is idempotent: applying a mutation twice changes nothing the second time.
 */
import { Conflict, Invalid, NotFound } from '../errors'
import { isNewer } from '../domain/hlc'
import type { Course } from '../catalog/catalog'
import { deriveCourseProgress } from '../domain/course-progress'
import { attemptSize, drawQuestions, grade, isPass, withAttempt } from '../domain/pressure-room'
import type { Question } from '../exercises/question-schema'
import type { Response } from '../exercises/response'
import { parsePressureRoom } from '../domain/pressure-room-record'
import { attemptSummary, findAttempt, insertAttempt, updateAttempt } from '../repositories/attempts'
import { awardAchievement, listEarned } from '../repositories/achievements'
import { achievementByKey, type AchievementDef, type AchievementMetrics } from '../domain/achievements'
import { findEnrollment, insertEnrollment, updateEnrollment } from '../repositories/enrollments'
import { findProfile, updateProfile, updateUser } from '../repositories/learners'
import { addLessonTimes, completedLessons, findLessonProgress, markLessonComplete, setLessonNotes } from '../repositories/lesson-progress'
import type { ArgsOf, MutationName } from './args'
import { logActivity, type MutationContext } from './context'
import { gatherMetrics } from './derived'
import { changedFields, isEmptyPatch } from './patch'
import { canonicalSubject, parseSubject, type Subject } from './subjects'

type Appliers = { [N in MutationName]: (ctx: MutationContext, args: ArgsOf<N>) => Promise<void> }

async function enroll(ctx: MutationContext, course: Course): Promise<void> {
  const known = ctx.pending.enrolledAt.get(course.id)
  // Enrolled at or before this moment: the enrollment and its activity already say everything.
  if (known !== undefined && known <= ctx.at) return
  const existing = await findEnrollment(ctx.tx, ctx.userId, course.id)
  if (existing && existing.enrolledAt <= ctx.at) {
    ctx.pending.enrolledAt.set(course.id, existing.enrolledAt)
    return
  }
  if (existing) await updateEnrollment(ctx.tx, ctx.userId, course.id, { enrolledAt: ctx.at })
  else await insertEnrollment(ctx.tx, ctx.userId, course.id, ctx.at)
  ctx.pending.enrolledAt.set(course.id, ctx.at)
  await logActivity(ctx, {
    type: 'course_enrolled',
    subject: course.id,
    description: `Enrolled in ${course.title}`,
    metadata: { courseId: course.id },
  })
}

/** Leaves the course's progress to be recomputed once the mutation (or its batch) is applied. */
function markCourseWorkedOn(ctx: MutationContext, course: Course): void {
  const earliest = ctx.pending.courses.get(course.id)
  ctx.pending.courses.set(course.id, earliest === undefined ? ctx.at : Math.min(earliest, ctx.at))
}

/** Writes the lesson time added so far, then recomputes every course worked on (see PendingWork). */
export async function finishPendingWork(ctx: MutationContext): Promise<void> {
  await addLessonTimes(ctx.tx, ctx.userId, ctx.pending.time.splice(0))
  for (const [courseId, startedAt] of ctx.pending.courses) await refreshCourse(ctx, ctx.catalog.require(courseId), startedAt)
  ctx.pending.courses.clear()
}

/**
 * Recomputes progress and status from the lessons; records started_at (the earliest moment a lesson of
 * it was worked on) and completed_at (the earliest moment all its lessons were complete).
 */
async function refreshCourse(ctx: MutationContext, course: Course, workedOnAt: number): Promise<void> {
  const enrollment = await findEnrollment(ctx.tx, ctx.userId, course.id)
  if (!enrollment) return
  const done = await completedLessons(ctx.tx, ctx.userId, course.id)
  const startedAt = Math.min(enrollment.startedAt ?? workedOnAt, workedOnAt)
  const derived = deriveCourseProgress(
    course.lessons.map((l) => l.id),
    new Set(done.map((r) => r.lessonId)),
    true,
  )
  let completedAt = enrollment.completedAt
  if (derived.status === 'completed') {
    // The course was completed when its last lesson was.
    const finishedAt = Math.max(...done.map((r) => r.completedAt ?? ctx.at))
    completedAt = completedAt === null ? finishedAt : Math.min(completedAt, finishedAt)
    await logActivity(
      ctx,
      { type: 'course_completed', subject: course.id, description: `Completed the course ${course.title}`, metadata: { courseId: course.id } },
      completedAt,
    )
  }
  const patch = changedFields(enrollment, { startedAt, completedAt, progress: derived.progress, status: derived.status })
  if (!isEmptyPatch(patch)) await updateEnrollment(ctx.tx, ctx.userId, course.id, patch)
}

export const applyMutation: Appliers = {
  async 'course.enroll'(ctx, { courseId }) {
    await enroll(ctx, ctx.catalog.require(courseId))
  },

  async 'lesson.complete'(ctx, { courseId, lessonId }) {
    const { course, lesson } = ctx.catalog.requireLesson(courseId, lessonId)
    await enroll(ctx, course)
    const completedAt = await markLessonComplete(ctx.tx, ctx.userId, courseId, lessonId, ctx.at)
    await logActivity(
      ctx,
      {
        type: 'lesson_completed',
        subject: `${courseId}/${lessonId}`,
        description: `Completed "${lesson.title}"`,
        metadata: { courseId, lessonId },
      },
      completedAt,
    )
    markCourseWorkedOn(ctx, course)
  },

  async 'lesson.addTime'(ctx, { courseId, lessonId, seconds }) {
    const { course } = ctx.catalog.requireLesson(courseId, lessonId)
    await enroll(ctx, course)
    ctx.pending.time.push({ courseId, lessonId, seconds, at: ctx.at })
    markCourseWorkedOn(ctx, course)
  },

  async 'lesson.saveNotes'(ctx, { courseId, lessonId, notes, hlc }) {
    ctx.catalog.requireLesson(courseId, lessonId)
    const text = notes.trim() === '' ? null : notes
    // Last writer wins by clock, so two devices' edits settle the same way in any order.
    await setLessonNotes(ctx.tx, ctx.userId, courseId, lessonId, text, hlc, ctx.at)
  },

  async 'profile.update'(ctx, { patch, hlc }) {
    const profile = await findProfile(ctx.tx, ctx.userId)
    if (!profile) throw new NotFound('Your profile could not be found.')
    // Last writer wins per field: only fields whose stored clock is older take this write.
    const clocks = parseClocks(profile.fieldClocks)
    const winning = Object.entries(patch).filter(([field]) => isNewer(hlc, clocks[field]))
    if (winning.length === 0) return
    const { name, ...fields } = Object.fromEntries(winning.map(([k, v]) => [k, v === '' && k !== 'name' ? null : v]))
    if (typeof name === 'string') await updateUser(ctx.tx, ctx.userId, { name })
    for (const [field] of winning) clocks[field] = hlc
    await updateProfile(ctx.tx, ctx.userId, { ...fields, fieldClocks: JSON.stringify(clocks), updatedAt: ctx.at })
  },

  async 'pressureRoom.recordAttempt'(ctx, args) {
    const course = ctx.catalog.require(args.courseId)
    const room = course.pressureRoom
    // The questions follow from the seed, here as on every device: the arguments cannot choose them.
    const seed = 'seed' in args ? args.seed : null
    const questions = 'seed' in args ? drawQuestions(room, args.seed) : legacyQuestions(course, args.questionIds)
    // Only the attempt's own questions are kept and graded: an answer to any other question is dropped.
    const given: Record<string, Response> = args.answers
    const answers = Object.fromEntries(questions.filter((q) => Object.hasOwn(given, q.id)).map((q) => [q.id, given[q.id] as Response]))
    const { score } = grade(questions, answers, seed)
    const passed = isPass(score, room.passMark)
    const questionIds = JSON.stringify(questions.map((q) => q.id))
    const finished = { submittedAt: ctx.at, answers: JSON.stringify(answers), score, passed: passed ? 1 : 0 }
    const existing = await findAttempt(ctx.tx, ctx.userId, args.attemptId)
    if (existing?.submittedAt != null) return // already recorded: a replay changes nothing
    if (existing) await updateAttempt(ctx.tx, ctx.userId, args.attemptId, { ...finished, questionIds, seed })
    else
      await insertAttempt(ctx.tx, {
        id: args.attemptId,
        userId: ctx.userId,
        courseId: course.id,
        questionIds,
        seed,
        startedAt: args.startedAt,
        deadline: args.deadline,
        ...finished,
      })

    await enroll(ctx, course)
    // Counted from the attempts themselves (one aggregate, which includes this one), never from the
    // stored record, which a pull may have replaced with one that lacks this device's attempts. Within
    // a run nothing else writes attempts, so the run's later attempts add themselves to that count.
    const known = ctx.pending.records.get(course.id)
    const record = known ? withAttempt(known, { score, passed, submittedAt: ctx.at }) : await attemptSummary(ctx.tx, ctx.userId, course.id)
    if (record) ctx.pending.records.set(course.id, record)
    await updateEnrollment(ctx.tx, ctx.userId, course.id, { pressureRoom: JSON.stringify(record) })
    if (record?.passedAt != null) {
      await logActivity(
        ctx,
        {
          type: 'pr_completed',
          subject: course.id,
          description: `Passed the ${course.title} Pressure Room`,
          metadata: { courseId: course.id, score: record.bestScore },
        },
        record.passedAt,
      )
    }
    markCourseWorkedOn(ctx, course)
  },

  async 'achievement.award'(ctx, { key }) {
    const def = achievementByKey(key)
    if (!def) throw new Invalid(`There is no achievement "${key}".`)
    if (!(await mayHaveEarned(ctx, def))) throw new Conflict(`"${def.title}" has not been earned: ${def.description}`)
    await awardAchievement(ctx.tx, ctx.userId, def, ctx.at)
    await logActivity(ctx, { type: 'achievement_earned', subject: key, description: `Earned "${def.title}"`, metadata: { key } })
  },

  async 'activity.log'(ctx, { type, subject }) {
    // Only facts that really happened may be logged, and only under the subject their own mutation logs
    // them with (./subjects): XP is derived from this log, so another spelling would mint a second row.
    const parsed = parseSubject(type, subject)
    const fact = await describeFact(ctx, type, parsed)
    if (!fact) throw new Conflict(`There is no ${type.replace('_', ' ')} for "${subject}" to log.`)
    await logActivity(ctx, { type, subject: canonicalSubject(parsed), ...fact.text }, fact.at)
  },
}

/**
 * The questions an attempt from before seeds listed (outbox entries written by that version): distinct
 * questions of the pool, as many as an attempt asks, so the list cannot pick the easy ones twice or
 * leave the hard ones out.
 */
function legacyQuestions(course: Course, ids: readonly string[]): Question[] {
  const pool = course.pressureRoom.pool
  const size = attemptSize(course.pressureRoom)
  if (new Set(ids).size !== ids.length) throw new Invalid(`A Pressure Room attempt of ${course.title} lists a question twice.`)
  if (ids.length !== size) throw new Invalid(`A Pressure Room attempt of ${course.title} has ${size} questions, not ${ids.length}.`)
  return ids.map((id) => {
    const q = pool.find((candidate) => candidate.id === id)
    if (!q) throw new Invalid(`The Pressure Room of ${course.title} has no question "${id}".`)
    return q
  })
}

/**
 * Metrics that never go down: every fact behind them (a lesson completed, a course enrolled, time
 * spent, XP) stays once recorded. The streaks can shrink (a merge moves a fact to an earlier day) and
 * the notes written (a note cleared on another device), so a badge a device earned over those may not
 * be re-derivable here and is taken on the device's word.
 */
const MONOTONIC_METRICS: ReadonlySet<keyof AchievementMetrics> = new Set<keyof AchievementMetrics>([
  'lessonsCompleted',
  'coursesCompleted',
  'coursesEnrolled',
  'pressureRoomsPassed',
  'perfectPressureRooms',
  'xp',
  'level',
  'totalTimeSeconds',
])

/**
 * Whether a pushed award can be what its device derived. An award follows the mutations it was derived
 * from (services/deps.ts shareAwards), and runMutationBatch settles the derived data before an award,
 * so a badge over a metric that never goes down must show in the figures here too: else it is forged.
 */
async function mayHaveEarned(ctx: MutationContext, def: AchievementDef): Promise<boolean> {
  if (!MONOTONIC_METRICS.has(def.metric)) return true
  const profile = await findProfile(ctx.tx, ctx.userId)
  if (!profile) return false
  const metrics = await gatherMetrics(ctx.tx, ctx.userId, profile, new Set([def.metric]))
  return metrics[def.metric] >= def.target
}

function parseClocks(json: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(json)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {}
  } catch {
    return {}
  }
}

/** The existing fact behind an activity, with its time, or null if it has not happened. */
async function describeFact(ctx: MutationContext, type: ArgsOf<'activity.log'>['type'], subject: Subject) {
  const courseId = subject.kind === 'achievement' ? '' : subject.courseId
  const lessonId = subject.kind === 'lesson' ? subject.lessonId : ''
  const course = ctx.catalog.get(courseId)
  const enrollment = course ? await findEnrollment(ctx.tx, ctx.userId, courseId) : null
  switch (type) {
    case 'course_enrolled':
      return enrollment && course
        ? { at: enrollment.enrolledAt, text: { description: `Enrolled in ${course.title}`, metadata: { courseId } } }
        : null
    case 'course_completed':
      return enrollment?.completedAt != null && course
        ? { at: enrollment.completedAt, text: { description: `Completed the course ${course.title}`, metadata: { courseId } } }
        : null
    case 'pr_completed': {
      const record = parsePressureRoom(enrollment?.pressureRoom ?? null)
      return record?.passedAt != null && course
        ? { at: record.passedAt, text: { description: `Passed the ${course.title} Pressure Room`, metadata: { courseId, score: record.bestScore } } }
        : null
    }
    case 'lesson_completed': {
      const row = await findLessonProgress(ctx.tx, ctx.userId, courseId, lessonId)
      const lesson = course?.lessons.find((l) => l.id === lessonId)
      return row?.completed && row.completedAt !== null && lesson
        ? { at: row.completedAt, text: { description: `Completed "${lesson.title}"`, metadata: { courseId, lessonId } } }
        : null
    }
    case 'achievement_earned': {
      const key = subject.kind === 'achievement' ? subject.key : ''
      const badge = (await listEarned(ctx.tx, ctx.userId)).find((a) => a.achievementKey === key)
      return badge ? { at: badge.earnedAt, text: { description: `Earned "${badge.title}"`, metadata: { key } } } : null
    }
  }
}
