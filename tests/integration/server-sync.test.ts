/** Push and pull against the real sync server process, with real mutations over real course packs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatHlc } from '../../electron/core/domain/hlc'
import { MAX_PUSH_BATCH, rowsOf, type Change, type PullAnswer, type SyncUser } from '../../electron/core/sync/protocol'
import { call, signIn, startServer, type TestServer } from '../helpers/server'
import { XP } from '../helpers/xp-model'

type ErrorReply = { error: { code: string; message: string; mutationId?: number }; lastMutationId?: number }
type Row = Record<string, unknown>

const COURSE = 'sql-fundamentals'
const [LESSON_1, LESSON_2, LESSON_3] = ['relational-databases', 'select-where', 'sorting-limit-distinct']
const T0 = 1_750_000_000
const tz = 'UTC'

let nextId = 1
const mutation = (name: string, args: unknown, id = nextId++) => ({ id, name, args, createdAt: T0 })
const enroll = (at = T0) => ({ courseId: COURSE, at, tz })
const complete = (lessonId: string, at = T0 + 60) => ({ courseId: COURSE, lessonId, at, tz })
const addTime = (lessonId: string, seconds: number, at = T0 + 30) => ({ courseId: COURSE, lessonId, seconds, at, tz })
const attempt = (attemptId: string, answers: Record<string, number>) => ({
  attemptId,
  courseId: COURSE,
  seed: 7,
  answers,
  startedAt: T0 + 100,
  deadline: T0 + 1000,
  at: T0 + 200,
  tz,
})

/** The first changes a learner's laptop pushes: an enrollment, a completed lesson and time on two lessons. */
const firstChanges = () => [
  mutation('course.enroll', enroll(), 1),
  mutation('lesson.complete', complete(LESSON_1), 2),
  mutation('lesson.addTime', addTime(LESSON_1, 120), 3),
  mutation('lesson.addTime', addTime(LESSON_2, 45), 4),
]

type Learner = { token: string; user: SyncUser; device(kind: string): string }

