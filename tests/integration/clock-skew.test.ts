/**
 * Last-writer-wins under clock skew: an edit made after seeing another device's value must win over it,
 * however far that device's clock runs ahead, and one broken clock must not pin a field for ever.
 * Real devices (LibSQL files) and a real server process; each device has a clock of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseHlc } from '../../electron/core/domain/hlc'
import { fakeClock } from '../helpers/clock'
import { openDevice, type Device } from '../helpers/devices'
import { startServer, type TestServer } from '../helpers/server'

const COURSE = 'sql-fundamentals'
const HOUR = 3_600_000
const DAY = 24 * HOUR

let server: TestServer
beforeAll(async () => {
  server = await startServer({ env: { RATE_LIMIT_PER_IP: '100000' } })
})
afterAll(() => server.stop())

let counter = 0
const email = () => `skew-${process.pid}-${counter++}@example.com`

async function withDevices(clocks: ReturnType<typeof fakeClock>[], body: (devices: Device[]) => Promise<void>): Promise<void> {
  const devices: Device[] = []
  try {
    const who = email()
    for (const clock of clocks) devices.push(await openDevice(server, clock))
    for (const d of devices) await d.signIn(who)
    await body(devices)
  } finally {
    for (const d of devices) d.close()
  }
}

async function firstLesson(d: Device) {
  const [lesson] = (await d.core.services.courses.get({ courseId: COURSE })).lessons
  return { courseId: COURSE, lessonId: lesson?.id as string }
}

describe('clock skew between devices', () => {
  it('B edits notes and bio after pulling them from A, whose clock runs an hour ahead: B’s edit wins on every device, across a restart', async () => {
    const start = Date.parse('2026-06-01T06:00:00Z')
    const clockA = fakeClock(start + HOUR)
    const clockB = fakeClock(start)
    await withDevices([clockA, clockB], async ([a, b]) => {
      if (!a || !b) throw new Error('two devices')
      const lesson = await firstLesson(a)
      await a.core.services.courses.updateProgress({ ...lesson, action: 'saveNotes', notes: 'from A, whose clock is fast' })
      await a.core.services.profile.update({ bio: 'bio from A' })
      await a.sync()
      await b.sync()
      expect((await b.core.services.courses.lesson(lesson)).notes).toBe('from A, whose clock is fast')
      // What B's clock has taken in must survive a restart.
      await b.restart()

      clockA.advance(60)
      clockB.advance(60)
      await b.core.services.courses.updateProgress({ ...lesson, action: 'saveNotes', notes: 'from B, after reading A' })
      await b.core.services.profile.update({ bio: 'bio from B, later' })
      await b.sync()
      await a.sync()
      await b.sync()

      for (const [name, d] of [['A', a], ['B', b]] as const) {
        expect((await d.core.services.courses.lesson(lesson)).notes, `notes on ${name}`).toBe('from B, after reading A')
        expect((await d.core.services.profile.get()).bio, `bio on ${name}`).toBe('bio from B, later')
      }
    })
  })

  it('the server clamps a reading more than a day ahead of its own time to a day ahead, so the field is not pinned for a year', async () => {
    const clockA = fakeClock(Date.now() + 365 * DAY)
    const clockB = fakeClock(Date.now())
    await withDevices([clockA, clockB], async ([a, b]) => {
      if (!a || !b) throw new Error('two devices')
      const lesson = await firstLesson(a)
      await a.core.services.courses.updateProgress({ ...lesson, action: 'saveNotes', notes: 'from the year ahead' })
      await a.core.services.profile.update({ location: 'the future' })
      await a.sync()
      await b.sync()
      const bound = Date.now() + DAY
      const notesClock = (await b.core.db.client.execute('SELECT notes_clock FROM lesson_progress')).rows[0]?.notes_clock
      const fieldClocks = JSON.parse(String((await b.core.db.client.execute('SELECT field_clocks FROM user_profiles')).rows[0]?.field_clocks)) as Record<string, string>
      for (const reading of [String(notesClock), fieldClocks.location ?? '']) {
        const parsed = parseHlc(reading)
        expect(parsed, reading).not.toBeNull()
        expect(parsed?.ms ?? Infinity, `stored reading ${reading}`).toBeLessThanOrEqual(bound)
      }
      // The learner's text is kept: only its clock was clamped.
      expect((await b.core.services.courses.lesson(lesson)).notes).toBe('from the year ahead')
      // A's own copy settles on the server's reading too, so both hold identical rows.
      await a.sync()
      const onA = (await a.core.db.client.execute('SELECT notes_clock FROM lesson_progress')).rows[0]?.notes_clock
      expect(onA).toBe(notesClock)
    })
  })
})
