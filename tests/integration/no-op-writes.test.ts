/**
 * A write that changes nothing writes nothing: no outbox entry to push, no sync nudge, no row touched.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { rm } from 'node:fs/promises'
import { openCore } from '../../electron/core/core'
import { createActivitiesService } from '../../electron/core/services/activities'
import { createProfileService } from '../../electron/core/services/profile'
import { fakeClock } from '../helpers/clock'
import { openTestCore, tempDir } from '../helpers/core'
import { rowCount, snapshot } from '../helpers/db'
import { COURSES_DIR, MIGRATIONS_DIR } from '../helpers/paths'

const COURSE = 'sql-fundamentals'
const LESSON = 'relational-databases'

describe('no-op writes', () => {
  let core: Awaited<ReturnType<typeof openTestCore>>
  const clock = fakeClock('2026-03-02T10:00:00Z')
  beforeEach(async () => {
    core = await openTestCore({ clock })
    await core.services.courses.updateProgress({ courseId: COURSE, lessonId: LESSON, action: 'complete' })
    await core.services.profile.update({ name: 'Ada', bio: 'Likes SQL', website: '' })
  })
  afterEach(() => core.dispose())

  /** Runs `write` and expects the outbox (and every learner table) to be exactly as before. */
  async function expectNothingWritten(write: () => Promise<unknown>): Promise<void> {
    const outbox = await rowCount(core, 'outbox')
    expect(outbox).toBeGreaterThan(0)
    const before = await snapshot(core)
    clock.advance(60)
    await write()
    expect(await rowCount(core, 'outbox')).toBe(outbox)
    expect(await snapshot(core)).toBe(before)
  }

  it('profile.update {} appends no outbox entry', async () => {
    await expectNothingWritten(() => core.services.profile.update({}))
  })

  it('profile.update with the values it already has appends no outbox entry', async () => {
    await expectNothingWritten(() => core.services.profile.update({ name: 'Ada', bio: 'Likes SQL ', website: '', location: '' }))
  })

  it('re-logging a fact already in the log appends no outbox entry', async () => {
    await expectNothingWritten(() => core.services.activities.log({ type: 'lesson_completed', subject: `${COURSE}/${LESSON}` }))
    await expectNothingWritten(() => core.services.activities.log({ type: 'course_enrolled', subject: COURSE }))
    await expectNothingWritten(() => core.services.activities.log({ type: 'achievement_earned', subject: 'first_lesson' }))
  })

  it('a profile.update that changes one field sends only that field', async () => {
    await core.services.profile.update({ name: 'Ada', bio: 'Likes Git' })
    const last = (await core.db.client.execute('SELECT args FROM outbox ORDER BY seq DESC LIMIT 1')).rows[0]
    expect(JSON.parse(String(last?.args)).patch).toEqual({ bio: 'Likes Git' })
  })
})

describe('no-op writes and the sync nudge', () => {
  it('a write that changes nothing does not tell the sync engine there is something to push', async () => {
    const dataDir = await tempDir()
    const clock = fakeClock('2026-03-02T10:00:00Z')
    const core = await openCore({ dataDir, coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR, timezone: 'UTC', clock })
    try {
      // Services over the core's own database, with an onCommit that counts (the core's goes to its sync engine).
      let commits = 0
      const deps = { db: core.db, catalog: core.catalog, clock, userId: core.userId, onCommit: () => commits++ }
      const profile = createProfileService(deps)
      await profile.update({ bio: 'x' })
      expect(commits).toBe(1)
      await profile.update({ bio: 'x' })
      await profile.update({})
      await core.services.courses.updateProgress({ courseId: COURSE, lessonId: LESSON, action: 'complete' })
      await createActivitiesService(deps).log({ type: 'lesson_completed', subject: `${COURSE}/${LESSON}` })
      expect(commits).toBe(1)
    } finally {
      core.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
