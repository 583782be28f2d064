/**
 * Property: whatever real mutations a learner makes and whatever `activities.log` calls are mixed in
 * (subjects valid, near-valid or junk), on the device and pushed straight to the sync server by a
 * hostile client, XP is always the XP table applied to the facts, on the device and on the server.
 * A log call never adds a row: it restates a fact that holds (a no-op, no outbox entry) or is refused.
 * The hostile client also pushes badge awards, which the server takes only when they are earned.
 */
import { createClient, type Client } from '@libsql/client'
import fc from 'fast-check'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { AppError } from '../../electron/core/errors'
import { fakeClock } from '../helpers/clock'
import { rowCount } from '../helpers/db'
import { openDevice, type Device } from '../helpers/devices'
import { answersFor } from '../helpers/exercises'
import { COURSES_DIR } from '../helpers/paths'
import { loadCatalog } from '../../electron/core/catalog/catalog'
import { call, signIn, startServer, type TestServer } from '../helpers/server'
import { NO_FACTS, expectedProgress, type LearnerFacts } from '../helpers/xp-model'

const RUNS = Number(process.env.XP_PROPERTY_RUNS ?? 30)
/** The bundled courses the test works with, and lessons of each that ops complete one by one. */
const COURSES: Readonly<Record<string, readonly string[]>> = {
  'git-essentials': ['why-version-control', 'first-commits', 'history', 'branches', 'merging', 'remotes', 'undoing'],
  'sql-fundamentals': ['relational-databases', 'select-where', 'sorting-limit-distinct', 'aggregates-group-by', 'joins', 'modifying-data', 'keys-constraints-indexes'],
}
const COURSE_IDS = Object.keys(COURSES)
const BADGE_KEYS = ['first_lesson', 'ten_lessons', 'first_enrollment', 'three_enrollments', 'first_course', 'first_pr_pass', 'perfect_pr']
/** Badges over figures that never go down: an award pushed for one is checked (streaks and notes are not). */
const CHECKED_BADGES = [...BADGE_KEYS, 'fifty_lessons', 'three_courses', 'xp_1000', 'level_5', 'study_hour']
const TYPES = ['course_enrolled', 'lesson_completed', 'pr_completed', 'course_completed', 'achievement_earned'] as const
type ActivityType = (typeof TYPES)[number]

/** What the learner has done, by the test's own account. */
interface Facts {
  enrolled: Set<string>
  lessons: Set<string> // "course/lesson"
  passed: Set<string>
}
const noFacts = (): Facts => ({ enrolled: new Set(), lessons: new Set(), passed: new Set() })
const copyFacts = (f: Facts): Facts => ({ enrolled: new Set(f.enrolled), lessons: new Set(f.lessons), passed: new Set(f.passed) })
/** Every lesson of each course as bundled now (read in beforeAll): completing them all completes it. */
let allLessons: Readonly<Record<string, readonly string[]>> = {}
const completedCourses = (f: Facts) => COURSE_IDS.filter((c) => (allLessons[c] ?? ['?']).every((l) => f.lessons.has(`${c}/${l}`)))

function modelOf(f: Facts): { xp: number; badges: string[] } {
  const counted: LearnerFacts = {
    ...NO_FACTS,
    lessonsCompleted: f.lessons.size,
    coursesEnrolled: f.enrolled.size,
    coursesCompleted: completedCourses(f).length,
    pressureRoomsPassed: f.passed.size,
    perfectPressureRooms: f.passed.size, // every pass in this test answers every question right
  }
  return expectedProgress(counted)
}

/** Whether the fact a canonical subject names holds in `f`. */
function holds(f: Facts, type: ActivityType, subject: string): boolean {
  switch (type) {
    case 'course_enrolled':
      return f.enrolled.has(subject)
    case 'lesson_completed':
      return f.lessons.has(subject)
    case 'pr_completed':
      return f.passed.has(subject)
    case 'course_completed':
      return completedCourses(f).includes(subject)
    case 'achievement_earned':
      return modelOf(f).badges.includes(subject)
  }
}

// ---- subjects: valid (canonical, the fact may or may not hold), near-valid and junk ----

type Form = 'valid' | 'near' | 'junk'
interface LogCall {
  type: ActivityType
  subject: string
  form: Form
}

const lessonSubject = fc.constantFrom(...COURSE_IDS.flatMap((c) => (COURSES[c] ?? []).map((l) => `${c}/${l}`)))
const canonicalFor = (type: ActivityType): fc.Arbitrary<string> =>
  type === 'lesson_completed' ? lessonSubject : type === 'achievement_earned' ? fc.constantFrom(...BADGE_KEYS) : fc.constantFrom(...COURSE_IDS)

