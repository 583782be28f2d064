/**
 * The push worker thread (server/push-thread.ts, push-worker.ts) over a real server database file:
 * outcomes cross the thread boundary intact, and a closed thread commits what it held.
 */
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAuth } from '../../server/auth'
import { openServerDatabase, type ServerDb } from '../../server/db'
import type { Logger } from '../../server/log'
import { startPushThread, type PushThread } from '../../server/push-thread'
import { tempDir } from '../helpers/core'
import { COURSES_DIR, MIGRATIONS_DIR, ROOT } from '../helpers/paths'

const COURSE = 'sql-fundamentals'
const LESSON = 'relational-databases'
const T0 = 1_750_000_000
const addTime = (id: number, seconds: number) => ({ id, name: 'lesson.addTime', args: { courseId: COURSE, lessonId: LESSON, seconds, at: T0, tz: 'UTC' }, createdAt: T0 })

let dir: string
let db: ServerDb
let thread: PushThread
const logged: string[] = []
const log: Logger = { info: () => undefined, error: (event) => void logged.push(event) }

async function signIn(email: string): Promise<string> {
  let code = ''
  const auth = createAuth({ db, secret: 'test-secret', mailer: { send: async (m) => void (code = /\b(\d{6})\b/.exec(m.text)?.[1] ?? ''), close() {} } })
  await auth.startEmail(email)
  return (await auth.verifyEmail(email, code)).user.id
}

const timeSpent = async (userId: string) =>
  Number((await db.client.execute({ sql: 'SELECT time_spent FROM lesson_progress WHERE user_id = ? AND lesson_id = ?', args: [userId, LESSON] })).rows[0]?.time_spent ?? 0)

beforeEach(async () => {
  dir = await tempDir('pathwise-push-thread-')
  const file = join(dir, 'server.db')
  db = await openServerDatabase({ url: `file:${file}`, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: join(ROOT, 'server/migrations') })
  thread = await startPushThread({ file, migrationsDir: MIGRATIONS_DIR, coursesDir: COURSES_DIR }, log)
})

afterEach(async () => {
  await thread.close()
  db.close()
  await rm(dir, { recursive: true, force: true })
})

describe('the push worker thread', () => {
  it('applies pushes on its own connection; the main connection reads them once answered', async () => {
    const ada = await signIn('ada@example.com')
    const device = randomUUID()
    const outcomes = await Promise.all([thread.push(ada, { clientId: device, mutations: [addTime(1, 30)] }), thread.push(ada, { clientId: device, mutations: [addTime(1, 30), addTime(2, 12)] })])
    expect(outcomes).toEqual([{ lastMutationId: 1 }, { lastMutationId: 2 }])
    expect(await timeSpent(ada)).toBe(42)
  })

  it('a refused change comes back as it would without the thread; client ids are per learner', async () => {
    const [ada, bob] = [await signIn('ada@example.com'), await signIn('bob@example.com')]
    const bobsDevice = randomUUID()
    await thread.push(bob, { clientId: bobsDevice, mutations: [addTime(1, 5)] })

    // Bob's device id is a new device to Ada: her own change, applied to her alone.
    expect(await thread.push(ada, { clientId: bobsDevice, mutations: [addTime(2, 100)] })).toEqual({ lastMutationId: 2 })

    const refused = await thread.push(ada, { clientId: randomUUID(), mutations: [addTime(1, 3), { id: 2, name: 'lesson.explode', args: {}, createdAt: T0 }] })
    expect(refused).toMatchObject({ lastMutationId: 1, rejected: { mutationId: 2 } })
    expect(refused.rejected?.message).toContain('lesson.explode #2')
    expect([await timeSpent(ada), await timeSpent(bob)]).toEqual([103, 5])
  })

  it('closing commits the pushes it holds, then refuses new ones with 503', async () => {
    const ada = await signIn('ada@example.com')
    const held = Array.from({ length: 20 }, () => thread.push(ada, { clientId: randomUUID(), mutations: [addTime(1, 1)] }))
    await thread.close()
    expect((await Promise.all(held)).every((o) => o.lastMutationId === 1)).toBe(true)
    expect(await timeSpent(ada)).toBe(20)
    await expect(thread.push(ada, { clientId: randomUUID(), mutations: [addTime(1, 1)] })).rejects.toMatchObject({ status: 503, code: 'UNAVAILABLE' })
    expect(logged).toEqual([])
  })
})
