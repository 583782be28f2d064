import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatch } from '../../electron/core/api/dispatch'
import { createHandlers } from '../../electron/core/api/handlers'
import type { DataExport } from '../../electron/core/contract/types'
import { createFileTokenStore } from '../../electron/core/sync/token-store'
import { fakeClock } from '../helpers/clock'
import { openTestCore, tempDir } from '../helpers/core'

type TestCore = Awaited<ReturnType<typeof openTestCore>>
let core: TestCore
let clock: ReturnType<typeof fakeClock>
const COURSE = 'sql-fundamentals'
const TOKEN = 'session-token-that-must-never-be-exported-7f3a'
const OTHER = 'other-learner-0001'

beforeEach(async () => {
  clock = fakeClock('2026-06-10T21:30:00Z')
  const dataDir = await tempDir()
  // A configured sync server and a saved session token: the export must leave both out.
  const tokens = createFileTokenStore(join(dataDir, 'session-token'))
  await tokens.save(TOKEN)
  core = await openTestCore({ dataDir, clock, sync: { serverUrl: 'http://127.0.0.1:9', tokens } })
})
afterEach(() => core.dispose())

const lessons = () => core.catalog.require(COURSE).lessons

/** Another learner's rows in the same file (left behind by an earlier account, say). */
async function plantOtherLearner() {
  const sql = [
    `INSERT INTO users (id, name, email) VALUES ('${OTHER}', 'Other Person', 'other@example.org')`,
    `INSERT INTO user_profiles (user_id, bio, timezone) VALUES ('${OTHER}', 'OTHER-BIO', 'UTC')`,
    `INSERT INTO course_enrollments (id, user_id, course_id, enrolled_at) VALUES ('other-enr', '${OTHER}', 'git-essentials', 1)`,
    `INSERT INTO lesson_progress (id, user_id, course_id, lesson_id, completed, notes) VALUES ('other-lp', '${OTHER}', 'git-essentials', 'x', 1, 'OTHER-NOTES')`,
    `INSERT INTO user_activities (id, user_id, activity_type, description, created_at) VALUES ('other-act', '${OTHER}', 'lesson_completed', 'OTHER-ACTIVITY', 1)`,
    `INSERT INTO user_achievements (id, user_id, achievement_key, title, earned_at) VALUES ('other-ach', '${OTHER}', 'first_lesson', 'OTHER-BADGE', 1)`,
    `INSERT INTO pressure_room_attempts (id, user_id, course_id, question_ids, started_at, deadline) VALUES ('other-att', '${OTHER}', 'git-essentials', '[]', 1, 2)`,
  ]
  for (const statement of sql) await core.db.client.execute(statement)
}

async function makeProgress() {
  const [first, second] = lessons()
  await core.services.profile.update({ name: 'Ada', bio: 'Learning SQL', timezone: 'Pacific/Auckland' })
  await core.services.courses.enroll({ courseId: COURSE })
  await core.services.courses.updateProgress({ courseId: COURSE, lessonId: first!.id, action: 'addTime', seconds: 300 })
  await core.services.courses.updateProgress({ courseId: COURSE, lessonId: first!.id, action: 'saveNotes', notes: 'SELECT picks columns.' })
  await core.services.courses.updateProgress({ courseId: COURSE, lessonId: first!.id, action: 'complete' })
  await core.services.courses.updateProgress({ courseId: COURSE, lessonId: second!.id, action: 'addTime', seconds: 60 })
  const done = await core.services.pressureRoom.start({ courseId: COURSE })
  const [q1] = done.questions
  await core.services.pressureRoom.submit({ attemptId: done.attemptId, answers: { [q1!.id]: 0 } })
  const open = await core.services.pressureRoom.start({ courseId: COURSE })
  await core.services.pressureRoom.answer({ attemptId: open.attemptId, questionId: open.questions[0]!.id, response: 1 })
  await core.services.settings.update({ autoUpdate: false })
  return { first: first!, second: second!, done, open }
}

const q1Of = (attempt: { questions: { id: string }[] }) => attempt.questions[0]?.id as string

