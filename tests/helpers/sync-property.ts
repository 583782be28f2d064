/**
 * Property: whatever learners do on 2–3 devices, whenever they sync and however often the app
 * restarts, once every device has synced they all hold the same data, and nothing is lost or counted
 * twice. Runs against a real server process with real LibSQL files on every device.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { MAX_TIME_INCREMENT_SECONDS } from '../../electron/core/mutations/args'
import type { Core } from '../../electron/core/core'
import { fakeClock, skewedClock } from './clock'
import { learnerSnapshot, openDevice, type Device } from './devices'
import { answersFor } from './exercises'
import { startServer, type TestServer } from './server'
import { NO_FACTS, STREAK_BADGES, expectedProgress } from './xp-model'
import { rm } from 'node:fs/promises'

const COURSE = 'sql-fundamentals'
const LESSONS = 4

/**
 * What one copy of the learner's data (a device, or the server) holds, by the test's own account of
 * what it did: a sync pushes a device's facts to the server and pulls everything the server has.
 */
interface Known {
  lessons: Set<string>
  /** Lesson time added, by the index of the op that added it (capped as the app caps it). */
  time: Map<number, number>
  enrolled: boolean
  /** Every question right: a pass, and a perfect one. */
  passed: boolean
}

const knowNothing = (): Known => ({ lessons: new Set(), time: new Map(), enrolled: false, passed: false })

/** Everything `from` holds, added to `into`. */
function learnFrom(into: Known, from: Known): void {
  for (const l of from.lessons) into.lessons.add(l)
  for (const [op, seconds] of from.time) into.time.set(op, seconds)
  into.enrolled ||= from.enrolled
  into.passed ||= from.passed
}

/**
 * The device's cached XP and its badges, read straight from its database (no rebuild), against the
 * model: the XP table over the facts the device holds. Streak badges depend on the days each fact
 * settles on across devices, which the model does not follow: they count as found, and nothing else may.
 */
async function expectCacheMatches(core: Core, known: Known, what: string): Promise<void> {
  const [profile] = (await core.db.client.execute('SELECT xp FROM user_profiles')).rows
  const badges = (await core.db.client.execute('SELECT achievement_key FROM user_achievements ORDER BY achievement_key')).rows.map((r) => String(r.achievement_key))
  const model = expectedProgress(
    {
      ...NO_FACTS,
      lessonsCompleted: known.lessons.size,
      coursesEnrolled: known.enrolled ? 1 : 0,
      pressureRoomsPassed: known.passed ? 1 : 0,
      perfectPressureRooms: known.passed ? 1 : 0,
      totalTimeSeconds: [...known.time.values()].reduce((a, b) => a + b, 0),
    },
    badges.filter((b) => STREAK_BADGES.includes(b)),
  )
  expect({ xp: Number(profile?.xp), badges }, what).toEqual({ xp: model.xp, badges: model.badges })
}


/**
 * Last-writer-wins in causal order. Every write of a field knows the writes of it its device had seen
 * (its own earlier ones, and whatever it pulled); once all have synced, the field must hold the value of
 * a write no other write has seen: one written last in causal order. Concurrent writes may settle
 * either way (by clock), a causally later one never loses.
 */
interface FieldWrite {
  field: string
  value: string
  seen: ReadonlySet<number>
}

function causallyLast(writes: readonly FieldWrite[], field: string): string[] {
  const ofField = writes.map((w, id) => ({ ...w, id })).filter((w) => w.field === field)
  return ofField.filter((w) => !ofField.some((later) => later.seen.has(w.id))).map((w) => w.value)
}

const HOUR_MS = 3_600_000

/**
 * An edit synced just before it (the device had pulled a moment ago) and/or just after (the app syncs a
 * few seconds after each change): how an edit made after seeing another device's comes about.
 */
type EditSync = 'none' | 'before' | 'after' | 'both'
const editSync = fc.constantFrom<EditSync>('none', 'before', 'after', 'both')

type Op =
  | { kind: 'complete'; device: number; lesson: number }
  | { kind: 'addTime'; device: number; lesson: number; seconds: number }
  | { kind: 'notes'; device: number; lesson: number; text: string; sync: EditSync }
  | { kind: 'bio'; device: number; text: string; sync: EditSync }
  | { kind: 'attempt'; device: number; pass: boolean }
  | { kind: 'sync'; device: number }
  | { kind: 'restart'; device: number }

