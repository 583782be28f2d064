/**
 * Mutation arguments beyond the limits of electron/core/sync/args-limits.ts are refused with 400 before
 * they reach the push worker, and nothing is left behind: not in the server (it keeps answering the
 * same learner), not in the push thread (no push waits for an answer that will never come).
 */
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openServerDatabase, type ServerDb } from '../../server/db'
import type { Logger } from '../../server/log'
import { startPushThread, type PushThread } from '../../server/push-thread'
import { tempDir } from '../helpers/core'
import { COURSES_DIR, MIGRATIONS_DIR, ROOT } from '../helpers/paths'
import { call, signIn, startServer, type TestServer } from '../helpers/server'

const COURSE = 'sql-fundamentals'
const LESSON = 'relational-databases'
const T0 = 1_750_000_000
const DEPTH = 100_000
const addTime = (id: number) => ({ id, name: 'lesson.addTime', args: { courseId: COURSE, lessonId: LESSON, seconds: 5, at: T0, tz: 'UTC' }, createdAt: T0 })
/** A push body whose one mutation's arguments are `DEPTH` nested arrays, as JSON text. */
const deepBody = (clientId: string) =>
  `{"clientId":"${clientId}","mutations":[{"id":1,"name":"lesson.addTime","args":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)},"createdAt":${T0}}]}`

type Answer = { lastMutationId?: number; error?: { code: string; message: string; mutationId?: number } }

describe('mutation arguments beyond the limits, over HTTP', () => {
  let server: TestServer
  let token: string

  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_PER_IP: '10000' } })
    token = (await signIn(server, 'deep@example.com')).token
  })
  afterAll(async () => {
    await server?.stop()
  })

  it(`${DEPTH} nested levels answer 400, again and again, and the learner's next push is applied`, async () => {
    // More times than a learner may have pushes in flight: each refusal lets go of its place.
    for (let i = 0; i < 6; i++) {
      const reply = await call<Answer>(server, 'POST', '/v1/sync/push', { token, raw: deepBody('deep-device-1') })
      expect(reply.status).toBe(400)
      expect(reply.body.error).toMatchObject({ code: 'INVALID' })
      expect(reply.body.error?.message).toContain('nest deeper than 16 levels')
    }
    const next = await call<Answer>(server, 'POST', '/v1/sync/push', { token, json: { clientId: 'deep-device-1', mutations: [addTime(1)] } })
    expect(next).toMatchObject({ status: 200, body: { lastMutationId: 1 } })
    expect(server.stderr.join('\n')).not.toMatch(/RangeError|Maximum call stack/)
  })

  it('too many values or too much text in one mutation answer 400 and apply nothing of the push', async () => {
    const wide = { ...addTime(2), args: { ...addTime(2).args, extra: Array.from({ length: 5_000 }, () => 0) } }
    const long = { ...addTime(2), args: { ...addTime(2).args, extra: Array.from({ length: 3 }, () => 'x'.repeat(50_000)) } }
    for (const [tooBig, says] of [
      [wide, 'more than 4096 values'],
      [long, 'longer than 131072 characters'],
    ] as const) {
      const reply = await call<Answer>(server, 'POST', '/v1/sync/push', { token, json: { clientId: 'deep-device-2', mutations: [addTime(1), tooBig] } })
      expect(reply.status).toBe(400)
      expect(reply.body.error).toMatchObject({ code: 'INVALID' })
      expect(reply.body.error?.message).toContain(`mutation #2`)
      expect(reply.body.error?.message).toContain(says)
    }
    // Refused before anything ran: the device's first mutation is still to be applied.
    const pulled = await call<Answer>(server, 'POST', '/v1/sync/pull', { token, json: { clientId: 'deep-device-2', cursor: null } })
    expect(pulled.body.lastMutationId).toBe(0)
  })

  it('arguments within the limits reach the mutation schemas, which refuse what they do not know', async () => {
    let nested: unknown = 1
    for (let level = 0; level < 14; level++) nested = [nested] // with args and `extra`: 16 levels
    const reply = await call<Answer>(server, 'POST', '/v1/sync/push', {
      token,
      json: { clientId: 'deep-device-3', mutations: [{ ...addTime(1), args: { ...addTime(1).args, extra: nested } }] },
    })
    expect(reply.status).toBe(400)
    expect(reply.body.error).toMatchObject({ code: 'MUTATION_REJECTED', mutationId: 1 })
  })
})

describe('the push thread, handed arguments it cannot post', () => {
  let dir: string
  let db: ServerDb
  let thread: PushThread
  const log: Logger = { info: () => undefined, error: () => undefined }

  beforeAll(async () => {
    dir = await tempDir('pathwise-push-args-')
    const file = join(dir, 'server.db')
    db = await openServerDatabase({ url: `file:${file}`, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: join(ROOT, 'server/migrations') })
    thread = await startPushThread({ file, migrationsDir: MIGRATIONS_DIR, coursesDir: COURSES_DIR }, log)
  })
  afterAll(async () => {
    await thread?.close()
    db?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('refuses them with a 400 and keeps no pending push for them', async () => {
    // A learner as sign-in leaves one: a user and a profile.
    const userId = randomUUID()
    await db.client.execute({ sql: "INSERT INTO users (id, email, name) VALUES (?, 'deep@example.com', 'Deep')", args: [userId] })
    await db.client.execute({ sql: 'INSERT INTO user_profiles (user_id) VALUES (?)', args: [userId] })

    let args: unknown = []
    for (let level = 0; level < DEPTH; level++) args = [args]
    const device = randomUUID()
    for (let i = 0; i < 3; i++) {
      const refused = await thread.push(userId, { clientId: device, mutations: [{ id: 1, name: 'lesson.addTime', args, createdAt: T0 }] }).catch((e: unknown) => e)
      expect(refused).toMatchObject({ status: 400, code: 'INVALID' })
      expect(thread.pending()).toBe(0)
    }
    expect(await thread.push(userId, { clientId: device, mutations: [addTime(1)] })).toEqual({ lastMutationId: 1 })
    expect(thread.pending()).toBe(0)
  })
})
