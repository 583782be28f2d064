/**
 * Ids a device chooses (Pressure Room attempt ids, client ids) are scoped to the learner: pushing or
 * pulling with another learner's id is answered exactly as a new id would be, makes or reads only the
 * learner's own rows, and leaves the other learner's untouched. Every other synced row's id is derived
 * from the learner on the server. Against the real server process; the upgrade of an existing server
 * database over real files.
 */
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openServerDatabase } from '../../server/db'
import { rowsOf, type PullAnswer, type SyncUser } from '../../electron/core/sync/protocol'
import { tempDir } from '../helpers/core'
import { COURSES_DIR, MIGRATIONS_DIR, ROOT } from '../helpers/paths'
import { loadCatalog } from '../../electron/core/catalog/catalog'
import type { Response } from '../../electron/core/exercises/response'
import { drawnAnswers } from '../helpers/exercises'
import { call, signIn, startServer, type TestServer } from '../helpers/server'

const COURSE = 'sql-fundamentals'
const LESSON = 'relational-databases'
const T0 = 1_750_000_000
const tz = 'UTC'
const SEED = 20_260_601
const attempt = (id: number, attemptId: string, answers: Record<string, Response>) => ({
  id,
  name: 'pressureRoom.recordAttempt',
  args: { attemptId, courseId: COURSE, seed: SEED, answers, startedAt: T0 + 100, deadline: T0 + 1000, at: T0 + 200, tz },
  createdAt: T0,
})
/** Every drawn question right (score 100) or every one wrong (score 0). */
let RIGHT: Record<string, Response>
let WRONG: Record<string, Response>

type Row = Record<string, unknown>

