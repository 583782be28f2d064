import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ACHIEVEMENTS } from '../../electron/core/domain/achievements'
import { recomputeFromLog } from '../../electron/core/mutations/derived'
import { findProfile } from '../../electron/core/repositories/learners'
import { fakeClock } from '../helpers/clock'
import { openTestCore } from '../helpers/core'
import { rowCount, snapshot } from '../helpers/db'
import { expectAppError } from '../helpers/errors'
import { answersFor } from '../helpers/exercises'
import { NO_FACTS, expectedProgress, levelAt } from '../helpers/xp-model'

type TestCore = Awaited<ReturnType<typeof openTestCore>>
let core: TestCore
let clock: ReturnType<typeof fakeClock>

beforeEach(async () => {
  clock = fakeClock('2026-01-05T12:00:00Z')
  core = await openTestCore({ clock, timezone: 'America/New_York' })
})
afterEach(() => core.dispose())

const allLessons = () => core.catalog.courses.flatMap((c) => c.lessons.map((l) => ({ courseId: c.id, lessonId: l.id })))
const complete = (ref: { courseId: string; lessonId: string }) => core.services.courses.updateProgress({ ...ref, action: 'complete' })

describe('activities', () => {
  it('lists newest first and pages with a cursor until the end, without gaps or repeats', async () => {
    for (const ref of allLessons().slice(0, 12)) {
      clock.advance(90)
      await complete(ref)
    }
    const total = await rowCount(core, 'user_activities')
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await core.services.activities.list(cursor ? { cursor, limit: 5 } : { limit: 5 })
      seen.push(...page.items.map((i) => i.id))
      const times = page.items.map((i) => i.createdAt)
      expect(times).toEqual([...times].sort((a, b) => b - a))
      cursor = page.nextCursor ?? undefined
      pages++
    } while (cursor)
    expect(seen).toHaveLength(total)
    expect(new Set(seen).size).toBe(total)
    expect(pages).toBe(Math.ceil(total / 5))
    const first = await core.services.activities.list()
    expect(first.items[0]?.createdAt).toBe(Math.floor(clock.now() / 1000))
    expect(first.items[0]?.type).toBe('lesson_completed')
  })

  it('within one second, an achievement is listed above the lesson that earned it', async () => {
    await complete(allLessons()[0] as { courseId: string; lessonId: string })
    const { items } = await core.services.activities.list()
    expect(items.map((i) => i.type)).toEqual(['achievement_earned', 'achievement_earned', 'lesson_completed', 'course_enrolled'])
  })

  it('a forged cursor or limit is refused', async () => {
    await expectAppError(core.services.activities.list({ cursor: 'not-base64-json' }), 'INVALID')
    await expectAppError(core.services.activities.list({ limit: 10_000 }), 'INVALID')
  })

  it('logs only known types, and only facts that happened; logging a real fact again adds nothing', async () => {
    const [ref] = allLessons()
    await complete(ref as { courseId: string; lessonId: string })
    const xpBefore = (await core.services.stats.get()).xp
    const before = await snapshot(core)
    await expectAppError(core.services.activities.log({ type: 'xp_bonus', subject: 'x' }), 'INVALID')
    await expectAppError(core.services.activities.log({ type: 'lesson_completed', subject: `${ref?.courseId}/not-done` }), 'CONFLICT')
    await expectAppError(core.services.activities.log({ type: 'pr_completed', subject: 'git-essentials' }), 'CONFLICT')
    expect(await snapshot(core)).toBe(before)
    await core.services.activities.log({ type: 'lesson_completed', subject: `${ref?.courseId}/${ref?.lessonId}` })
    expect(await rowCount(core, 'user_activities', "activity_type = 'lesson_completed'")).toBe(1)
    expect((await core.services.stats.get()).xp).toBe(xpBefore)
  })
})