describe('sync server push and pull', () => {
  let server: TestServer

  const push = (token: string, clientId: string, mutations: unknown[]) =>
    call<ErrorReply & { lastMutationId: number }>(server, 'POST', '/v1/sync/push', { token, json: { clientId, mutations } })

  const pullPage = (token: string, clientId: string, cursor: string | null) =>
    call<PullAnswer & ErrorReply>(server, 'POST', '/v1/sync/pull', { token, json: { clientId, cursor } })

  /** Pulls every page from `cursor`; returns the changes in order, the pages and the final cursor. */
  async function pullAll(token: string, clientId: string, cursor: string | null = null) {
    const changes: Change[] = []
    const pages: PullAnswer[] = []
    for (;;) {
      const reply = await pullPage(token, clientId, cursor)
      expect(reply.status).toBe(200)
      pages.push(reply.body)
      changes.push(...rowsOf(reply.body.changes))
      cursor = reply.body.cursor
      if (!reply.body.hasMore) break
      expect(pages.length).toBeLessThan(1000)
    }
    return { changes, pages, cursor: cursor as string, lastMutationId: pages.at(-1)?.lastMutationId }
  }

  /** The latest state of each row, as a client applying the pages in order would end up with. */
  async function state(token: string, clientId = 'state-reader') {
    const rows = new Map<string, { table: string; row: Row }>()
    for (const c of (await pullAll(token, clientId)).changes) rows.set(`${c.table}/${String(c.row.id ?? c.row.userId)}`, c)
    const all = [...rows.values()]
    const of = (table: string) => all.filter((c) => c.table === table).map((c) => c.row)
    const lesson = (lessonId: string) => of('lesson_progress').find((r) => r.lessonId === lessonId)
    return { all, of, lesson, profile: of('user_profiles')[0] as Row }
  }

  let learners = 0
  /** A learner of the test's own, with device ids only they use: no test depends on what another left. */
  async function learner(name: string): Promise<Learner> {
    const tag = `${name}-${++learners}`
    return { ...(await signIn(server, `${tag}@example.com`)), device: (kind) => `${tag}-${kind}` }
  }

  /** A learner whose laptop has pushed firstChanges (mutations 1–4). */
  async function learnerWithFirstChanges(name: string): Promise<Learner> {
    const l = await learner(name)
    const reply = await push(l.token, l.device('laptop'), firstChanges())
    expect(reply.body).toEqual({ lastMutationId: 4 })
    return l
  }

  beforeAll(async () => {
    // A small page so that every pull below pages through the cursor.
    server = await startServer({ env: { RATE_LIMIT_PER_IP: '10000', PULL_PAGE_SIZE: '4' } })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('applies pushed mutations and pull returns the learner’s rows', async () => {
    const a = await learner('ada')
    const reply = await push(a.token, a.device('laptop'), firstChanges())
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({ lastMutationId: 4 })

    const s = await state(a.token)
    expect(s.lesson(LESSON_1)).toMatchObject({ userId: a.user.id, completed: 1, completedAt: T0 + 60, timeSpent: 120 })
    expect(s.lesson(LESSON_2)).toMatchObject({ completed: 0, timeSpent: 45 })
    expect(s.of('course_enrollments')).toEqual([expect.objectContaining({ courseId: COURSE, enrolledAt: T0, status: 'in_progress' })])
    expect(s.of('user_activities').map((r) => r.activityType)).toEqual(expect.arrayContaining(['course_enrolled', 'lesson_completed']))
    expect(s.profile).toMatchObject({ userId: a.user.id })
    // The lesson, and the two badges it and the enrollment earned (First Step, Curious Mind).
    expect(s.profile.xp).toBe(XP.courseEnrolled + XP.lessonCompleted + 2 * XP.badgeEarned)
    // Rows come as drizzle selects them: camelCase fields.
    expect(Object.keys(s.lesson(LESSON_1) ?? {})).toEqual(expect.arrayContaining(['courseId', 'lessonId', 'timeSpent', 'completedAt']))

    const pulled = await pullPage(a.token, a.device('laptop'), null)
    expect(pulled.body.lastMutationId).toBe(4)
    expect((await pullPage(a.token, a.device('brand-new'), null)).body.lastMutationId).toBe(0)
  })

  it('pushing the same batch again applies nothing twice', async () => {
    const a = await learnerWithFirstChanges('ada')
    const before = await state(a.token)
    const again = await push(a.token, a.device('laptop'), firstChanges())
    expect(again.body).toEqual({ lastMutationId: 4 })
    const after = await state(a.token)
    expect(after.lesson(LESSON_1)?.timeSpent).toBe(120)
    expect(after.lesson(LESSON_2)?.timeSpent).toBe(45)
    expect(after.profile.xp).toBe(before.profile.xp)
    expect(after.all.length).toBe(before.all.length)

    // An overlapping batch applies only what is new.
    const overlap = await push(a.token, a.device('laptop'), [mutation('lesson.addTime', addTime(LESSON_2, 45), 4), mutation('lesson.addTime', addTime(LESSON_2, 15), 5)])
    expect(overlap.body).toEqual({ lastMutationId: 5 })
    expect((await state(a.token)).lesson(LESSON_2)?.timeSpent).toBe(60)

    // The same ids from another device of the same learner are that device's own mutations.
    const otherDevice = await push(a.token, a.device('desktop'), [mutation('lesson.addTime', addTime(LESSON_2, 10), 1)])
    expect(otherDevice.body).toEqual({ lastMutationId: 1 })
    expect((await state(a.token)).lesson(LESSON_2)?.timeSpent).toBe(70)
  })

  it('pages through every changed row exactly once, and the cursor resumes after them', async () => {
    const a = await learnerWithFirstChanges('ada')
    const { changes, pages, cursor } = await pullAll(a.token, a.device('laptop'))
    expect(pages.length).toBeGreaterThan(2)
    for (const page of pages) expect(rowsOf(page.changes).length).toBeLessThanOrEqual(4)
    expect(pages.slice(0, -1).every((p) => p.hasMore)).toBe(true)
    const keys = changes.map((c) => `${c.table}/${String(c.row.id ?? c.row.userId)}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect(keys).toContain(`users/${a.user.id}`)

    // Nothing new: the cursor is at the end.
    const idle = await pullPage(a.token, a.device('laptop'), cursor)
    expect(idle.body).toMatchObject({ changes: [], hasMore: false, cursor })

    // One more change: only the rows it touched come back.
    await push(a.token, a.device('laptop'), [mutation('lesson.addTime', addTime(LESSON_3, 30), 5)])
    const delta = await pullAll(a.token, a.device('laptop'), cursor)
    const tables = new Set(delta.changes.map((c) => c.table))
    expect(delta.changes.find((c) => c.table === 'lesson_progress')?.row).toMatchObject({ lessonId: LESSON_3, timeSpent: 30 })
    expect(tables.has('users')).toBe(false)
    expect(delta.changes.some((c) => c.table === 'lesson_progress' && c.row.lessonId === LESSON_1)).toBe(false)
    expect(delta.lastMutationId).toBe(5)
  })

  it('a change made while a client pages through is still delivered', async () => {
    const a = await learnerWithFirstChanges('ada')
    const first = await pullPage(a.token, a.device('laptop'), null)
    expect(first.body.hasMore).toBe(true)
    await push(a.token, a.device('laptop'), [mutation('lesson.addTime', addTime(LESSON_1, 5), 5)])
    const rest = await pullAll(a.token, a.device('laptop'), first.body.cursor)
    const latest = [...rowsOf(first.body.changes), ...rest.changes].filter((c) => c.table === 'lesson_progress' && c.row.lessonId === LESSON_1).at(-1)
    expect(latest?.row.timeSpent).toBe(125)
  })

  it('a rejected mutation stops the batch: the ones before it stay applied, the ones after it do not run', async () => {
    const a = await learner('ada')
    const unknown = await push(a.token, a.device('tablet'), [
      mutation('lesson.addTime', addTime(LESSON_3, 11), 1),
      mutation('lesson.explode', { courseId: COURSE }, 2),
      mutation('lesson.addTime', addTime(LESSON_3, 13), 3),
    ])
    expect(unknown.status).toBe(400)
    expect(unknown.body.error).toMatchObject({ code: 'MUTATION_REJECTED', mutationId: 2 })
    expect(unknown.body.error.message).toContain('lesson.explode #2')
    expect(unknown.body.lastMutationId).toBe(1)
    expect((await state(a.token)).lesson(LESSON_3)?.timeSpent).toBe(11)

    const badArgs = await push(a.token, a.device('tablet'), [mutation('lesson.complete', { courseId: COURSE, at: T0, tz }, 2), mutation('lesson.addTime', addTime(LESSON_3, 13), 3)])
    expect(badArgs.status).toBe(400)
    expect(badArgs.body.error.message).toMatch(/^lesson\.complete #2: .*lessonId/)
    expect(badArgs.body.lastMutationId).toBe(1)

    const unknownLesson = await push(a.token, a.device('tablet'), [mutation('lesson.complete', complete('no-such-lesson'), 2)])
    expect(unknownLesson.status).toBe(400)
    expect(unknownLesson.body.error.message).toContain('lesson.complete #2')
    expect(unknownLesson.body.error.message).toContain('no-such-lesson')

    const s = await state(a.token)
    expect(s.lesson(LESSON_3)?.timeSpent).toBe(11)
    expect(s.lesson('no-such-lesson')).toBeUndefined()
    expect((await pullPage(a.token, a.device('tablet'), null)).body.lastMutationId).toBe(1)
  })

  it('pushes that arrive together are committed together, and one that is refused or repeated changes only itself', async () => {
    // The server applies the pushes waiting for the database in one transaction (group commit).
    const group = await Promise.all(Array.from({ length: 6 }, () => learner('group')))
    const batch = (seconds: number) => [mutation('course.enroll', enroll(), 1), mutation('lesson.addTime', addTime(LESSON_1, seconds), 2)]
    const refusedBatch = [
      mutation('course.enroll', enroll(), 1),
      mutation('lesson.addTime', addTime(LESSON_1, 7), 2),
      mutation('lesson.complete', complete('no-such-lesson'), 3),
      mutation('lesson.addTime', addTime(LESSON_1, 1000), 4),
    ]
    const [refusedLearner, repeatedLearner, ...others] = group as [Learner, Learner, ...Learner[]]
    const replies = await Promise.all([
      push(refusedLearner.token, refusedLearner.device('laptop'), refusedBatch),
      // The same batch twice at once, as a client retrying a push it thinks was lost.
      push(repeatedLearner.token, repeatedLearner.device('laptop'), batch(20)),
      push(repeatedLearner.token, repeatedLearner.device('laptop'), batch(20)),
      ...others.map((l, i) => push(l.token, l.device('laptop'), batch(10 + i))),
    ])
    const [refused, repeatedFirst, repeatedSecond, ...rest] = replies as [(typeof replies)[number], ...typeof replies]

    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({ error: { code: 'MUTATION_REJECTED', mutationId: 3 }, lastMutationId: 2 })
    expect((await state(refusedLearner.token)).lesson(LESSON_1)?.timeSpent).toBe(7)

    expect([repeatedFirst?.body, repeatedSecond?.body]).toEqual([{ lastMutationId: 2 }, { lastMutationId: 2 }])
    expect((await state(repeatedLearner.token)).lesson(LESSON_1)?.timeSpent).toBe(20)

    for (const [i, reply] of rest.entries()) {
      expect(reply.body).toEqual({ lastMutationId: 2 })
      expect((await state((others[i] as Learner).token)).lesson(LESSON_1)?.timeSpent).toBe(10 + i)
    }
  })

  it('one learner can neither read nor change another learner’s rows', async () => {
    const a = await learnerWithFirstChanges('ada')
    const b = await learner('bob')
    const bobs = await push(b.token, b.device('laptop'), [
      mutation('course.enroll', enroll(), 1),
      mutation('lesson.complete', complete(LESSON_1), 2),
      mutation('pressureRoom.recordAttempt', attempt('bob-attempt-1', { 'pr-q01': 1, 'pr-q02': 2, 'pr-q03': 0 }), 3),
    ])
    expect(bobs.body).toEqual({ lastMutationId: 3 })
    const bobBefore = await state(b.token, b.device('laptop'))
    const bobAttempt = bobBefore.of('pressure_room_attempts')[0]
    expect(bobAttempt).toMatchObject({ id: 'bob-attempt-1', userId: b.user.id })

    // A user id smuggled into the arguments is refused by the strict argument schemas.
    for (const [name, args] of [
      ['lesson.complete', { ...complete(LESSON_2), userId: b.user.id }],
      ['course.enroll', { ...enroll(), user_id: b.user.id }],
    ] as const) {
      const smuggled = await push(a.token, a.device('laptop'), [mutation(name, args, 5)])
      expect(smuggled.status).toBe(400)
      expect(smuggled.body.error.code).toBe('MUTATION_REJECTED')
      expect(smuggled.body.error.message).toMatch(/user_?[iI]d/)
    }

    // A profile edit from Ada changes Ada only.
    const hlc = formatHlc({ ms: (T0 + 300) * 1000, counter: 0, node: a.device('laptop') })
    const renamed = await push(a.token, a.device('laptop'), [mutation('profile.update', { patch: { name: 'Ada' }, hlc, at: T0 + 300, tz }, 5)])
    expect(renamed.body).toEqual({ lastMutationId: 5 })
    expect((await state(a.token)).of('users')[0]).toMatchObject({ id: a.user.id, name: 'Ada' })

    const bobAfter = await state(b.token, b.device('laptop'))
    expect(bobAfter.of('pressure_room_attempts')).toEqual([bobAttempt])
    expect(bobAfter.all).toEqual(bobBefore.all)
    expect(bobAfter.of('users')[0]).toMatchObject({ id: b.user.id, name: null })

    // Nothing Ada pulls, from any cursor, is Bob's.
    const adas = (await pullAll(a.token, a.device('laptop'))).changes
    const bobCursor = (await pullAll(b.token, b.device('laptop'))).pages[0]?.cursor ?? null
    const fromBobsCursor = (await pullAll(a.token, a.device('laptop'), bobCursor)).changes
    const bobIds = new Set(bobAfter.all.map((c) => String(c.row.id ?? c.row.userId)))
    for (const change of [...adas, ...fromBobsCursor]) {
      const owner = change.table === 'users' ? change.row.id : change.row.userId
      expect(owner).toBe(a.user.id)
      expect(bobIds.has(String(change.row.id ?? change.row.userId))).toBe(false)
    }
    expect(JSON.stringify(adas)).not.toContain(b.user.id)
  })

  // Another learner's attempt id or client id is answered as a new one (attempt-ids.test.ts).
  it('a client id is per learner: another learner’s is a new device to them, and Bob’s keeps working for Bob', async () => {
    const a = await learner('ada')
    const b = await learner('bob')
    await push(b.token, b.device('phone'), [])
    expect((await push(a.token, b.device('phone'), [mutation('lesson.addTime', addTime(LESSON_1, 30), 1)])).body).toEqual({ lastMutationId: 1 })
    expect((await pullPage(a.token, b.device('phone'), null)).body.lastMutationId).toBe(1)
    expect((await push(b.token, b.device('phone'), [mutation('lesson.addTime', addTime(LESSON_1, 30), 1)])).body).toEqual({ lastMutationId: 1 })
    expect((await state(b.token)).lesson(LESSON_1)?.timeSpent).toBe(30)
  })

  /**
   * The server answers 413 as soon as it sees the size and closes the connection; a client still sending
   * may then get EPIPE/ECONNRESET before it reads that answer. Try again until the answer is seen.
   */
  async function refusedEarly<T extends { status: number }>(send: () => Promise<T>): Promise<T> {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        return await send()
      } catch (error) {
        const code = (error as { cause?: { code?: string } }).cause?.code
        if (code !== 'EPIPE' && code !== 'ECONNRESET') throw error
      }
    }
    throw new Error('the server never answered the oversized request')
  }

  it('refuses malformed requests with a 4xx and stays up', async () => {
    const a = await learnerWithFirstChanges('ada')
    const b = await learner('bob')
    const laptop = a.device('laptop')
    const post = (path: string, options: Parameters<typeof call>[3]) => call<ErrorReply>(server, 'POST', path, { token: a.token, ...options })
    const cases: [string, Awaited<ReturnType<typeof post>>][] = [
      ['malformed JSON', await post('/v1/sync/push', { raw: `{"clientId": "${laptop}", "mutations": [`, headers: { 'content-type': 'application/json' } })],
      ['empty body', await post('/v1/sync/pull', { raw: '' })],
      ['wrong types', await post('/v1/sync/push', { json: { clientId: 42, mutations: 'all of them' } })],
      ['mutation id not a number', await post('/v1/sync/push', { json: { clientId: laptop, mutations: [{ id: '9', name: 'course.enroll', args: enroll(), createdAt: T0 }] } })],
      ['unknown field', await post('/v1/sync/push', { json: { clientId: laptop, mutations: [], userId: b.user.id } })],
      ['bad client id', await post('/v1/sync/pull', { json: { clientId: '../../etc', cursor: null } })],
      ['forged cursor', await post('/v1/sync/pull', { json: { clientId: laptop, cursor: 'bm90IGEgY3Vyc29y' } })],
      ['too many mutations', await post('/v1/sync/push', { json: { clientId: laptop, mutations: Array.from({ length: MAX_PUSH_BATCH + 1 }, (_, i) => mutation('course.enroll', enroll(), i + 1)) } })],
    ]
    for (const [what, reply] of cases) {
      expect(reply.status, what).toBe(400)
      expect(reply.body.error.code, what).toBe('INVALID')
      expect(JSON.stringify(reply.body), what).not.toMatch(/\bat .*\.ts:\d+/)
    }

    const huge = JSON.stringify({ clientId: laptop, mutations: [mutation('course.enroll', { courseId: 'x'.repeat(2 * 1024 * 1024), at: T0, tz })] })
    const tooLarge = await refusedEarly(() => post('/v1/sync/push', { raw: huge, headers: { 'content-type': 'application/json' } }))
    expect(tooLarge.status).toBe(413)
    expect(tooLarge.body.error.code).toBe('INVALID')

    // Without a Content-Length (chunked), the limit still holds. A new stream for each try: a retry
    // after a reset connection cannot send the one the first try already read.
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024))
    const chunkedBody = () => {
      let sent = 0
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 24) controller.enqueue(chunk)
          else controller.close()
        },
      })
    }
    expect((await refusedEarly(() => post('/v1/sync/push', { raw: chunkedBody() }))).status).toBe(413)

    expect((await call(server, 'GET', '/v1/nothing-here')).status).toBe(404)
    expect((await call<ErrorReply>(server, 'GET', '/v1/sync/push', { token: a.token })).body.error.code).toBe('NOT_FOUND')
    expect((await call(server, 'GET', '/healthz')).status).toBe(200)
    // And the learner's data is as it was.
    expect((await state(a.token)).lesson(LESSON_1)?.timeSpent).toBe(120)
  })
})
