/**
 * courses.list / courses.get / courses.lesson / courses.checkAnswer / courses.enrollments / courses.enroll /
 * courses.updateProgress
 */
import type { Course, Lesson } from '../catalog/catalog'
import { Invalid, NotFound } from '../errors'
import { gradeLocal, type Verdict } from '../exercises/grade'
import { fromShown, present, shownSolution } from '../exercises/present'
import type { Question } from '../exercises/question-schema'
import type { Response } from '../exercises/response'
import { seedFromText } from '../exercises/random'
import { attemptSize } from '../domain/pressure-room'
import { gradeSqlAnswer } from '../sql/grade'
import type { SqlRunner } from '../sql/runner'
import { requireDataset } from './sql-playground'
import type { EnrollmentStatus } from '../domain/course-progress'
import { parsePressureRoom } from '../domain/pressure-room-record'
import { findEnrollment, listEnrollments, type EnrollmentRow } from '../repositories/enrollments'
import { findLessonProgress, lastTouchedLesson, listCourseProgress, type LessonProgressRow } from '../repositories/lesson-progress'
import { commit, type ServiceDeps } from './deps'
import { CheckAnswerInput, CourseRef, LessonRef, UpdateProgressInput } from '../contract/inputs'
import { parseInput } from './validate'
import type { CheckedAnswer, ContinueLearning, CourseDetail, CourseSummary, Enrollment, LessonDetail, LessonSummary, WriteOutcome } from '../contract/types'

function toEnrollment(row: EnrollmentRow, course: Course | undefined): Enrollment {
  return {
    courseId: row.courseId,
    courseTitle: course?.title ?? row.courseId,
    status: row.status as EnrollmentStatus,
    progress: row.progress,
    enrolledAt: row.enrolledAt,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    pressureRoom: parsePressureRoom(row.pressureRoom),
  }
}

function toLessonSummary(lesson: Lesson, progress: LessonProgressRow | null | undefined): LessonSummary {
  return {
    id: lesson.id,
    title: lesson.title,
    minutes: lesson.minutes,
    completed: Boolean(progress?.completed),
    completedAt: progress?.completedAt ?? null,
    timeSpent: progress?.timeSpent ?? 0,
  }
}

function toSummary(course: Course, enrollment: EnrollmentRow | null): CourseSummary {
  return {
    id: course.id,
    title: course.title,
    summary: course.summary,
    level: course.level,
    tags: course.tags,
    lessonCount: course.lessons.length,
    minutes: course.lessons.reduce((sum, l) => sum + l.minutes, 0),
    enrollment: enrollment ? toEnrollment(enrollment, course) : null,
  }
}

/** A lesson's practice is shown in one order for good: its shuffles follow from the lesson's own seed. */
export function lessonSeed(courseId: string, lessonId: string): number {
  return seedFromText(`${courseId}/${lessonId}`)
}