describe('stats', () => {
  it('a brand-new learner has level 1, no XP, no streak and an empty 365-day heatmap', async () => {
    const stats = await core.services.stats.get()
    expect(stats).toMatchObject({ xp: 0, level: 1, xpIntoLevel: 0, xpToNextLevel: 100, currentStreak: 0, longestStreak: 0, lessonsCompleted: 0, coursesCompleted: 0 })
    expect(stats.activityByDay).toHaveLength(365)
    expect(stats.activityByDay.at(-1)?.day).toBe('2026-01-05')
    expect(stats.activityByDay.every((d) => d.count === 0)).toBe(true)
  })

  it('counts streaks in the learner timezone: a late-evening lesson belongs to that local day', async () => {
    const lessons = allLessons()
    // 23:30 in New York is already the next day in UTC.
    const evenings = ['2026-01-05T04:30:00Z', '2026-01-06T04:30:00Z', '2026-01-07T04:30:00Z']
    for (const [i, at] of evenings.entries()) {
      clock.set(at)
      await complete(lessons[i] as { courseId: string; lessonId: string })
    }
    clock.set('2026-01-07T15:00:00Z')
    const stats = await core.services.stats.get()
    expect(stats.currentStreak).toBe(3)
    expect(stats.longestStreak).toBe(3)
    expect(stats.activityByDay.filter((d) => d.count > 0).map((d) => d.day)).toEqual(['2026-01-04', '2026-01-05', '2026-01-06'])
    clock.set('2026-01-09T15:00:00Z')
    expect((await core.services.stats.get()).currentStreak).toBe(0)
    expect((await core.services.stats.get()).longestStreak).toBe(3)
  })

  it('totals lessons, courses and time, and the level bar adds up', async () => {
    const course = core.catalog.require('sql-fundamentals')
    for (const l of course.lessons) {
      await core.services.courses.updateProgress({ courseId: course.id, lessonId: l.id, action: 'addTime', seconds: 120 })
      await complete({ courseId: course.id, lessonId: l.id })
    }
    const stats = await core.services.stats.get()
    expect(stats.lessonsCompleted).toBe(course.lessons.length)
    expect(stats.coursesCompleted).toBe(1)
    expect(stats.totalTimeSeconds).toBe(120 * course.lessons.length)
    expect(stats.xpIntoLevel + stats.xpToNextLevel).toBe(stats.levelSpan)
  })

  it('the cached XP always equals the XP table over what the learner did (every XP source), and the cached streaks a full recount', async () => {
    // The test's own record of what it did, in New York local days.
    const enrolled = new Set<string>()
    const completed = new Set<string>()
    const finished = new Set<string>()
    const passed = new Set<string>()
    const perfect = new Set<string>()
    const learningDays = new Set<string>()
    const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(clock.now())

    const actions: { what: string; run: () => Promise<void> }[] = []
    const enroll = (courseId: string) =>
      actions.push({
        what: `enroll in ${courseId}`,
        run: async () => {
          await core.services.courses.enroll({ courseId })
          enrolled.add(courseId)
        },
      })
    const learn = (courseId: string, lessons: readonly string[]) => {
      for (const lessonId of lessons)
        actions.push({
          what: `complete ${courseId}/${lessonId}`,
          run: async () => {
            await complete({ courseId, lessonId })
            enrolled.add(courseId)
            completed.add(`${courseId}/${lessonId}`)
            learningDays.add(today())
            if (core.catalog.require(courseId).lessons.every((l) => completed.has(`${courseId}/${l.id}`))) finished.add(courseId)
          },
        })
    }
    /** One Pressure Room attempt with the first `right` questions answered right and the rest wrong. */
    const attempt = (courseId: string, right: number) =>
      actions.push({
        what: `Pressure Room of ${courseId} with ${right} right`,
        run: async () => {
          const course = core.catalog.require(courseId)
          const started = await core.services.pressureRoom.start({ courseId })
          const answers = answersFor(
            course,
            started.questions.map((q) => q.id),
            right,
            started.seed,
          )
          await core.services.pressureRoom.submit({ attemptId: started.attemptId, answers })
          enrolled.add(courseId)
          const score = Math.floor((right * 100) / started.questions.length)
          const passMark = course.pressureRoom.passMark
          if (score >= passMark && !passed.has(courseId)) {
            passed.add(courseId)
            learningDays.add(today())
          }
          if (score === 100) perfect.add(courseId)
        },
      })

    const [sql, git, ts] = ['sql-fundamentals', 'git-essentials', 'typescript-basics'].map((id) => core.catalog.require(id))
    if (!sql || !git || !ts) throw new Error('a bundled course is missing')
    const ids = (course: typeof sql) => course.lessons.map((l) => l.id)
    enroll(git.id) // worth nothing itself, but earns a badge
    attempt(git.id, 10) // a failed attempt is worth nothing
    learn(sql.id, ids(sql).slice(0, 3))
    attempt(sql.id, 11) // a pass, not perfect
    learn(sql.id, ids(sql).slice(3)) // finishes the course
    attempt(sql.id, 15) // perfect, but the room was already passed
    attempt(git.id, 15) // a pass and perfect at once
    learn(git.id, ids(git))
    enroll(ts.id)
    learn(ts.id, ids(ts))

    let step = 0
    for (const action of actions) {
      // irregular days: some repeats, some gaps
      clock.advance([3600, 86_400, 86_400 * 3, 7200, 86_400][step++ % 5] as number)
      await action.run()
      const model = expectedProgress({
        ...NO_FACTS,
        lessonsCompleted: completed.size,
        coursesCompleted: finished.size,
        coursesEnrolled: enrolled.size,
        pressureRoomsPassed: passed.size,
        perfectPressureRooms: perfect.size,
        longestStreak: longestRun(learningDays),
      })
      // Read straight from the cache: nothing here rebuilds it.
      const profile = await core.db.read((q) => findProfile(q, core.userId))
      const badges = (await core.db.client.execute('SELECT achievement_key FROM user_achievements ORDER BY achievement_key')).rows.map((r) => String(r.achievement_key))
      expect({ xp: profile?.xp, level: profile?.level, longest: profile?.longestStreak, badges }, action.what).toEqual({
        xp: model.xp,
        level: levelAt(model.xp),
        longest: longestRun(learningDays),
        badges: model.badges,
      })
      const full = await core.db.read((q) => recomputeFromLog(q, core.userId))
      expect({ streak: profile?.streak, longest: profile?.longestStreak, last: profile?.lastActiveDay }, action.what).toEqual({
        streak: full.streak,
        longest: full.longestStreak,
        last: full.lastActiveDay,
      })
    }
    // Every source was reached: the model's figures are not just lessons.
    expect({ finished: finished.size, passed: passed.size, perfect: perfect.size, enrolled: enrolled.size }).toEqual({ finished: 3, passed: 2, perfect: 2, enrolled: 3 })
  })
})

