import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { xpFromCounts } from '../../electron/core/domain/xp'
import { fakeClock } from '../helpers/clock'
import { learnerSnapshot, openDevice, type Device } from '../helpers/devices'
import { startServer, type TestServer } from '../helpers/server'

/** Text that JSON must escape (quotes, backslash, newline, tab, control and non-ASCII characters). */
const NOTES_FROM_B = 'notes from B, written later: "quoted", C:\\path, tab\there\nnew line \u0001 café 学习 🚀'

let server: TestServer
beforeAll(async () => {
  server = await startServer({ env: { RATE_LIMIT_PER_IP: '100000' } })
})
afterAll(() => server.stop())

const COURSE = 'sql-fundamentals'
let counter = 0
const email = () => `learner${Date.now()}-${counter++}@example.com`

async function xpFromLog(d: Device): Promise<number> {
  const rows = (await d.core.db.client.execute('SELECT activity_type, COUNT(*) AS n FROM user_activities GROUP BY activity_type')).rows
  return xpFromCounts(rows.map((r) => [String(r.activity_type), Number(r.n)] as const))
}

describe('two devices of one learner', () => {
  it('both offline, both change the same things; after syncing both hold identical data, merged by the rules', async () => {
    const clock = fakeClock('2026-04-01T08:00:00Z')
    const a = await openDevice(server, clock)
    const b = await openDevice(server, clock)
    const who = email()
    try {
      await a.signIn(who)
      await b.signIn(who)
      const [first, second] = (await a.core.services.courses.get({ courseId: COURSE })).lessons
      const lesson = { courseId: COURSE, lessonId: first?.id as string }

      // Offline on both: the same lesson completed on both, time on both, notes and profile on both.
      await a.core.services.courses.updateProgress({ ...lesson, action: 'complete' })
      await a.core.services.courses.updateProgress({ ...lesson, action: 'addTime', seconds: 300 })
      await a.core.services.courses.updateProgress({ ...lesson, action: 'saveNotes', notes: 'notes from A' })
      await a.core.services.profile.update({ bio: 'bio from A', location: 'Lisbon' })
      clock.advance(600)
      await b.core.services.courses.updateProgress({ ...lesson, action: 'complete' })
      await b.core.services.courses.updateProgress({ ...lesson, action: 'addTime', seconds: 120 })
      await b.core.services.courses.updateProgress({ courseId: COURSE, lessonId: second?.id as string, action: 'complete' })
      clock.advance(60)
      await b.core.services.courses.updateProgress({ ...lesson, action: 'saveNotes', notes: NOTES_FROM_B })
      await b.core.services.profile.update({ bio: 'bio from B, written later' })

      await a.sync()
      await b.sync()
      await a.sync()

      const snapA = await learnerSnapshot(a.core)
      const snapB = await learnerSnapshot(b.core)
      expect(snapA).toEqual(snapB)

      const progress = await a.core.services.courses.lesson(lesson)
      expect(progress.completed).toBe(true)
      expect(progress.completedAt).toBe(Date.parse('2026-04-01T08:00:00Z') / 1000) // the earliest
      expect(progress.timeSpent).toBe(300 + 120) // the sum
      expect(progress.notes).toBe(NOTES_FROM_B) // last writer, every character intact through the server's JSON
      const profile = await a.core.services.profile.get()
      expect(profile.bio).toBe('bio from B, written later')
      expect(profile.location).toBe('Lisbon') // per field: B never touched it

      // One row per fact, so XP counts each fact once.
      expect((await a.core.db.client.execute("SELECT COUNT(*) AS n FROM user_activities WHERE activity_type = 'lesson_completed'")).rows[0]?.n).toBe(2)
      expect((await a.core.db.client.execute("SELECT COUNT(*) AS n FROM user_achievements WHERE achievement_key = 'first_lesson'")).rows[0]?.n).toBe(1)
      const stats = await a.core.services.stats.get()
      expect(stats.xp).toBe(await xpFromLog(a))
      expect(stats.xp).toBe(2 * 10 + 2 * 25) // two lessons, two badges (first enrollment, first lesson)
      expect((await b.core.services.stats.get()).xp).toBe(stats.xp)
      expect(a.core.sync?.status().pending).toBe(0)
      expect(b.core.sync?.status().pending).toBe(0)
    } finally {
      a.close()
      b.close()
    }
  })

  it('progress made before signing in is adopted by the account and reaches the other device', async () => {
    const clock = fakeClock('2026-04-02T08:00:00Z')
    const a = await openDevice(server, clock)
    const b = await openDevice(server, clock)
    const who = email()
    try {
      const lessons = (await a.core.services.courses.get({ courseId: COURSE })).lessons
      for (const l of lessons.slice(0, 3)) {
        await a.core.services.courses.updateProgress({ courseId: COURSE, lessonId: l.id, action: 'complete' })
        clock.advance(3600)
      }
      await a.core.services.profile.update({ name: 'Ada' })
      const before = await a.core.services.stats.get()
      await a.signIn(who)
      expect(a.core.sync?.status()).toMatchObject({ state: 'up-to-date', pending: 0, email: who })
      expect((await a.core.services.stats.get()).xp).toBe(before.xp)

      await b.signIn(who)
      expect((await b.core.services.stats.get()).lessonsCompleted).toBe(3)
      expect((await b.core.services.profile.get()).name).toBe('Ada')
      expect(await learnerSnapshot(b.core)).toEqual(await learnerSnapshot(a.core))
    } finally {
      a.close()
      b.close()
    }
  })

  it('signing out stops sync and keeps the local data', async () => {
    const clock = fakeClock('2026-04-03T08:00:00Z')
    const a = await openDevice(server, clock)
    try {
      await a.signIn(email())
      const lesson = (await a.core.services.courses.get({ courseId: COURSE })).lessons[0]?.id as string
      await a.core.services.courses.updateProgress({ courseId: COURSE, lessonId: lesson, action: 'complete' })
      const status = await a.core.services.account.signOut()
      expect(status.state).toBe('signed-out')
      expect((await a.core.services.stats.get()).lessonsCompleted).toBe(1)
    } finally {
      a.close()
    }
  })
})