const LOOK_ALIKES: Readonly<Record<string, string>> = { a: '\u0430', e: '\u0435', o: '\u043e', '-': '\u2010', i: '\u0456' }
/** Ways to spell a canonical subject that are not it (see `differs`: each yields another string). */
const SPELLINGS: readonly ((s: string) => string)[] = [
  (s) => `${s}/x`,
  (s) => `${s}/`,
  (s) => `${s}/../x`,
  (s) => `/${s}`,
  (s) => `../${s}`,
  (s) => s.replace('/', '/../'),
  (s) => s.replace('/', '//'),
  (s) => s.replace('/', '\\'),
  (s) => s.toUpperCase(),
  (s) => s.charAt(0).toUpperCase() + s.slice(1),
  (s) => ` ${s}`,
  (s) => `${s} `,
  (s) => `${s}\n`,
  (s) => `\t${s}`,
  (s) => `${s}\u00a0`,
  (s) => `\u200b${s}`,
  (s) => s.normalize('NFD') + '\u0301',
  (s) => {
    const i = [...s].findIndex((ch) => ch in LOOK_ALIKES)
    return i < 0 ? `${s}/` : s.slice(0, i) + (LOOK_ALIKES[s.charAt(i)] ?? '') + s.slice(i + 1)
  },
]
/** A spelling that leaves its input as it was (no "/" to replace) becomes one with a trailing slash. */
const NEAR = SPELLINGS.map((spell) => (s: string) => {
  const spelt = spell(s)
  return spelt === s ? `${s}/` : spelt
})