describe('ids a device chooses belong to its learner', () => {
  let server: TestServer
  let ada: { token: string; user: SyncUser }
  let bob: { token: string; user: SyncUser }

  const push = (token: string, clientId: string, mutations: unknown[]) => call(server, 'POST', '/v1/sync/push', { token, json: { clientId, mutations } })
  const pull = (token: string, clientId: string, cursor: string | null = null) => call<PullAnswer>(server, 'POST', '/v1/sync/pull', { token, json: { clientId, cursor } })
  /** Every row the learner pulls from the start, by table. */
  async function rows(token: string, table: string): Promise<Row[]> {
    const found: Row[] = []
    for (let cursor: string | null = null; ; ) {
      const page: PullAnswer = (await pull(token, 'reader-device', cursor)).body
      found.push(...rowsOf(page.changes).filter((c) => c.table === table).map((c) => c.row))
      cursor = page.cursor
      if (!page.hasMore) return found
    }
  }
  /** An answer as the client sees it: status and body, without what differs between any two requests. */
  const seen = (reply: { status: number; body: unknown }) => ({ status: reply.status, body: reply.body })

  beforeAll(async () => {
    const course = (await loadCatalog(COURSES_DIR)).require(COURSE)
    RIGHT = drawnAnswers(course, SEED)
    WRONG = drawnAnswers(course, SEED, 0)
    server = await startServer({ env: { RATE_LIMIT_PER_IP: '10000' } })
    ada = await signIn(server, 'ada@example.com')
    bob = await signIn(server, 'bob@example.com')
  }, 30_000)
  afterAll(async () => {
    await server?.stop()
  })

  it("another learner's attempt id is answered as a fresh one, and each learner keeps their own attempt", async () => {
    expect(seen(await push(bob.token, 'bob-laptop-1', [attempt(1, 'bob-attempt-1', RIGHT)]))).toEqual({ status: 200, body: { lastMutationId: 1 } })
    const bobsBefore = await rows(bob.token, 'pressure_room_attempts')

    const reused = await push(ada.token, 'ada-laptop-1', [attempt(1, 'bob-attempt-1', WRONG)])
    const fresh = await push(ada.token, 'ada-laptop-2', [attempt(1, 'ada-own-attempt', WRONG)])
    expect(seen(reused)).toEqual(seen(fresh))
    expect(seen(reused)).toEqual({ status: 200, body: { lastMutationId: 1 } })

    // Ada has her attempt under that id, with her answers; Bob's is as it was, and still his to pull.
    const adas = await rows(ada.token, 'pressure_room_attempts')
    expect(adas.map((r) => [r.id, r.userId, r.score])).toEqual(expect.arrayContaining([['bob-attempt-1', ada.user.id, 0], ['ada-own-attempt', ada.user.id, 0]]))
    expect(adas).toHaveLength(2)
    expect(await rows(bob.token, 'pressure_room_attempts')).toEqual(bobsBefore)
    expect(bobsBefore).toEqual([expect.objectContaining({ id: 'bob-attempt-1', userId: bob.user.id, score: 100 })])

    // Bob's record counts his attempt only; a replay of his push changes nothing.
    expect(seen(await push(bob.token, 'bob-laptop-1', [attempt(1, 'bob-attempt-1', RIGHT)]))).toEqual({ status: 200, body: { lastMutationId: 1 } })
    const record = (await rows(bob.token, 'course_enrollments'))[0]?.pressureRoom
    expect(JSON.parse(String(record))).toEqual({ bestScore: 100, attempts: 1, passedAt: T0 + 200 })
  })

  it("another learner's client id is a new device for this learner: nothing tells it exists", async () => {
    const addTime = (id: number, seconds: number) => ({ id, name: 'lesson.addTime', args: { courseId: COURSE, lessonId: LESSON, seconds, at: T0, tz }, createdAt: T0 })
    expect(seen(await push(bob.token, 'bob-phone-1234', [addTime(1, 30), addTime(2, 30), addTime(3, 30)]))).toEqual({ status: 200, body: { lastMutationId: 3 } })

    // Pulling and pushing with Bob's device id looks to Ada as a device never seen before does.
    const [pulledAsBobsDevice, pulledAsNew] = [await pull(ada.token, 'bob-phone-1234'), await pull(ada.token, 'never-seen-device')]
    expect(pulledAsBobsDevice.status).toBe(200)
    expect(pulledAsBobsDevice.body.lastMutationId).toBe(0)
    expect(pulledAsBobsDevice.body.changes).toEqual(pulledAsNew.body.changes)
    expect(seen(await push(ada.token, 'bob-phone-1234', [addTime(1, 7)]))).toEqual(seen(await push(ada.token, 'another-new-device', [addTime(1, 7)])))

    // Each learner's own device history: Bob's mutations 1-3 stay applied once, his next one applies.
    expect(seen(await push(bob.token, 'bob-phone-1234', [addTime(3, 30), addTime(4, 30)]))).toEqual({ status: 200, body: { lastMutationId: 4 } })
    expect((await pull(bob.token, 'bob-phone-1234')).body.lastMutationId).toBe(4)
    expect((await pull(ada.token, 'bob-phone-1234')).body.lastMutationId).toBe(1)
    const timeOf = async (token: string) => (await rows(token, 'lesson_progress')).find((r) => r.lessonId === LESSON)?.timeSpent
    expect([await timeOf(ada.token), await timeOf(bob.token)]).toEqual([14, 120])
  })

  it("the ids of every other synced row are derived from the learner, so the same facts never meet", async () => {
    const facts = [
      { id: 1, name: 'course.enroll', args: { courseId: 'git-essentials', at: T0, tz }, createdAt: T0 },
      { id: 2, name: 'lesson.complete', args: { courseId: 'git-essentials', lessonId: 'why-version-control', at: T0 + 10, tz }, createdAt: T0 },
    ]
    const [adas, bobs] = [await push(ada.token, 'ada-laptop-3', facts), await push(bob.token, 'bob-laptop-3', facts)]
    expect(seen(adas)).toEqual(seen(bobs))
    for (const table of ['course_enrollments', 'lesson_progress', 'user_activities', 'user_achievements']) {
      const [a, b] = [await rows(ada.token, table), await rows(bob.token, table)]
      expect({ table, some: a.length > 0 && b.length > 0 }).toEqual({ table, some: true })
      const bobIds = new Set(b.map((r) => r.id))
      expect({ table, shared: a.filter((r) => bobIds.has(r.id)).map((r) => r.id) }).toEqual({ table, shared: [] })
    }
  })
})

