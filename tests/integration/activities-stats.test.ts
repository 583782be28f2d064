import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ACHIEVEMENTS } from '../../electron/core/domain/achievements'
import { recomputeFromLog } from '../../electron/core/mutations/derived'
import { findProfile } from '../../electron/core/repositories/learners'
import { fakeClock } from '../helpers/clock'
import { openTestCore } from '../helpers/core'
import { rowCount, snapshot } from '../helpers/db'
import { expectAppError } from '../helpers/errors'

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

  it('the cached XP and streaks always equal a full recount of the activity log', async () => {
    const lessons = allLessons()
    let step = 0
    for (const ref of lessons) {
      // irregular days: some repeats, some gaps
      clock.advance([3600, 86_400, 86_400 * 3, 7200, 86_400][step++ % 5] as number)
      await complete(ref)
      const profile = await core.db.read((q) => findProfile(q, core.userId))
      const full = await core.db.read((q) => recomputeFromLog(q, core.userId))
      expect({ xp: profile?.xp, streak: profile?.streak, longest: profile?.longestStreak, last: profile?.lastActiveDay }).toEqual({
        xp: full.xp,
        streak: full.streak,
        longest: full.longestStreak,
        last: full.lastActiveDay,
      })
    }
  })
})

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
