/**
 * The sync client checks the shape of every answer before it writes anything: a malformed or hostile
 * server answer is a typed error, the local database is left as it was, and a later good answer syncs
 * normally. The server here is the test's own HTTP server, so it can answer anything.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../electron/core/core'
import { syncTableShape } from '../../electron/core/sync/protocol'
import { createFileTokenStore } from '../../electron/core/sync/token-store'
import { fakeClock } from '../helpers/clock'
import { tempDir } from '../helpers/core'
import { snapshot } from '../helpers/db'
import { expectAppError } from '../helpers/errors'
import { COURSES_DIR, MIGRATIONS_DIR } from '../helpers/paths'

const NEVER = 2_000_000_000
const USER = { id: randomUUID(), email: 'hostile@example.com', name: null }
const TOKEN = 'a'.repeat(43)

/** What the server answers next, per path; an empty queue answers 503 so a run always ends. */
const answers: Record<string, string[]> = { '/v1/auth/email/verify': [], '/v1/sync/push': [], '/v1/sync/pull': [] }
let server: Server
let core: Core

function listen(): Promise<string> {
  server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      const path = req.url ?? ''
      if (path === '/v1/auth/email/start') return void res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}')
      if (path === '/v1/auth/signout') return void res.writeHead(204).end()
      const next = answers[path]?.shift()
      if (next !== undefined) return void res.writeHead(200, { 'content-type': 'application/json' }).end(next)
      // The default push answer acknowledges what was sent, as a real server would.
      if (path === '/v1/sync/push') {
        const ids = (JSON.parse(body) as { mutations: { id: number }[] }).mutations.map((m) => m.id)
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ lastMutationId: Math.max(0, ...ids) }))
      }
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"UNAVAILABLE","message":"nothing queued"}}')
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)))
}

const ACTIVITY_COLUMNS = syncTableShape('user_activities').columns.map((c) => c.field)
/** A user_activities row of the learner, in ACTIVITY_COLUMNS order. */
function activityRow(id: string): unknown[] {
  const values: Record<string, unknown> = { id, userId: USER.id, activityType: 'course_enrolled', description: 'Enrolled', metadata: '{}', createdAt: 1_780_000_000, localDay: '2026-05-28' }
  return ACTIVITY_COLUMNS.map((c) => values[c] ?? null)
}
const page = (changes: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ cursor: 'c1', lastMutationId: 0, changes, hasMore: false, ...extra })
const activities = (rows: unknown[][], columns: string[] = ACTIVITY_COLUMNS) => [{ table: 'user_activities', columns, rows }]

beforeAll(async () => {
  const url = await listen()
  const dir = await tempDir('pathwise-hostile-')
  core = await openCore({
    dataDir: dir,
    coursesDir: COURSES_DIR,
    migrationsDir: MIGRATIONS_DIR,
    clock: fakeClock('2026-05-28T10:00:00Z'),
    timezone: 'UTC',
    sync: { serverUrl: url, tokens: createFileTokenStore(join(dir, 'token')), timings: { debounceMs: NEVER, periodMs: NEVER, backoffBaseMs: NEVER, backoffMaxMs: NEVER } },
  })
  await core.services.courses.enroll({ courseId: 'git-essentials' })
})
afterAll(async () => {
  await core?.sync?.idle()
  core?.close()
  await new Promise((resolve) => server?.close(resolve))
})

/** Bodies no sync server of ours sends: each must be refused before anything is written. */
const HOSTILE_PULLS: [string, string][] = [
  ['a row too short', page(activities([activityRow(randomUUID()).slice(1)]))],
  ['a row too long', page(activities([[...activityRow(randomUUID()), 'x']]))],
  ['a row that is not an array', page(activities([{ id: 'x' } as unknown as unknown[]]))],
  ['a value that is an object', page(activities([activityRow(randomUUID()).map((v, i) => (i === 2 ? { toString: 1 } : v))]))],
  ['the same table twice', page([...activities([activityRow(randomUUID())]), ...activities([activityRow(randomUUID())])])],
  ['the same column twice', page(activities([[...activityRow(randomUUID()), USER.id]], [...ACTIVITY_COLUMNS, 'userId']))],
  ['a __proto__ column', `{"cursor":"c1","lastMutationId":0,"changes":[{"table":"user_activities","columns":${JSON.stringify([...ACTIVITY_COLUMNS, '__proto__'])},"rows":[${JSON.stringify([...activityRow(randomUUID()), 'x'])}]}],"hasMore":false}`],
  ['a __proto__ key in a table entry', `{"cursor":"c1","lastMutationId":0,"changes":[{"table":"user_activities","__proto__":{"table":"sessions"},"columns":${JSON.stringify(ACTIVITY_COLUMNS)},"rows":[]}],"hasMore":false}`],
  ['a huge lastMutationId', '{"cursor":"c1","lastMutationId":1e400,"changes":[],"hasMore":false}'],
  ['an unsafe lastMutationId', '{"cursor":"c1","lastMutationId":9007199254740993,"changes":[],"hasMore":false}'],
  ['a negative lastMutationId', page([], { lastMutationId: -1 })],
  ['a fractional lastMutationId', page([], { lastMutationId: 1.5 })],
  ['a lastMutationId as text', page([], { lastMutationId: '3' })],
  ['a cursor that is a number', page([], { cursor: 7 })],
  ['a cursor longer than a pull may send back', page([], { cursor: 'c'.repeat(513) })],
  ['hasMore as text', page([], { hasMore: 'no' })],
  ['changes as an object', page({ user_activities: [] })],
  ['rows as text', page([{ table: 'user_activities', columns: ACTIVITY_COLUMNS, rows: 'x' }])],
  ['a missing field', JSON.stringify({ cursor: 'c1', changes: [], hasMore: false })],
  ['an array', '[]'],
  ['a string', '"up to date"'],
]