describe('upgrading an existing server database to per-learner keys', () => {
  it('keeps every attempt, client and change, and then lets two learners use the same ids', async () => {
    const dir = await tempDir('pathwise-keys-upgrade-')
    try {
      // The schema as it was: shared migrations 001-005, server migration 001.
      const [shared, own] = [join(dir, 'migrations'), join(dir, 'server-migrations')]
      await Promise.all([mkdir(shared), mkdir(own)])
      for (const file of (await readdir(MIGRATIONS_DIR)).filter((f) => f < '006')) await copyFile(join(MIGRATIONS_DIR, file), join(shared, file))
      await copyFile(join(ROOT, 'server/migrations/001_sync_server.sql'), join(own, '001_sync_server.sql'))
      const url = `file:${join(dir, 'server.db')}`
      const old = await openServerDatabase({ url, migrationsDir: shared, serverMigrationsDir: own })
      const exec = (sql: string, args: (string | number)[] = []) => old.client.execute({ sql, args })
      for (const user of ['ada', 'bob']) {
        await exec("INSERT INTO users (id, name) VALUES (?, 'x')", [user])
        await exec('INSERT INTO user_versions (user_id, version) VALUES (?, 3)', [user])
      }
      await exec("INSERT INTO pressure_room_attempts (id, user_id, course_id, question_ids, started_at, deadline, submitted_at, score, passed) VALUES ('shared-id', 'ada', ?, '[]', 1, 2, 2, 80, 1)", [COURSE])
      await exec("INSERT INTO sync_clients (client_id, user_id, last_mutation_id) VALUES ('shared-device', 'ada', 7)")
      const before = async (client: typeof old.client) => ({
        attempts: (await client.execute('SELECT * FROM pressure_room_attempts ORDER BY user_id, id')).rows.map((r) => ({ ...r })),
        clients: (await client.execute('SELECT user_id, client_id, last_mutation_id FROM sync_clients ORDER BY user_id, client_id')).rows.map((r) => ({ ...r })),
        changes: (await client.execute('SELECT user_id, table_name, row_id, version FROM change_log ORDER BY user_id, table_name, row_id')).rows.map((r) => ({ ...r })),
      })
      const kept = await before(old.client)
      expect(kept.changes).toEqual(expect.arrayContaining([{ user_id: 'ada', table_name: 'pressure_room_attempts', row_id: 'shared-id', version: 3 }]))
      old.close()

      const db = await openServerDatabase({ url, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: join(ROOT, 'server/migrations') })
      try {
        // Every attempt kept, with the seed column 007 added on the way (null: made before seeds).
        expect(await before(db.client)).toEqual({ ...kept, attempts: kept.attempts.map((a) => ({ ...a, seed: null })) })
        // Bob takes the same attempt id and device id: rows of his own, each change recorded for him.
        await db.client.execute("INSERT INTO pressure_room_attempts (id, user_id, course_id, question_ids, started_at, deadline) VALUES ('shared-id', 'bob', 'c', '[]', 1, 2)")
        await db.client.execute("INSERT INTO sync_clients (client_id, user_id, last_mutation_id) VALUES ('shared-device', 'bob', 1)")
        await db.client.execute("UPDATE pressure_room_attempts SET score = 81 WHERE user_id = 'ada' AND id = 'shared-id'")
        const after = await before(db.client)
        expect(after.attempts.map((r) => [r.user_id, r.id, r.score])).toEqual([['ada', 'shared-id', 81], ['bob', 'shared-id', null]])
        expect(after.clients).toEqual([
          { user_id: 'ada', client_id: 'shared-device', last_mutation_id: 7 },
          { user_id: 'bob', client_id: 'shared-device', last_mutation_id: 1 },
        ])
        expect(after.changes.filter((c) => c.table_name === 'pressure_room_attempts')).toEqual([
          { user_id: 'ada', table_name: 'pressure_room_attempts', row_id: 'shared-id', version: 3 },
          { user_id: 'bob', table_name: 'pressure_room_attempts', row_id: 'shared-id', version: 3 },
        ])
      } finally {
        db.close()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
