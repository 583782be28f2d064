/**
 * Group commit on the sync server (server/sync.ts): pushes that arrive while the database is busy are
 * applied in one transaction, each in its own savepoint. Real server database file, real sign-in,
 * real mutations; db.write is only counted.
 */
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadCatalog } from '../../electron/core/catalog/catalog'
import { createAuth } from '../../server/auth'
import { openServerDatabase, type ServerDb } from '../../server/db'
import { createSync, MAX_PUSH_GROUP } from '../../server/sync'
import { tempDir } from '../helpers/core'
import { COURSES_DIR, MIGRATIONS_DIR, ROOT } from '../helpers/paths'

const COURSE = 'sql-fundamentals'
const LESSON = 'relational-databases'
const T0 = 1_750_000_000

let dir: string
let db: ServerDb
let transactions: number
let sync: ReturnType<typeof createSync>
let signIn: (email: string) => Promise<string>

beforeEach(async () => {
  dir = await tempDir('pathwise-push-group-')
  db = await openServerDatabase({ url: `file:${join(dir, 'server.db')}`, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: join(ROOT, 'server/migrations') })
  transactions = 0
  const counted: ServerDb = { ...db, write: (fn) => (transactions++, db.write(fn)) }
  const codes = new Map<string, string>()
  const auth = createAuth({ db, secret: 'test-secret', mailer: { send: async (m) => void codes.set(m.to, /\b(\d{6})\b/.exec(m.text)?.[1] ?? ''), close() {} } })
  signIn = async (email) => {
    await auth.startEmail(email)
    return (await auth.verifyEmail(email, codes.get(email) ?? '')).user.id
  }
  sync = createSync({ db: counted, catalog: await loadCatalog(COURSES_DIR) })
})

afterEach(async () => {
  db.close()
  await rm(dir, { recursive: true, force: true })
})

const addTime = (id: number, seconds: number) => ({ id, name: 'lesson.addTime', args: { courseId: COURSE, lessonId: LESSON, seconds, at: T0, tz: 'UTC' }, createdAt: T0 })
const timeSpent = async (userId: string) =>
  Number((await db.client.execute({ sql: 'SELECT time_spent FROM lesson_progress WHERE user_id = ? AND lesson_id = ?', args: [userId, LESSON] })).rows[0]?.time_spent ?? 0)

describe('group commit', () => {
  it('pushes that arrive together are applied in one transaction, each as if alone', async () => {
    const users = await Promise.all(['a', 'b', 'c', 'd'].map((n) => signIn(`${n}@example.com`)))
    const clients = users.map(() => randomUUID())
    transactions = 0
    const outcomes = await Promise.all(users.flatMap((u, i) => [sync.push(u, { clientId: clients[i] as string, mutations: [addTime(1, 10 * (i + 1))] }), sync.push(u, { clientId: clients[i] as string, mutations: [addTime(1, 10 * (i + 1)), addTime(2, 1)] })]))
    expect(outcomes).toEqual(users.flatMap(() => [{ lastMutationId: 1 }, { lastMutationId: 2 }]))
    expect(transactions).toBe(1)
    expect(await Promise.all(users.map(timeSpent))).toEqual([11, 21, 31, 41])
  })

  it('a push that fails fails alone: the others in its transaction commit', async () => {
    const [ada, bob] = await Promise.all([signIn('ada@example.com'), signIn('bob@example.com')])
    const bobsDevice = randomUUID()
    await sync.push(bob as string, { clientId: bobsDevice, mutations: [addTime(1, 5)] })
    transactions = 0
    const results = await Promise.allSettled([
      sync.push(ada as string, { clientId: randomUUID(), mutations: [addTime(1, 7)] }),
      // Ada pushing through Bob's device id: client ids are per learner, so it is a device of her own.
      sync.push(ada as string, { clientId: bobsDevice, mutations: [addTime(2, 100)] }),
      // A change the server refuses: the ones before it are kept.
      sync.push(bob as string, { clientId: bobsDevice, mutations: [addTime(2, 3), { ...addTime(3, 1), args: { courseId: COURSE, lessonId: 'no-such-lesson', at: T0, tz: 'UTC' }, name: 'lesson.complete' }, addTime(4, 100)] }),
      sync.push(bob as string, { clientId: randomUUID(), mutations: [addTime(1, 2)] }),
    ])
    expect(transactions).toBe(1)
    expect(results[0]).toEqual({ status: 'fulfilled', value: { lastMutationId: 1 } })
    expect(results[1]).toEqual({ status: 'fulfilled', value: { lastMutationId: 2 } })
    expect(results[2]).toMatchObject({ status: 'fulfilled', value: { lastMutationId: 2, rejected: { mutationId: 3 } } })
    expect(results[3]).toEqual({ status: 'fulfilled', value: { lastMutationId: 1 } })
    expect(await timeSpent(ada as string)).toBe(7 + 100)
    expect(await timeSpent(bob as string)).toBe(5 + 3 + 2)
  })

  it(`more than ${MAX_PUSH_GROUP} waiting pushes are split into transactions of at most ${MAX_PUSH_GROUP}`, async () => {
    const user = await signIn('many@example.com')
    transactions = 0
    const count = MAX_PUSH_GROUP + 6
    const outcomes = await Promise.all(Array.from({ length: count }, () => sync.push(user, { clientId: randomUUID(), mutations: [addTime(1, 1)] })))
    expect(outcomes.every((o) => o.lastMutationId === 1)).toBe(true)
    expect(transactions).toBe(2)
    expect(await timeSpent(user)).toBe(count)
  })
})