describe('answers from the sync server', () => {
  it('a good first answer signs in and syncs', async () => {
    answers['/v1/auth/email/verify']?.push(JSON.stringify({ token: TOKEN, user: USER }))
    answers['/v1/sync/pull']?.push(page([], { cursor: 'c0' }))
    await core.services.account.start({ email: USER.email })
    await core.services.account.verify({ email: USER.email, code: '123456' })
    await core.sync?.idle()
    expect(core.sync?.status()).toMatchObject({ state: 'up-to-date', email: USER.email, pending: 0 })
  })

  it.each(HOSTILE_PULLS)('a pull answer with %s is a typed error and writes nothing', async (_, body) => {
    const before = await snapshot(core)
    answers['/v1/sync/pull']?.push(body)
    await core.services.account.syncNow()
    expect(answers['/v1/sync/pull']).toEqual([]) // it was asked for and answered
    expect(core.sync?.status()).toMatchObject({ state: 'error', lastError: expect.stringMatching(/^The sync server sent an answer this app cannot read/) })
    // The learner reads our words only, never names the answer chose.
    expect(core.sync?.status().lastError).not.toMatch(/isAdmin|sessions|__proto__/)
    expect(await snapshot(core)).toBe(before)
  })

  it('a malformed push answer is a typed error and acknowledges nothing', async () => {
    await core.services.courses.enroll({ courseId: 'typescript-basics' })
    for (const body of ['{"lastMutationId":1e400}', '{"lastMutationId":"99"}', '{"lastMutationId":-5}', '{}', '[]']) {
      const before = await snapshot(core)
      answers['/v1/sync/push']?.push(body)
      await core.services.account.syncNow()
      expect(core.sync?.status()).toMatchObject({ state: 'error', pending: 1, lastError: expect.stringMatching(/cannot read/) })
      expect(await snapshot(core)).toBe(before)
    }
  })

  it('tables and columns this app does not know (a newer server may send more) are left out: the known rows are written, nothing else', async () => {
    const known = randomUUID()
    const withColumn = randomUUID()
    answers['/v1/sync/pull']?.push(
      page(
        [
          ...activities([activityRow(known)]),
          { table: 'sessions', columns: ['id', 'userId'], rows: [['s', USER.id]] },
          { table: '__proto__', columns: [], rows: [] },
        ],
        { cursor: 'c-newer-1' },
      ),
      page([{ table: 'user_activities', columns: [...ACTIVITY_COLUMNS, 'isAdmin'], rows: [[...activityRow(withColumn), 'x']] }], { cursor: 'c-newer-2' }),
    )
    for (let i = 0; i < 2; i++) await core.services.account.syncNow()
    expect(answers['/v1/sync/pull']).toEqual([])
    expect(core.sync?.status()).toMatchObject({ state: 'up-to-date', lastError: null })
    const ids = (await core.services.activities.list({ limit: 100 })).items.map((i) => i.id)
    expect(ids).toEqual(expect.arrayContaining([known, withColumn]))
    // The device has a sessions table of its own (the shared schema); the pulled row is not in it.
    expect((await core.db.client.execute("SELECT COUNT(*) AS n FROM sessions WHERE id = 's'")).rows[0]?.n).toBe(0)
    expect((await core.db.client.execute("SELECT COUNT(*) AS n FROM pragma_table_info('user_activities') WHERE name = 'isAdmin'")).rows[0]?.n).toBe(0)
  })

  it('after the hostile answers, a good answer syncs normally', async () => {
    const id = randomUUID()
    answers['/v1/sync/pull']?.push(page(activities([activityRow(id)]), { cursor: 'c2' }))
    await core.services.account.syncNow()
    expect(core.sync?.status()).toMatchObject({ state: 'up-to-date', pending: 0, lastError: null })
    expect((await core.services.activities.list({ limit: 100 })).items.map((i) => i.id)).toContain(id)
  })

  it('a malformed sign-in answer is a typed error and signs nothing in', async () => {
    await core.services.account.signOut()
    const before = await snapshot(core)
    for (const body of [JSON.stringify({ token: TOKEN, user: { ...USER, id: { $gt: '' } } }), JSON.stringify({ token: 5, user: USER }), JSON.stringify({ token: TOKEN }), '{"__proto__":{"token":"x"}}']) {
      answers['/v1/auth/email/verify']?.push(body)
      await expectAppError(core.services.account.verify({ email: USER.email, code: '123456' }), 'UNAVAILABLE')
      expect(await snapshot(core)).toBe(before)
      expect(core.sync?.status()).toMatchObject({ state: 'signed-out' })
    }
  })
})