const device = fc.nat({ max: 2 })
const lesson = fc.nat({ max: LESSONS - 1 })
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('complete' as const), device, lesson }),
  fc.record({ kind: fc.constant('addTime' as const), device, lesson, seconds: fc.integer({ min: 1, max: 900 }) }),
  // Edits of last-writer-wins fields are cheap and where clock skew shows: they come more often.
  { arbitrary: fc.record({ kind: fc.constant('notes' as const), device, lesson, text: fc.string({ minLength: 1, maxLength: 12 }), sync: editSync }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('bio' as const), device, text: fc.string({ minLength: 1, maxLength: 12 }), sync: editSync }), weight: 3 },
  fc.record({ kind: fc.constant('attempt' as const), device, pass: fc.boolean() }),
  fc.record({ kind: fc.constant('sync' as const), device }),
  fc.record({ kind: fc.constant('restart' as const), device }),
)

/** Each device's clock offset (up to ±2 h); device 0's clock also jumps back by `jump` at every restart. */
const offsets = fc.array(fc.integer({ min: -2 * HOUR_MS, max: 2 * HOUR_MS }), { minLength: 3, maxLength: 3 })
const jump = fc.integer({ min: 60_000, max: HOUR_MS })
/**
 * Seconds between ops: often minutes, so edits on two devices come closer together than their clocks
 * are apart (where skew can reorder them), otherwise up to a day, so histories cross days for streaks.
 */
const gap = fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 90_000 }))

let run = 0

/**
 * Declares the property test with `runs` runs. It is split over several files (1 000 runs in all) so
 * vitest runs the parts in parallel; SYNC_PROPERTY_RUNS overrides the count for quick local checks.
 */