const activityType = fc.constantFrom(...TYPES)
const logCall: fc.Arbitrary<LogCall> = fc.oneof(
  activityType.chain((type) => canonicalFor(type).map((subject) => ({ type, subject, form: 'valid' as const }))),
  fc
    .tuple(activityType, fc.nat({ max: NEAR.length - 1 }))
    .chain(([type, n]) => canonicalFor(type).map((s) => ({ type, subject: (NEAR[n] as (s: string) => string)(s), form: 'near' as const }))),
  // Another type's canonical subject: a lesson subject for a course fact, a course id for a badge, …
  fc.tuple(activityType, activityType).chain(([type, other]) =>
    canonicalFor(other).map((subject) => ({ type, subject, form: type === other || sameShape(type, other) ? ('valid' as const) : ('near' as const) })),
  ),
  fc.tuple(activityType, fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' })).map(([type, subject]) => ({ type, subject, form: 'junk' as const })),
)
/**
 * A log call about a fact the learner holds when it runs (picked by `pick` among them), in its
 * canonical spelling or another (`spell`): the calls that could mint XP if a second spelling were taken.
 */
interface HeldCall {
  pick: number
  spell: number | null
}
const heldCall: fc.Arbitrary<HeldCall> = fc.record({ pick: fc.nat({ max: 1000 }), spell: fc.option(fc.nat({ max: NEAR.length - 1 }), { nil: null }) })

function heldFacts(f: Facts): { type: ActivityType; subject: string }[] {
  return [
    ...[...f.enrolled].map((subject) => ({ type: 'course_enrolled' as const, subject })),
    ...[...f.lessons].map((subject) => ({ type: 'lesson_completed' as const, subject })),
    ...[...f.passed].map((subject) => ({ type: 'pr_completed' as const, subject })),
    ...completedCourses(f).map((subject) => ({ type: 'course_completed' as const, subject })),
    ...modelOf(f).badges.map((subject) => ({ type: 'achievement_earned' as const, subject })),
  ]
}

/** The call a held-fact spec makes against `f` (with nothing held, a canonical call about nothing held). */
function resolveHeld(spec: HeldCall, f: Facts): LogCall {
  const held = heldFacts(f)
  const fact = held[spec.pick % Math.max(1, held.length)] ?? { type: 'course_enrolled' as const, subject: 'git-essentials' }
  if (spec.spell === null) return { ...fact, form: 'valid' }
  return { type: fact.type, subject: (NEAR[spec.spell] as (s: string) => string)(fact.subject), form: 'near' }
}

/** Course facts share one subject form (a course id). */
function sameShape(a: ActivityType, b: ActivityType): boolean {
  const course = (t: ActivityType) => t === 'course_enrolled' || t === 'pr_completed' || t === 'course_completed'
  return course(a) && course(b)
}

// ---- operations ----

type Op =
  | { kind: 'complete'; lesson: string }
  | { kind: 'completeCourse'; course: string }
  | { kind: 'enroll'; course: string }
  | { kind: 'attempt'; course: string; pass: boolean }
  | { kind: 'log'; call: LogCall | HeldCall }
  | { kind: 'serverLog'; call: LogCall | HeldCall }
  | { kind: 'serverAward'; key: string }
  | { kind: 'sync' }

const courseId = fc.constantFrom(...COURSE_IDS)
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: lessonSubject.map((lesson) => ({ kind: 'complete' as const, lesson })) },
  { weight: 1, arbitrary: courseId.map((course) => ({ kind: 'completeCourse' as const, course })) },
  { weight: 1, arbitrary: courseId.map((course) => ({ kind: 'enroll' as const, course })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('attempt' as const), course: courseId, pass: fc.boolean() }) },
  { weight: 5, arbitrary: fc.oneof(logCall, heldCall).map((call) => ({ kind: 'log' as const, call })) },
  { weight: 3, arbitrary: fc.oneof(logCall, heldCall).map((call) => ({ kind: 'serverLog' as const, call })) },
  { weight: 1, arbitrary: fc.constantFrom(...CHECKED_BADGES).map((key) => ({ kind: 'serverAward' as const, key })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sync' as const }) },
)

/** The code a refused call must answer with, or null where it must succeed (and change nothing). */
function expectedAnswer(call: LogCall, f: Facts): 'INVALID' | 'CONFLICT' | 'INVALID or CONFLICT' | null {
  if (call.form === 'near') return 'INVALID'
  // A junk string may, however unlikely, be a canonical subject: then it is judged as one.
  if (holds(f, call.type, call.subject)) return null
  return call.form === 'junk' ? 'INVALID or CONFLICT' : 'CONFLICT'
}

let server: TestServer
let serverDb: Client
beforeAll(async () => {
  const catalog = await loadCatalog(COURSES_DIR)
  allLessons = Object.fromEntries(COURSE_IDS.map((c) => [c, catalog.require(c).lessons.map((l) => l.id)]))
  server = await startServer({ env: { RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_EMAIL: '1000000' } })
  serverDb = createClient({ url: `file:${join(server.dir, 'server.db')}` })
})
afterAll(async () => {
  serverDb?.close()
  await server?.stop()
})

/** XP, badges and the activity rows of each type: one row per fact, whatever was logged. */
interface Held {
  xp: number
  badges: string[]
  activities: Record<string, number>
}

function expected(f: Facts): Held {
  const { xp, badges } = modelOf(f)
  const activities: Record<string, number> = {
    course_enrolled: f.enrolled.size,
    lesson_completed: f.lessons.size,
    pr_completed: f.passed.size,
    course_completed: completedCourses(f).length,
    achievement_earned: badges.length,
  }
  return { xp, badges, activities: Object.fromEntries(Object.entries(activities).filter(([, n]) => n > 0)) }
}

type Rows = { rows: Record<string, unknown>[] }
function held(xp: number, badges: Rows, activities: Rows): Held {
  return {
    xp,
    badges: badges.rows.map((r) => String(r.achievement_key)),
    activities: Object.fromEntries(activities.rows.map((r) => [String(r.activity_type), Number(r.n)])),
  }
}

async function onTheServer(userId: string): Promise<Held> {
  const q = (sql: string) => serverDb.execute({ sql, args: [userId] })
  const [profile] = (await q('SELECT xp FROM user_profiles WHERE user_id = ?')).rows
  return held(
    Number(profile?.xp ?? 0),
    await q('SELECT achievement_key FROM user_achievements WHERE user_id = ? ORDER BY achievement_key'),
    await q('SELECT activity_type, COUNT(*) AS n FROM user_activities WHERE user_id = ? GROUP BY activity_type'),
  )
}

async function onTheDevice(d: Device): Promise<Held> {
  const q = (sql: string) => d.core.db.client.execute(sql)
  return held(
    (await d.core.services.stats.get()).xp,
    await q('SELECT achievement_key FROM user_achievements ORDER BY achievement_key'),
    await q('SELECT activity_type, COUNT(*) AS n FROM user_activities GROUP BY activity_type'),
  )
}

let run = 0

it(`${RUNS} random histories with forged activity logs: XP is the table over the facts, on the device and the server`, { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
      const clock = fakeClock('2026-06-01T09:00:00Z')
      const email = `xp-${process.pid}-${run++}@example.com`
      const device = await openDevice(server, clock)
      try {
        await device.signIn(email)
        const hostile = await signIn(server, email)
        const userId = hostile.user.id
        const clientId = `hostile-${process.pid}-${run}`
        let mutationId = 0
        const facts = noFacts()
        let onServer = noFacts()
        const s = device.core.services
        const course = (id: string) => device.core.catalog.require(id)

        for (const [i, o] of ops.entries()) {
          clock.advance(5)
          let what = `op ${i} ${JSON.stringify(o)}`
          switch (o.kind) {
            case 'complete': {
              const [course = '', lesson = ''] = o.lesson.split('/')
              await s.courses.updateProgress({ courseId: course, lessonId: lesson, action: 'complete' })
              facts.enrolled.add(course)
              facts.lessons.add(o.lesson)
              break
            }
            case 'completeCourse':
              for (const lesson of allLessons[o.course] ?? []) {
                await s.courses.updateProgress({ courseId: o.course, lessonId: lesson, action: 'complete' })
                facts.lessons.add(`${o.course}/${lesson}`)
              }
              facts.enrolled.add(o.course)
              break
            case 'enroll':
              await s.courses.enroll({ courseId: o.course })
              facts.enrolled.add(o.course)
              break
            case 'attempt': {
              const attempt = await s.pressureRoom.start({ courseId: o.course })
              const ids = attempt.questions.map((q) => q.id)
              const answers = o.pass ? answersFor(course(o.course), ids, ids.length, attempt.seed) : {}
              await s.pressureRoom.submit({ attemptId: attempt.attemptId, answers })
              facts.enrolled.add(o.course)
              if (o.pass) facts.passed.add(o.course)
              break
            }
            case 'log': {
              const outbox = await rowCount(device.core, 'outbox')
              const c = 'pick' in o.call ? resolveHeld(o.call, facts) : o.call
              what += ` ${JSON.stringify(c)}`
              const answer = expectedAnswer(c, facts)
              const error = await s.activities.log({ type: c.type, subject: c.subject }).then(
                () => null,
                (e: unknown) => e,
              )
              if (answer === null) expect(error, what).toBeNull()
              else {
                expect(error, what).toBeInstanceOf(AppError)
                expect(answer, what).toContain((error as AppError).code)
              }
              expect(await rowCount(device.core, 'outbox'), `${what}: outbox`).toBe(outbox)
              break
            }
            case 'serverLog': {
              const c = 'pick' in o.call ? resolveHeld(o.call, onServer) : o.call
              what += ` ${JSON.stringify(c)}`
              const answer = expectedAnswer(c, onServer)
              const mutation = { id: ++mutationId, name: 'activity.log', args: { type: c.type, subject: c.subject, at: Math.floor(clock.now() / 1000), tz: 'UTC' }, createdAt: Math.floor(clock.now() / 1000) }
              const reply = await call<{ error?: { code: string } }>(server, 'POST', '/v1/sync/push', { token: hostile.token, json: { clientId, mutations: [mutation] } })
              if (answer === null) expect(reply.status, what).toBe(200)
              else expect({ status: reply.status, code: reply.body.error?.code }, what).toEqual({ status: 400, code: 'MUTATION_REJECTED' })
              expect(await onTheServer(userId), `${what}: server`).toEqual(expected(onServer))
              break
            }
            case 'serverAward': {
              // A hostile client awards a badge: taken only when it is earned (then it changes nothing).
              const at = Math.floor(clock.now() / 1000)
              const mutation = { id: ++mutationId, name: 'achievement.award', args: { key: o.key, at, tz: 'UTC' }, createdAt: at }
              const reply = await call<{ error?: { code: string } }>(server, 'POST', '/v1/sync/push', { token: hostile.token, json: { clientId, mutations: [mutation] } })
              if (modelOf(onServer).badges.includes(o.key)) expect(reply.status, what).toBe(200)
              else expect({ status: reply.status, code: reply.body.error?.code }, what).toEqual({ status: 400, code: 'MUTATION_REJECTED' })
              expect(await onTheServer(userId), `${what}: server`).toEqual(expected(onServer))
              break
            }
            case 'sync':
              await device.sync()
              onServer = copyFacts(facts)
              expect(await onTheServer(userId), `${what}: server`).toEqual(expected(onServer))
              break
          }
          expect(await onTheDevice(device), `${what}: device`).toEqual(expected(facts))
        }
        await device.sync()
        expect(await onTheServer(userId), 'server after the last sync').toEqual(expected(facts))
        expect(await onTheDevice(device), 'device after the last sync').toEqual(expected(facts))
      } finally {
        device.close()
        await rm(device.dataDir, { recursive: true, force: true })
      }
    }),
    { numRuns: RUNS },
  )
})
