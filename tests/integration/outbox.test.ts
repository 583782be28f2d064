import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listOutbox } from '../../electron/core/repositories/outbox'
import { fakeClock } from '../helpers/clock'
import { openTestCore } from '../helpers/core'
import { rowCount, snapshot } from '../helpers/db'

type TestCore = Awaited<ReturnType<typeof openTestCore>>
let core: TestCore
let clock: ReturnType<typeof fakeClock>
const COURSE = 'sql-fundamentals'

beforeEach(async () => {
  clock = fakeClock('2026-02-01T08:00:00Z')
  core = await openTestCore({ clock })
})
afterEach(() => core.dispose())

describe('sync outbox', () => {
  it('every write appends exactly one mutation, in order, with the arguments the server needs', async () => {
    const lesson = core.catalog.require(COURSE).lessons[0]?.id as string
    await core.services.courses.enroll({ courseId: COURSE })
    await core.services.courses.updateProgress({ courseId: COURSE, lessonId: lesson, action: 'addTime', seconds: 30 })
    await core.services.courses.updateProgress({ courseId: COURSE, lessonId: lesson, action: 'saveNotes', notes: 'SELECT picks columns' })
    await core.services.courses.updateProgress({ courseId: COURSE, lessonId: lesson, action: 'complete' })
    await core.services.profile.update({ bio: 'hi' })
    const attempt = await core.services.pressureRoom.start({ courseId: COURSE })
    await core.services.pressureRoom.submit({ attemptId: attempt.attemptId, answers: {} })

    const rows = await core.db.read((q) => listOutbox(q))
    // Each badge a write earns follows it as an award, so other devices get the same set.
    expect(rows.map((r) => r.name === 'achievement.award' ? `award:${(JSON.parse(r.args) as { key: string }).key}` : r.name)).toEqual([
      'course.enroll',
      'award:first_enrollment',
      'lesson.addTime',
      'lesson.saveNotes',
      'lesson.complete',
      'award:first_lesson',
      'profile.update',
      'pressureRoom.recordAttempt',
    ])
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => a - b))
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length)
    const complete = JSON.parse(rows[4]?.args ?? '{}') as Record<string, unknown>
    expect(complete).toEqual({ courseId: COURSE, lessonId: lesson, at: Math.floor(clock.now() / 1000), tz: 'UTC' })
  })

  it('a write whose outbox append fails leaves no trace: the change and the mutation commit together', async () => {
    const lesson = core.catalog.require(COURSE).lessons[0]?.id as string
    // Sabotage the outbox so the append, the last statement of the transaction, fails.
    await core.db.client.execute("CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    const before = await snapshot(core)
    await expect(core.services.courses.updateProgress({ courseId: COURSE, lessonId: lesson, action: 'complete' })).rejects.toThrow()
    expect(await snapshot(core)).toBe(before)
    expect(await rowCount(core, 'lesson_progress')).toBe(0)
    await core.db.client.execute('DROP TRIGGER refuse_outbox')
    await core.services.courses.updateProgress({ courseId: COURSE, lessonId: lesson, action: 'complete' })
    expect(await rowCount(core, 'outbox', "name = 'lesson.complete'")).toBe(1)
  })
})