export function defineSyncProperty(runs: number, part: string): void {
  const total = Number(process.env.SYNC_PROPERTY_RUNS ?? runs)
  let server: TestServer
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_EMAIL: '1000000' } })
  })
  afterAll(() => server.stop())

  it(`${total} random histories on 2–3 devices converge with nothing lost or doubled (${part})`, { timeout: 60 * 60_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 2, max: 3 }), fc.array(op, { minLength: 1, maxLength: 14 }), fc.array(gap, { minLength: 14, maxLength: 14 }), offsets, jump, async (count, ops, gaps, skews, back) => {
      const clock = fakeClock('2026-06-01T06:00:00Z')
      const clocks = skews.slice(0, count).map((ms) => skewedClock(clock, ms))
      const email = `prop-${part.replace(/\W+/g, '-')}-${process.pid}-${run++}@example.com`
      const devices: Device[] = []
      try {
        for (let i = 0; i < count; i++) devices.push(await openDevice(server, clocks[i] as ReturnType<typeof skewedClock>))
        for (const d of devices) await d.signIn(email)
        const lessons = (await devices[0]?.core.services.courses.get({ courseId: COURSE }))?.lessons.map((l) => l.id) ?? []

        // The model: what the learner did, whatever device did it.
        const completed = new Set<string>()
        const time = new Map<string, number>()
        const writes: FieldWrite[] = []
        const seenOnServer = new Set<number>()
        const seenBy = devices.map(() => new Set<number>())
        const write = (on: number, field: string, value: string) => {
          const seen = seenBy[on] as Set<number>
          writes.push({ field, value, seen: new Set(seen) })
          seen.add(writes.length - 1)
        }
        let attempts = 0
        let best = -1
        const onServer: Known = knowNothing()
        const holds: Known[] = devices.map(knowNothing)

        for (const [i, o] of ops.entries()) {
          clock.advance(gaps[i] ?? 1)
          const d = devices[o.device % count] as Device
          const k = holds[o.device % count] as Known
          const s = d.core.services
          // A sync pushes everything the device has and pulls everything the server has.
          const sync = async () => {
            await d.sync()
            learnFrom(onServer, k)
            learnFrom(k, onServer)
            for (const w of seenBy[o.device % count] as Set<number>) seenOnServer.add(w)
            for (const w of seenOnServer) (seenBy[o.device % count] as Set<number>).add(w)
          }
          switch (o.kind) {
            case 'complete':
              await s.courses.updateProgress({ courseId: COURSE, lessonId: lessons[o.lesson] as string, action: 'complete' })
              completed.add(lessons[o.lesson] as string)
              k.lessons.add(lessons[o.lesson] as string)
              k.enrolled = true
              break
            case 'addTime':
              await s.courses.updateProgress({ courseId: COURSE, lessonId: lessons[o.lesson] as string, action: 'addTime', seconds: o.seconds })
              time.set(lessons[o.lesson] as string, (time.get(lessons[o.lesson] as string) ?? 0) + Math.min(o.seconds, MAX_TIME_INCREMENT_SECONDS))
              k.time.set(i, Math.min(o.seconds, MAX_TIME_INCREMENT_SECONDS))
              k.enrolled = true
              break
            case 'notes':
              if (o.sync === 'before' || o.sync === 'both') await sync()
              await s.courses.updateProgress({ courseId: COURSE, lessonId: lessons[o.lesson] as string, action: 'saveNotes', notes: o.text })
              write(o.device % count, `notes:${lessons[o.lesson] as string}`, o.text.trim() === '' ? '' : o.text)
              if (o.sync === 'after' || o.sync === 'both') await sync()
              break
            case 'bio':
              if (o.sync === 'before' || o.sync === 'both') await sync()
              await s.profile.update({ bio: o.text })
              write(o.device % count, 'bio', o.text.trim())
              if (o.sync === 'after' || o.sync === 'both') await sync()
              break
            case 'attempt': {
              const attempt = await s.pressureRoom.start({ courseId: COURSE })
              const ids = attempt.questions.map((q) => q.id)
              const answers = o.pass ? answersFor(d.core.catalog.require(COURSE), ids, ids.length, attempt.seed) : {}
              const result = await s.pressureRoom.submit({ attemptId: attempt.attemptId, answers })
              attempts++
              best = Math.max(best, result.score)
              k.enrolled = true
              k.passed ||= o.pass
              break
            }
            case 'sync':
              await sync()
              break
            case 'restart':
              // Device 0's clock is set back while it is closed (its battery, a time zone mix-up).
              if (o.device % count === 0) clocks[0]?.jump(-back)
              await d.restart()
              break
          }
          await expectCacheMatches(d.core, k, `device ${o.device % count} after op ${i} (${o.kind})`)
        }
        // Everyone syncs twice: the first round brings every change to the server, the second to every device.
        for (const d of devices) await d.sync()
        for (const d of devices) await d.sync()
        for (const k of holds) learnFrom(onServer, k)
        for (const [i, d] of devices.entries()) await expectCacheMatches(d.core, onServer, `device ${i} after the last sync`)

        const reference = await learnerSnapshot((devices[0] as Device).core)
        for (const d of devices.slice(1)) expect(await learnerSnapshot(d.core)).toEqual(reference)

        const core = (devices[0] as Device).core
        for (const id of lessons) {
          const l = await core.services.courses.lesson({ courseId: COURSE, lessonId: id })
          expect(l.completed).toBe(completed.has(id))
          expect(l.timeSpent).toBe(time.get(id) ?? 0)
          const last = causallyLast(writes, `notes:${id}`)
          expect(last.length === 0 ? [''] : last, `notes of ${id}`).toContain(l.notes)
        }
        const bios = causallyLast(writes, 'bio')
        if (bios.length > 0) expect(bios, 'bio').toContain((await core.services.profile.get()).bio)
        const [enrollment] = await core.services.courses.enrollments()
        if (attempts > 0) expect(enrollment?.pressureRoom).toMatchObject({ attempts, bestScore: best })
        const counts = (await core.db.client.execute('SELECT activity_type, COUNT(*) AS n FROM user_activities GROUP BY activity_type')).rows
        const byType = new Map(counts.map((r) => [String(r.activity_type), Number(r.n)]))
        expect(byType.get('lesson_completed') ?? 0).toBe(completed.size)
        for (const d of devices) expect(d.core.sync?.status()).toMatchObject({ state: 'up-to-date', pending: 0 })
      } finally {
        for (const d of devices) {
          d.close()
          await rm(d.dataDir, { recursive: true, force: true })
        }
      }
    }),
    // SYNC_PROPERTY_EXAMPLE replays a counterexample fast-check printed: [count, ops, gaps, offsets, jump].
    { numRuns: total, examples: process.env.SYNC_PROPERTY_EXAMPLE ? [JSON.parse(process.env.SYNC_PROPERTY_EXAMPLE) as [number, Op[], number[], number[], number]] : [] },
  )
  })
}
