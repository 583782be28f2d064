import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeClock } from '../helpers/clock'
import { openTestCore } from '../helpers/core'
import { rowCount, snapshot } from '../helpers/db'
import { expectAppError } from '../helpers/errors'

type TestCore = Awaited<ReturnType<typeof openTestCore>>
let core: TestCore
let clock: ReturnType<typeof fakeClock>
const COURSE = 'git-essentials'

beforeEach(async () => {
  clock = fakeClock('2026-05-01T09:00:00Z')
  core = await openTestCore({ clock })
})
afterEach(() => core.dispose())

const lessonIds = () => core.catalog.require(COURSE).lessons.map((l) => l.id)
const complete = (lessonId: string, courseId = COURSE) => core.services.courses.updateProgress({ courseId, lessonId, action: 'complete' })

describe('catalog', () => {
  it('lists every bundled course with no enrollment for a new learner', async () => {
    const list = await core.services.courses.list()
    expect(list.map((c) => c.id).sort()).toEqual(['git-essentials', 'sql-fundamentals', 'typescript-basics'])
    for (const c of list) {
      expect(c.enrollment).toBeNull()
      expect(c.lessonCount).toBeGreaterThanOrEqual(6)
      expect(c.minutes).toBeGreaterThan(0)
    }
  })

  it('shows one course with its lessons and their completion state', async () => {
    const [first] = lessonIds()
    await complete(first as string)
    const course = await core.services.courses.get({ courseId: COURSE })
    expect(course.lessons[0]).toMatchObject({ id: first, completed: true })
    expect(course.lessons.slice(1).every((l) => !l.completed)).toBe(true)
    expect(course.pressureRoom.questionCount).toBeGreaterThanOrEqual(12)
  })

  it('serves a lesson with its markdown, quiz, notes and neighbours', async () => {
    const [first, second] = lessonIds()
    const lesson = await core.services.courses.lesson({ courseId: COURSE, lessonId: second as string })
    expect(lesson.markdown).toMatch(/^# /)
    expect(lesson.quiz.length).toBeGreaterThanOrEqual(1)
    expect(lesson.previousLessonId).toBe(first)
    expect(lesson.notes).toBe('')
  })

  it('an unknown course or lesson is a NotFound error', async () => {
    await expectAppError(core.services.courses.get({ courseId: 'cobol-for-cats' }), 'NOT_FOUND')
    await expectAppError(core.services.courses.lesson({ courseId: COURSE, lessonId: 'nope' }), 'NOT_FOUND')
  })
})

describe('enrollments', () => {
  it('enrolling logs course_enrolled and is idempotent', async () => {
    const first = await core.services.courses.enroll({ courseId: COURSE })
    expect(first.enrollment).toMatchObject({ courseId: COURSE, status: 'enrolled', progress: 0, startedAt: null, completedAt: null })
    clock.advance(3600)
    const again = await core.services.courses.enroll({ courseId: COURSE })
    expect(again.enrollment.enrolledAt).toBe(first.enrollment.enrolledAt)
    expect(again.outcome.newAchievements).toEqual([])
    expect(await rowCount(core, 'course_enrollments')).toBe(1)
    expect(await rowCount(core, 'user_activities', "activity_type = 'course_enrolled'")).toBe(1)
    expect(await rowCount(core, 'outbox', "name = 'course.enroll'")).toBe(1)
    expect(await core.services.courses.enrollments()).toHaveLength(1)
  })

  it('started_at is set by the first lesson activity, not by enrolling', async () => {
    await core.services.courses.enroll({ courseId: COURSE })
    clock.advance(600)
    const [first] = lessonIds()
    await core.services.courses.updateProgress({ courseId: COURSE, lessonId: first as string, action: 'addTime', seconds: 30 })
    const [enrollment] = await core.services.courses.enrollments()
    expect(enrollment?.startedAt).toBe(Date.parse('2026-05-01T09:10:00Z') / 1000)
    expect(enrollment?.status).toBe('in_progress')
    clock.advance(600)
    await complete(first as string)
    expect((await core.services.courses.enrollments())[0]?.startedAt).toBe(enrollment?.startedAt)
  })

  it('progress and status follow the lessons; finishing every lesson completes the course once', async () => {
    const ids = lessonIds()
    for (const [i, id] of ids.entries()) {
      clock.advance(60)
      await complete(id)
      const [e] = await core.services.courses.enrollments()
      expect(e?.progress).toBe(Math.floor(((i + 1) * 100) / ids.length))
      expect(e?.status).toBe(i + 1 === ids.length ? 'completed' : 'in_progress')
    }
    const [done] = await core.services.courses.enrollments()
    expect(done?.completedAt).toBe(Math.floor(clock.now() / 1000))
    expect(await rowCount(core, 'user_activities', "activity_type = 'course_completed'")).toBe(1)
  })

  it('an unknown or malformed course id is refused and nothing is written', async () => {
    const before = await snapshot(core)
    await expectAppError(core.services.courses.enroll({ courseId: 'nope' }), 'NOT_FOUND')
    await expectAppError(core.services.courses.enroll({ courseId: '' }), 'INVALID')
    await expectAppError(core.services.courses.enroll({ course: COURSE }), 'INVALID')
    await expectAppError(core.services.courses.enroll(undefined), 'INVALID')
    expect(await snapshot(core)).toBe(before)
  })
})

describe('lesson progress', () => {
  it('completing a lesson twice earns XP once and logs one activity and one mutation', async () => {
    const [first] = lessonIds()
    const once = await complete(first as string)
    clock.advance(3600)
    const twice = await complete(first as string)
    expect(twice.outcome.xp).toBe(once.outcome.xp)
    expect(twice.outcome.newAchievements).toEqual([])
    expect(twice.lesson.completedAt).toBe(once.lesson.completedAt)
    expect(await rowCount(core, 'user_activities', "activity_type = 'lesson_completed'")).toBe(1)
    expect(await rowCount(core, 'outbox', "name = 'lesson.complete'")).toBe(1)
  })

  it('completing a lesson earns 10 XP, the first-lesson badge and its 25 XP', async () => {
    const [first] = lessonIds()
    const { outcome } = await complete(first as string)
    expect(outcome.newAchievements.map((a) => a.key).sort()).toEqual(['first_enrollment', 'first_lesson'])
    expect(outcome.xp).toBe(10 + 25 + 25)
  })

  it('time spent adds up, positive whole seconds only, capped per call', async () => {
    const [first] = lessonIds()
    const add = (seconds: number) => core.services.courses.updateProgress({ courseId: COURSE, lessonId: first as string, action: 'addTime', seconds })
    await add(30)
    await add(45)
    expect((await add(100_000)).lesson.timeSpent).toBe(30 + 45 + 600)
    const before = await snapshot(core)
    await expectAppError(add(0), 'INVALID')
    await expectAppError(add(-5), 'INVALID')
    await expectAppError(add(1.5), 'INVALID')
    await expectAppError(add(Number.NaN), 'INVALID')
    expect(await snapshot(core)).toBe(before)
  })

  it('notes save, replace and clear', async () => {
    const [first] = lessonIds()
    const save = (notes: string) => core.services.courses.updateProgress({ courseId: COURSE, lessonId: first as string, action: 'saveNotes', notes })
    await save('staging area = the next snapshot')
    expect((await core.services.courses.lesson({ courseId: COURSE, lessonId: first as string })).notes).toBe('staging area = the next snapshot')
    await save('   ')
    expect((await core.services.courses.lesson({ courseId: COURSE, lessonId: first as string })).notes).toBe('')
    const before = await snapshot(core)
    await expectAppError(save('x'.repeat(20_001)), 'INVALID')
    expect(await snapshot(core)).toBe(before)
  })

  it('an unknown action, lesson or extra field is refused and nothing is written', async () => {
    const [first] = lessonIds()
    const before = await snapshot(core)
    await expectAppError(core.services.courses.updateProgress({ courseId: COURSE, lessonId: first, action: 'uncomplete' }), 'INVALID')
    await expectAppError(core.services.courses.updateProgress({ courseId: COURSE, lessonId: 'nope', action: 'complete' }), 'NOT_FOUND')
    await expectAppError(core.services.courses.updateProgress({ courseId: COURSE, lessonId: first, action: 'complete', xp: 500 }), 'INVALID')
    expect(await snapshot(core)).toBe(before)
  })
})
