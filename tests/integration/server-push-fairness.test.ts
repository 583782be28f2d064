/**
 * The time budget of a push (server/sync.ts, server/push-limits.ts), in-process over a real server
 * database file with small budgets so that what they cut is certain: a push cut short commits what it
 * applied and the rest follows in the next push; a learner whose budget is spent waits for the next
 * transaction while others' pushes commit in this one; a group takes no new push once its time is up.
 */
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadCatalog, type Catalog } from '../../electron/core/catalog/catalog'
import { openServerDatabase, type ServerDb } from '../../server/db'
import type { Logger } from '../../server/log'
import { startPushThread } from '../../server/push-thread'
import { createSync, type PushBudget, type PushOutcome } from '../../server/sync'
import { tempDir } from '../helpers/core'
import { COURSES_DIR, MIGRATIONS_DIR, ROOT } from '../helpers/paths'

const COURSE = 'sql-fundamentals'
const LESSON = 'relational-databases'
const T0 = 1_750_000_000

const attempts = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    name: 'pressureRoom.recordAttempt',
    args: { attemptId: `${prefix}-${i + 1}`, courseId: COURSE, seed: i, answers: {}, startedAt: T0, deadline: T0 + 400, at: T0 + i, tz: 'UTC' },
    createdAt: T0,
  }))
const addTime = (id: number) => ({ id, name: 'lesson.addTime', args: { courseId: COURSE, lessonId: LESSON, seconds: 5, at: T0, tz: 'UTC' }, createdAt: T0 })

let dir: string
let db: ServerDb
let catalog: Catalog
/** What happened, in order: "commit N" when transaction N committed, and the pushes answered. */
let events: string[]

beforeEach(async () => {
  dir = await tempDir('pathwise-push-fairness-')
  db = await openServerDatabase({ url: `file:${join(dir, 'server.db')}`, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: join(ROOT, 'server/migrations') })
  catalog = await loadCatalog(COURSES_DIR)
  events = []
  for (const id of ['ada', 'bob']) {
    await db.client.execute({ sql: "INSERT INTO users (id, name) VALUES (?, 'x')", args: [id] })
    await db.client.execute({ sql: 'INSERT INTO user_profiles (user_id) VALUES (?)', args: [id] })
  }
})
afterEach(async () => {
  db.close()
  await rm(dir, { recursive: true, force: true })
})

function syncWith(budget: PushBudget) {
  let transactions = 0
  const logged: ServerDb = {
    ...db,
    write: (fn) => {
      const n = ++transactions
      return db.write(fn).then((result) => (events.push(`commit ${n}`), result))
    },
  }
  const sync = createSync({ db: logged, catalog, budget })
  return (name: string, userId: string, clientId: string, mutations: unknown[]): Promise<PushOutcome> =>
    sync.push(userId, { clientId, mutations: mutations as never }).then((outcome) => (events.push(name), outcome))
}

const recordOf = async (userId: string) =>
  JSON.parse(String((await db.client.execute({ sql: 'SELECT pressure_room FROM course_enrollments WHERE user_id = ?', args: [userId] })).rows[0]?.pressure_room)) as unknown

describe('the time budget of a push', () => {
  it('a push cut short commits what it applied and answers its last id; pushing the rest applies each mutation once', async () => {
    const push = syncWith({ pushMs: 5, groupMs: 1_000 })
    let rest = attempts(100, 'a')
    const answers: number[] = []
    while (rest.length > 0) {
      const { lastMutationId } = await push('ada', 'ada', 'ada-device-1', rest)
      expect(lastMutationId).toBeGreaterThanOrEqual((rest[0] as { id: number }).id) // never without progress
      answers.push(lastMutationId)
      rest = rest.filter((m) => m.id > lastMutationId)
    }
    expect(answers.length).toBeGreaterThan(1)
    expect(answers.at(-1)).toBe(100)
    expect(await recordOf('ada')).toEqual({ bestScore: 0, attempts: 100, passedAt: null })
    expect(Number((await db.client.execute("SELECT count(*) AS n FROM pressure_room_attempts WHERE user_id = 'ada'")).rows[0]?.n)).toBe(100)
  })

  it("a learner whose budget is spent waits for the next transaction; another learner's push commits in this one", async () => {
    const push = syncWith({ pushMs: 5, groupMs: 1_000 })
    const [first, second, other] = await Promise.all([
      push('ada 1', 'ada', 'ada-device-1', attempts(100, 'a')),
      push('ada 2', 'ada', 'ada-device-2', attempts(100, 'b')),
      push('bob', 'bob', randomUUID(), [addTime(1)]),
    ])
    expect(first.lastMutationId).toBeLessThan(100) // cut short by the budget
    expect(other).toEqual({ lastMutationId: 1 })
    expect(second.lastMutationId).toBeGreaterThanOrEqual(1)
    expect(events.slice(0, 3)).toEqual(['commit 1', 'ada 1', 'bob'])
    expect(events.indexOf('ada 2')).toBeGreaterThan(events.indexOf('commit 2'))
  })

  it('a group takes no new push once its time is up: the next one goes in the next transaction, whole', async () => {
    const push = syncWith({ pushMs: 60_000, groupMs: 1 })
    const [ada, bob] = await Promise.all([push('ada', 'ada', 'ada-device-1', attempts(20, 'a')), push('bob', 'bob', randomUUID(), [addTime(1)])])
    expect([ada, bob]).toEqual([{ lastMutationId: 20 }, { lastMutationId: 1 }])
    expect(events).toEqual(['commit 1', 'ada', 'commit 2', 'bob'])
  })
})

describe('closing the push thread', () => {
  it('answers every push it holds first, those the time budget sent to a later transaction too', async () => {
    const log: Logger = { info: () => undefined, error: () => undefined }
    const thread = await startPushThread({ file: join(dir, 'server.db'), migrationsDir: MIGRATIONS_DIR, coursesDir: COURSES_DIR }, log)
    // One learner's three full batches: more than one transaction's budget, so some wait for a later one.
    const held = ['a', 'b', 'c'].map((prefix) => thread.push('ada', { clientId: `ada-device-${prefix}`, mutations: attempts(500, prefix) as never }))
    await thread.close()
    const outcomes = await Promise.all(held)
    expect(outcomes.every((o) => o.lastMutationId >= 1)).toBe(true)
    const applied = outcomes.reduce((sum, o) => sum + o.lastMutationId, 0)
    expect(applied).toBeLessThan(1_500) // the budget did cut them
    expect(await recordOf('ada')).toMatchObject({ attempts: applied })
  })
})