/** The longest run of consecutive calendar days among `days` ('YYYY-MM-DD'). */
function longestRun(days: ReadonlySet<string>): number {
  const numbers = [...days].map((d) => Date.parse(`${d}T00:00:00Z`) / 86_400_000).sort((a, b) => a - b)
  let longest = 0
  let run = 0
  for (const [i, n] of numbers.entries()) {
    run = i > 0 && n === (numbers[i - 1] as number) + 1 ? run + 1 : 1
    longest = Math.max(longest, run)
  }
  return longest
}

describe('achievements', () => {
  it('lists every achievement as earned or locked, with progress toward locked ones', async () => {
    await core.services.courses.enroll({ courseId: 'git-essentials' })
    const list = await core.services.achievements.list()
    expect(list.earned.length + list.locked.length).toBe(ACHIEVEMENTS.length)
    expect(list.earned.map((a) => a.key)).toEqual(['first_enrollment'])
    expect(list.locked.find((a) => a.key === 'three_enrollments')?.progress).toEqual({ current: 1, target: 3, ratio: 1 / 3 })
  })

  it('awarding is idempotent: checking again awards nothing and logs nothing', async () => {
    await complete(allLessons()[0] as { courseId: string; lessonId: string })
    const before = await snapshot(core)
    const check = await core.services.achievements.check()
    expect(check.newAchievements).toEqual([])
    expect(await snapshot(core)).toBe(before)
    expect(await rowCount(core, 'user_achievements')).toBe(2)
    expect(await rowCount(core, 'user_activities', "activity_type = 'achievement_earned'")).toBe(2)
  })

  it('a badge only a full recount finds is awarded by check and shared through the outbox', async () => {
    // Three enrollments written straight into the file (as a pull writes rows), so no write derived their badges.
    for (const courseId of core.catalog.courses.slice(0, 3).map((c) => c.id)) {
      await core.db.client.execute({
        sql: 'INSERT INTO course_enrollments (id, user_id, course_id, enrolled_at) VALUES (?, ?, ?, ?)',
        args: [`raw-${courseId}`, core.userId, courseId, Math.floor(clock.now() / 1000) - 60],
      })
    }
    const check = await core.services.achievements.check()
    expect(check.newAchievements.map((a) => a.key).sort()).toEqual(['first_enrollment', 'three_enrollments'])
    const shared = await core.db.client.execute("SELECT args FROM outbox WHERE name = 'achievement.award' ORDER BY seq")
    expect(shared.rows.map((r) => JSON.parse(String(r.args)) as unknown)).toEqual([
      { key: 'first_enrollment', at: Math.floor(clock.now() / 1000), tz: 'America/New_York' },
      { key: 'three_enrollments', at: Math.floor(clock.now() / 1000), tz: 'America/New_York' },
    ])
  })

  it('earning XP through badges can earn the next badge in the same write', async () => {
    // Completing every lesson of every course: 21+ lessons, 3 courses: thousands of XP, several chained badges.
    let last
    for (const ref of allLessons()) last = await complete(ref)
    const keys = new Set((await core.services.achievements.list()).earned.map((a) => a.key))
    expect(keys).toContain('three_courses')
    expect(last?.outcome.xp).toBe((await core.services.stats.get()).xp)
  })
})