export function createCoursesService(deps: ServiceDeps, sqlRunner: () => SqlRunner) {
  const { db, catalog, userId } = deps

  /** An sql exercise runs the learner's query and the reference on fresh copies of the course's dataset. */
  async function verdictOf(course: Course, question: Question, response: Response): Promise<Verdict> {
    if (question.kind !== 'sql') return gradeLocal(question, response)
    if (typeof response !== 'string') throw new Invalid('The answer to an SQL exercise is the text of a query.')
    return gradeSqlAnswer(sqlRunner(), requireDataset(course), question.reference, response)
  }

  async function get(input: unknown): Promise<CourseDetail> {
    const { courseId } = parseInput(CourseRef, input, 'course')
    const course = catalog.require(courseId)
    return db.read(async (q) => {
      const [enrollment, progress] = await Promise.all([findEnrollment(q, userId, courseId), listCourseProgress(q, userId, courseId)])
      const byLesson = new Map(progress.map((p) => [p.lessonId, p]))
      return {
        ...toSummary(course, enrollment),
        lessons: course.lessons.map((l) => toLessonSummary(l, byLesson.get(l.id))),
        pressureRoom: {
          timeLimitSeconds: course.pressureRoom.timeLimitSeconds,
          passMark: course.pressureRoom.passMark,
          // Questions per attempt (drawn from a larger pool).
          questionCount: attemptSize(course.pressureRoom),
        },
      }
    })
  }

  return {
    async list(): Promise<CourseSummary[]> {
      const rows = await db.read((q) => listEnrollments(q, userId))
      const byCourse = new Map(rows.map((r) => [r.courseId, r]))
      return catalog.courses.map((c) => toSummary(c, byCourse.get(c.id) ?? null))
    },

    get,

    async lesson(input: unknown): Promise<LessonDetail> {
      const { courseId, lessonId } = parseInput(LessonRef, input, 'lesson')
      const { course, lesson } = catalog.requireLesson(courseId, lessonId)
      const index = course.lessons.indexOf(lesson)
      const p = await db.read((q) => findLessonProgress(q, userId, courseId, lessonId))
      return {
        courseId,
        courseTitle: course.title,
        ...toLessonSummary(lesson, p),
        markdown: lesson.markdown,
        // Without their keys: the answers are checked by checkAnswer.
        quiz: lesson.quiz.map((q) => present(q, lessonSeed(courseId, lessonId))),
        runnableSql: course.dataset !== null,
        notes: p?.notes ?? '',
        previousLessonId: course.lessons[index - 1]?.id ?? null,
        nextLessonId: course.lessons[index + 1]?.id ?? null,
      }
    },

    /** Checks one practice answer of a lesson: the verdict, the key and why. Writes nothing. */
    async checkAnswer(input: unknown): Promise<CheckedAnswer> {
      const { courseId, lessonId, questionId, response } = parseInput(CheckAnswerInput, input, 'answer')
      const { course, lesson } = catalog.requireLesson(courseId, lessonId)
      const question = lesson.quiz.find((q) => q.id === questionId)
      if (!question) throw new NotFound(`The lesson "${lesson.title}" has no question "${questionId}".`)
      const seed = lessonSeed(courseId, lessonId)
      // The response names choices by the keys they were shown under: the grader reads original indexes.
      const { correct, feedback } = await verdictOf(course, question, fromShown(question, seed, response) ?? response)
      return { correct, feedback, explanation: question.explanation, solution: shownSolution(question, seed) }
    },

    /** The lesson to continue with: the one touched last, or the next unfinished one in its course. */
    async continueLearning(): Promise<ContinueLearning | null> {
      const { last, enrollments } = await db.read(async (q) => ({ last: await lastTouchedLesson(q, userId), enrollments: await listEnrollments(q, userId) }))
      const active = enrollments.filter((e) => e.status !== 'completed' && catalog.get(e.courseId))
      const courseId = last && active.some((e) => e.courseId === last.courseId) ? last.courseId : active.sort((a, b) => b.enrolledAt - a.enrolledAt)[0]?.courseId
      if (!courseId) return null
      const detail = await get({ courseId })
      const resume = last && last.courseId === courseId && !last.completed ? detail.lessons.find((l) => l.id === last.lessonId) : undefined
      const lesson = resume ?? detail.lessons.find((l) => !l.completed)
      if (!lesson) return null
      return { courseId, courseTitle: detail.title, lessonId: lesson.id, lessonTitle: lesson.title, progress: detail.enrollment?.progress ?? 0 }
    },

    async enrollments(): Promise<Enrollment[]> {
      const rows = await db.read((q) => listEnrollments(q, userId))
      // Already newest first, ties by id: the same order on every device.
      return rows.map((r) => toEnrollment(r, catalog.get(r.courseId)))
    },

    /** Idempotent: enrolling again changes nothing and logs nothing. */
    async enroll(input: unknown): Promise<{ enrollment: Enrollment; outcome: WriteOutcome }> {
      const { courseId } = parseInput(CourseRef, input, 'enrollment')
      const course = catalog.require(courseId)
      const outcome = await commit(deps, 'course.enroll', async (when, tx) =>
        (await findEnrollment(tx, userId, courseId)) ? null : { courseId, ...when },
      )
      const row = await db.read((q) => findEnrollment(q, userId, courseId))
      if (!row) throw new Error('enrollment missing after enroll')
      return { enrollment: toEnrollment(row, course), outcome }
    },

    /** Complete a lesson, add time spent on it, or save its notes. */
    async updateProgress(input: unknown): Promise<{ lesson: LessonSummary; outcome: WriteOutcome }> {
      const change = parseInput(UpdateProgressInput, input, 'progress update')
      const { courseId, lessonId } = change
      const { lesson } = catalog.requireLesson(courseId, lessonId)
      const outcome =
        change.action === 'complete'
          ? await commit(deps, 'lesson.complete', async (when, tx) =>
              (await findLessonProgress(tx, userId, courseId, lessonId))?.completed ? null : { courseId, lessonId, ...when },
            )
          : change.action === 'addTime'
            ? await commit(deps, 'lesson.addTime', (when) => ({ courseId, lessonId, seconds: change.seconds, ...when }))
            : await commit(deps, 'lesson.saveNotes', async (when, _tx, clock) => ({ courseId, lessonId, notes: change.notes, hlc: await clock(), ...when }))
      const row = await db.read((q) => findLessonProgress(q, userId, courseId, lessonId))
      return { lesson: toLessonSummary(lesson, row), outcome }
    },
  }
}
