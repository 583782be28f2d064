/** courses.list / courses.get / courses.lesson / courses.enrollments / courses.enroll / courses.updateProgress */
import type { Course, Lesson } from '../catalog/catalog'
import type { EnrollmentStatus } from '../domain/course-progress'
import { parsePressureRoom } from '../domain/pressure-room-record'
import { findEnrollment, listEnrollments, type EnrollmentRow } from '../repositories/enrollments'
import { findLessonProgress, lastTouchedLesson, listCourseProgress, type LessonProgressRow } from '../repositories/lesson-progress'
import { commit, type ServiceDeps } from './deps'
import { CourseRef, LessonRef, UpdateProgressInput } from '../contract/inputs'
import { parseInput } from './validate'
import type { ContinueLearning, CourseDetail, CourseSummary, Enrollment, LessonDetail, LessonSummary, WriteOutcome } from '../contract/types'

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

export function createCoursesService(deps: ServiceDeps) {
  const { db, catalog, userId } = deps

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
          questionCount: course.pressureRoom.questions.length,
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
        quiz: lesson.quiz,
        notes: p?.notes ?? '',
        previousLessonId: course.lessons[index - 1]?.id ?? null,
        nextLessonId: course.lessons[index + 1]?.id ?? null,
      }
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
