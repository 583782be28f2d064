/**
 * XP is derived from the activity log, so `activities.log` may only restate a fact that holds, under
 * the one subject its proving mutation logged it with: a near-valid or junk subject is refused (INVALID)
 * on the device and, through the same mutation code, on the sync server.
 */
import { createClient } from '@libsql/client'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fakeClock } from '../helpers/clock'
import { openTestCore } from '../helpers/core'
import { rowCount, snapshot } from '../helpers/db'
import { expectAppError } from '../helpers/errors'
import { call, signIn, startServer, type TestServer } from '../helpers/server'

const COURSE = 'sql-fundamentals'
const LESSON = 'relational-databases'
/** Completing one lesson: 10 XP, plus First Step and the first-enrollment badge (25 each). */
const XP_AFTER_ONE_LESSON = 60

/** Subjects that look like a fact the learner has, but are not its canonical subject. */
const NEAR_VALID: readonly { type: string; subject: string }[] = [
  { type: 'lesson_completed', subject: `${COURSE}/${LESSON}/x` },
  { type: 'lesson_completed', subject: `${COURSE}/${LESSON}/` },
  { type: 'lesson_completed', subject: `${COURSE}/${LESSON}/../x` },
  { type: 'lesson_completed', subject: `${COURSE}/../${LESSON}` },
  { type: 'lesson_completed', subject: `${COURSE}//${LESSON}` },
  { type: 'lesson_completed', subject: `${COURSE}/${LESSON.toUpperCase()}` },
  { type: 'lesson_completed', subject: ` ${COURSE}/${LESSON}` },
  { type: 'lesson_completed', subject: `${COURSE}/${LESSON}\u00a0` },
  { type: 'lesson_completed', subject: `${COURSE}/${LESSON.replace('a', '\u0430')}` }, // Cyrillic а
  { type: 'course_enrolled', subject: `${COURSE}/../z` },
  { type: 'course_enrolled', subject: `${COURSE}/` },
  { type: 'course_enrolled', subject: `${COURSE}/${LESSON}` },
  { type: 'course_enrolled', subject: COURSE.toUpperCase() },
  { type: 'course_enrolled', subject: `${COURSE} ` },
  { type: 'achievement_earned', subject: 'first_lesson/x' },
  { type: 'achievement_earned', subject: 'First_Lesson' },
  { type: 'achievement_earned', subject: ' first_lesson' },
]

describe('activities.log on the device', () => {
  let core: Awaited<ReturnType<typeof openTestCore>>
  beforeEach(async () => {
    core = await openTestCore({ clock: fakeClock('2026-03-02T10:00:00Z') })
    await core.services.courses.updateProgress({ courseId: COURSE, lessonId: LESSON, action: 'complete' })
  })
  afterEach(() => core.dispose())

  it('refuses every near-valid subject of a fact the learner has with INVALID, and mints no XP', async () => {
    expect((await core.services.stats.get()).xp).toBe(XP_AFTER_ONE_LESSON)
    const before = await snapshot(core)
    for (const bad of NEAR_VALID) {
      const error = await expectAppError(core.services.activities.log(bad), 'INVALID')
      expect(error.message, JSON.stringify(bad)).toMatch(/subject/)
    }
    expect(await snapshot(core)).toBe(before)
    const stats = await core.services.stats.get()
    expect(stats).toMatchObject({ xp: XP_AFTER_ONE_LESSON, lessonsCompleted: 1 })
    expect(await rowCount(core, 'user_activities', "activity_type = 'course_enrolled'")).toBe(1)
  })

  it('still accepts the canonical subject of a fact that holds, and a real fact that does not hold is CONFLICT', async () => {
    await core.services.activities.log({ type: 'lesson_completed', subject: `${COURSE}/${LESSON}` })
    await core.services.activities.log({ type: 'course_enrolled', subject: COURSE })
    await core.services.activities.log({ type: 'achievement_earned', subject: 'first_lesson' })
    await expectAppError(core.services.activities.log({ type: 'course_completed', subject: COURSE }), 'CONFLICT')
    await expectAppError(core.services.activities.log({ type: 'achievement_earned', subject: 'ten_lessons' }), 'CONFLICT')
    expect((await core.services.stats.get()).xp).toBe(XP_AFTER_ONE_LESSON)
  })
})

describe('activity.log pushed to the sync server', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_PER_IP: '10000' } })
  })
  afterAll(() => server?.stop())

  it('refuses a near-valid subject from a push, and the server mints no XP', async () => {
    const { token } = await signIn(server, 'mint@example.com')
    const at = 1_772_445_600
    const when = { at, tz: 'UTC' }
    const complete = { id: 1, name: 'lesson.complete', args: { courseId: COURSE, lessonId: LESSON, ...when }, createdAt: at }
    const first = await call(server, 'POST', '/v1/sync/push', { token, json: { clientId: 'minter-device-1', mutations: [complete] } })
    expect(first).toMatchObject({ status: 200, body: { lastMutationId: 1 } })
    const db = createClient({ url: `file:${join(server.dir, 'server.db')}` })
    try {
      const xp = async () => Number((await db.execute('SELECT xp FROM user_profiles')).rows[0]?.xp)
      const activities = async () => Number((await db.execute('SELECT COUNT(*) AS n FROM user_activities')).rows[0]?.n)
      expect(await xp()).toBe(XP_AFTER_ONE_LESSON)
      const rowsBefore = await activities()
      let id = 1
      for (const bad of NEAR_VALID) {
        id++
        const mutation = { id, name: 'activity.log', args: { ...bad, ...when }, createdAt: at }
        const reply = await call<{ error?: { code: string; message: string; mutationId: number } }>(server, 'POST', '/v1/sync/push', {
          token,
          json: { clientId: 'minter-device-1', mutations: [mutation] },
        })
        expect(reply.status, JSON.stringify(bad)).toBe(400)
        expect(reply.body.error, JSON.stringify(bad)).toMatchObject({ code: 'MUTATION_REJECTED', mutationId: id })
        expect(reply.body.error?.message).toMatch(/subject/)
      }
      expect(await xp()).toBe(XP_AFTER_ONE_LESSON)
      expect(await activities()).toBe(rowsBefore)

      // A badge whose figures can only grow is taken only when they reach it; an earned one is a no-op.
      for (const key of ['ten_lessons', 'first_course', 'first_pr_pass', 'xp_1000', 'first_lesson']) {
        id++
        const award = { id, name: 'achievement.award', args: { key, ...when }, createdAt: at }
        const reply = await call<{ error?: { code: string; message: string } }>(server, 'POST', '/v1/sync/push', {
          token,
          json: { clientId: 'minter-device-1', mutations: [award] },
        })
        if (key === 'first_lesson') expect(reply.status, key).toBe(200)
        else expect({ status: reply.status, code: reply.body.error?.code }, key).toEqual({ status: 400, code: 'MUTATION_REJECTED' })
      }
      expect(await xp()).toBe(XP_AFTER_ONE_LESSON)
      expect(await activities()).toBe(rowsBefore)
    } finally {
      db.close()
    }
  })
})
