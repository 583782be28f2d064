/**
 * The app's sync engine against a server whose time budget cuts every push short (server/sync.ts):
 * the server answers with the last mutation it applied, and the engine pushes the rest next, in the
 * same sync, until its outbox is empty. The real engine in a real core, the server's own app and
 * createSync over a real database file, served over HTTP in this process with a 2 ms budget.
 */
import type { AddressInfo } from 'node:net'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCatalog } from '../../electron/core/catalog/catalog'
import { drawQuestions } from '../../electron/core/domain/pressure-room'
import { appendMutation } from '../../electron/core/repositories/outbox'
import { createServerApp } from '../../server/app'
import { createAuth } from '../../server/auth'
import { openServerDatabase, type ServerDb } from '../../server/db'
import type { Logger } from '../../server/log'
import { folderMailer } from '../../server/mailer'
import { createSync } from '../../server/sync'
import { fakeClock } from '../helpers/clock'
import { tempDir } from '../helpers/core'
import { openDevice, type Device } from '../helpers/devices'
import { rightResponse, wrongResponse } from '../helpers/exercises'
import { COURSES_DIR, MIGRATIONS_DIR, ROOT } from '../helpers/paths'

const COURSE = 'sql-fundamentals'
const T0 = 1_750_000_000
const COUNT = 120

let dir: string
let db: ServerDb
let http: ServerType
let url: string
const pushAnswers: number[] = []

beforeAll(async () => {
  dir = await tempDir('pathwise-partial-push-')
  db = await openServerDatabase({ url: `file:${join(dir, 'server.db')}`, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: join(ROOT, 'server/migrations') })
  const quiet: Logger = { info() {}, error() {} }
  const sync = createSync({ db, catalog: await loadCatalog(COURSES_DIR), budget: { pushMs: 2 } })
  const auth = createAuth({ db, mailer: folderMailer(join(dir, 'mail')), secret: 'test-code-key-0123456789abcdef0123456789' })
  const counted = {
    ...sync,
    push: async (userId: string, body: Parameters<typeof sync.push>[1]) => {
      const outcome = await sync.push(userId, body)
      pushAnswers.push(outcome.lastMutationId)
      return outcome
    },
  }
  const { app } = createServerApp({ auth, sync: counted, logger: quiet })
  await new Promise<void>((resolve) => {
    http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      url = `http://127.0.0.1:${info.port}`
      resolve()
    })
  })
})

afterAll(async () => {
  await new Promise<void>((resolve) => {
    http?.close(() => resolve())
    if (http && 'closeAllConnections' in http) http.closeAllConnections()
  })
  db?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('a push the server cuts short', () => {
  let device: Device

  afterAll(() => device?.close())

  it('the engine pushes the rest next, in the same sync, and ends with everything applied once', async () => {
    device = await openDevice({ url: `${url}/`, mailDir: join(dir, 'mail') }, fakeClock('2026-06-10T18:00:00Z'))
    const room = device.core.catalog.require(COURSE).pressureRoom
    // Attempts made offline (what the Pressure Room's submit appends), replayed into the account at sign-in.
    for (let i = 1; i <= COUNT; i++) {
      const seed = i * 7919
      const answers = Object.fromEntries(drawQuestions(room, seed).map((q, n) => [q.id, n < (i % 4 === 0 ? 14 : 9) ? rightResponse(q, seed) : wrongResponse(q, seed)]))
      const args = { attemptId: `offline-${i}`, courseId: COURSE, seed, answers, startedAt: T0 + i - 60, deadline: T0 + i + 400, at: T0 + i, tz: 'UTC' }
      await device.core.db.write((tx) => appendMutation(tx, { id: `offline-mutation-${i}`, name: 'pressureRoom.recordAttempt', args, createdAt: T0 + i }))
    }
    await device.signIn('offline@example.com')
    await device.sync()

    // Several answers were partial, and each went further than the one before.
    expect(pushAnswers.length).toBeGreaterThan(2)
    expect(pushAnswers.at(-1)).toBe(COUNT)
    expect(pushAnswers.every((last, i) => i === 0 || last > (pushAnswers[i - 1] as number))).toBe(true)
    expect(device.core.sync?.status()).toMatchObject({ state: 'up-to-date', pending: 0, setAside: 0 })

    const learner = String((await device.core.db.client.execute("SELECT value FROM settings WHERE key = 'learner_id'")).rows[0]?.value)
    const expected = { bestScore: 93, attempts: COUNT, passedAt: T0 + 4 }
    const serverRecord = (await db.client.execute({ sql: 'SELECT pressure_room FROM course_enrollments WHERE user_id = ?', args: [learner] })).rows[0]?.pressure_room
    const deviceRecord = (await device.core.db.client.execute({ sql: 'SELECT pressure_room FROM course_enrollments WHERE course_id = ?', args: [COURSE] })).rows[0]?.pressure_room
    expect([JSON.parse(String(serverRecord)), JSON.parse(String(deviceRecord))]).toEqual([expected, expected])
    const attempts = await db.client.execute({ sql: 'SELECT count(*) AS n FROM pressure_room_attempts WHERE user_id = ?', args: [learner] })
    expect(Number(attempts.rows[0]?.n)).toBe(COUNT)
  })
})