describe('export my data', () => {
  it('has the documented, versioned shape, with everything the learner did', async () => {
    const { first, second, done, open } = await makeProgress()
    const { fileName, data } = await core.services.data.export()

    // 21:30 UTC is already the next morning in Auckland: the file is named after the learner's day.
    expect(fileName).toBe('pathwise-export-2026-06-11.json')
    expect(data).toMatchObject({ format: 'pathwise-export', version: 1, exportedAt: '2026-06-10T21:30:00.000Z', app: { name: 'Pathwise' } })
    expect(data.learner).toMatchObject({ id: core.userId, name: 'Ada', bio: 'Learning SQL', timezone: 'Pacific/Auckland', email: null })
    expect(data.learner.xp).toBeGreaterThan(0)

    expect(data.enrollments).toEqual([
      expect.objectContaining({ courseId: COURSE, courseTitle: core.catalog.require(COURSE).title, status: 'in_progress', pressureRoom: expect.objectContaining({ attempts: 1 }) }),
    ])
    expect(data.lessonProgress).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ lessonId: first.id, lessonTitle: first.title, completed: true, timeSpentSeconds: 300, notes: 'SELECT picks columns.' }),
        expect.objectContaining({ lessonId: second.id, completed: false, completedAt: null, timeSpentSeconds: 60, notes: '' }),
      ]),
    )
    expect(data.lessonProgress).toHaveLength(2)
    expect(data.activities.map((a) => a.type)).toEqual(expect.arrayContaining(['course_enrolled', 'lesson_completed', 'achievement_earned']))
    expect(data.activities.find((a) => a.type === 'lesson_completed')?.metadata).toMatchObject({ courseId: COURSE, lessonId: first.id })
    expect(data.achievements.map((a) => a.key)).toContain('first_lesson')

    expect(data.pressureRoomAttempts).toHaveLength(2)
    const submitted = data.pressureRoomAttempts.find((a) => a.id === done.attemptId)
    expect(submitted).toMatchObject({ courseId: COURSE, submittedAt: expect.any(Number), score: expect.any(Number), passed: false })
    expect(submitted?.questionIds).toEqual(done.questions.map((q) => q.id))
    // The seed the attempt was drawn and shuffled with, so the export says what was asked.
    expect(submitted?.seed).toBe(done.seed)
    expect(submitted?.answers).toEqual({ [q1Of(done)]: 0 })
    expect(data.pressureRoomAttempts.find((a) => a.id === open.attemptId)).toMatchObject({
      submittedAt: null,
      score: null,
      passed: null,
      seed: open.seed,
      answers: { [open.questions[0]!.id]: 1 },
    })
    expect(data.settings).toEqual({ autoUpdate: false })
  })

  it("leaves out the session token, sync bookkeeping and other learners' rows", async () => {
    await plantOtherLearner()
    await makeProgress()
    const outboxIds = (await core.db.client.execute('SELECT id FROM outbox')).rows.map((r) => String(r.id))
    const internals = (await core.db.client.execute("SELECT value FROM settings WHERE key <> 'learner_id'")).rows.map((r) => String(r.value))
    expect(outboxIds.length).toBeGreaterThan(0)

    const text = JSON.stringify((await core.services.data.export()).data)
    expect(text).not.toContain(TOKEN)
    for (const leak of [OTHER, 'other@example.org', 'OTHER-BIO', 'OTHER-NOTES', 'OTHER-ACTIVITY', 'OTHER-BADGE', 'other-att', 'other-enr']) expect(text).not.toContain(leak)
    for (const id of outboxIds) expect(text).not.toContain(id)
    // Device ids, hybrid logical clocks, sync cursors: none of them belong to the learner's data.
    for (const value of internals.filter((v) => v.length > 8)) expect(text).not.toContain(value)
    expect(text).not.toMatch(/\d{15}:\d{6}:/)
    expect(text).not.toMatch(/fieldClocks|notesClock|outbox|cursor|clientId|token/i)
  })

  it('crosses the contract as plain JSON and needs no input', async () => {
    await makeProgress()
    const dispatch = createDispatch(createHandlers(() => core.services), () => undefined)
    const result = await dispatch('data.export', null)
    expect(result.ok).toBe(true)
    const value = (result as { ok: true; value: DataExport }).value
    expect(JSON.parse(JSON.stringify(value))).toEqual(value)
    expect(await dispatch('data.export', { everything: true })).toMatchObject({ ok: false, error: { code: 'INVALID' } })
  })

  it('works for a brand-new learner with nothing done yet', async () => {
    const { data } = await core.services.data.export()
    expect(data).toMatchObject({ enrollments: [], lessonProgress: [], activities: [], achievements: [], pressureRoomAttempts: [], settings: { autoUpdate: true } })
    expect(data.learner.name).toBe('Learner')
  })
})
