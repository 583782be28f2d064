/**
 * Push: a signed-in device makes 10 000 writes offline through its services (mostly time on real
 * lessons, plus completions and notes), then one sync pushes them all. The push phase is timed from
 * the start of the sync until the engine reports an empty outbox (its status after the last batch is
 * acknowledged); the pull that follows is timed separately. Where the time goes is measured three
 * ways: the client's HTTP time, the server's own request log, and the same mutations replayed
 * in-process on a server database, with its SQL statements counted.
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createClient, type InStatement, type Transaction, type TransactionMode } from '@libsql/client'
import { sql } from 'drizzle-orm'
import { loadCatalog } from '../../electron/core/catalog/catalog'
import { runMutationBatch } from '../../electron/core/mutations/run'
import type { MutationName } from '../../electron/core/mutations/args'
import { MAX_PUSH_BATCH } from '../../electron/core/sync/protocol'
import { newId } from '../../electron/core/ids'
import { openServerDatabase } from '../../server/db'
import { fakeClock } from '../helpers/clock'
import { tempDir } from '../helpers/core'
import { openDevice } from '../helpers/devices'
import { COURSES_DIR, MIGRATIONS_DIR, ROOT } from '../helpers/paths'
import { startServer } from '../helpers/server'
import { round, type BenchResult } from './measure'
import { note, serverRequests, sleep, sum, timeFetch } from './sync-util'

export const PUSH_MUTATIONS = 10_000
const PUSH_TARGET_MS = 2_000
const STEP_SECONDS = 30

interface Pushed {
  name: string
  args: unknown
}

/** The device's writes: every 20th saves notes, 21 spread out complete each real lesson once, the rest add time. */
async function makeOfflineWrites(device: Awaited<ReturnType<typeof openDevice>>, clock: ReturnType<typeof fakeClock>): Promise<void> {
  const lessons = device.core.catalog.courses.flatMap((c) => c.lessons.map((l) => ({ courseId: c.id, lessonId: l.id })))
  const completeEvery = Math.floor(PUSH_MUTATIONS / lessons.length)
  const courses = device.core.services.courses
  for (let i = 0; i < PUSH_MUTATIONS; i++) {
    clock.advance(STEP_SECONDS)
    const lesson = lessons[(i * 7) % lessons.length] as { courseId: string; lessonId: string }
    if (i % completeEvery === completeEvery - 1 && i < completeEvery * lessons.length) {
      await courses.updateProgress({ ...(lessons[Math.floor(i / completeEvery)] as typeof lesson), action: 'complete' })
    } else if (i % 20 === 10) {
      await courses.updateProgress({ ...lesson, action: 'saveNotes', notes: `Notes, draft ${i}: what I learned in this lesson.` })
    } else {
      await courses.updateProgress({ ...lesson, action: 'addTime', seconds: 30 + ((i * 37) % 570) })
    }
  }
}

export async function benchPush(): Promise<BenchResult[]> {
  const server = await startServer()
  const clock = fakeClock(Date.now() - (PUSH_MUTATIONS + 100) * STEP_SECONDS * 1000)
  const fetches = timeFetch() // before the device opens: its sync client binds fetch then
  const device = await openDevice(server, clock)
  fetches.restore()
  try {
    await device.signIn(`push-bench-${Date.now()}@example.com`)
    const engine = device.core.sync
    if (!engine) throw new Error('the bench device has no sync engine')

    const setupStart = performance.now()
    await makeOfflineWrites(device, clock)
    const outbox = (await device.core.db.client.execute('SELECT name, args FROM outbox ORDER BY seq')).rows.map((r) => ({ name: String(r.name), args: JSON.parse(String(r.args)) as unknown }))
    // Badges the writes earn are shared as achievement.award mutations on top of the learner's own writes.
    const writes = outbox.filter((m) => m.name !== 'achievement.award').length
    if (writes !== PUSH_MUTATIONS) throw new Error(`expected ${PUSH_MUTATIONS} writes in the outbox, found ${writes}`)
    const mix = new Map<string, number>()
    for (const m of outbox) mix.set(m.name, (mix.get(m.name) ?? 0) + 1)
    note(`push: ${outbox.length} offline writes made in ${Math.round(performance.now() - setupStart)} ms (${[...mix].map(([n, c]) => `${n} ${c}`).join(', ')})`)

    await sleep(1_000) // as the engine's debounce would: the burst of writes is over before the sync starts
    // The sync: push until the outbox is empty, then pull.
    fetches.byPath.clear()
    const logFrom = server.stdout.length
    let pushDoneAt: number | null = null
    const unsubscribe = engine.subscribe((status) => {
      if (pushDoneAt === null && status.state === 'syncing' && status.pending === 0) pushDoneAt = performance.now()
    })
    const start = performance.now()
    await device.sync()
    const end = performance.now()
    unsubscribe()
    const status = engine.status()
    if (status.state !== 'up-to-date' || status.pending !== 0) throw new Error(`the push did not finish: ${JSON.stringify(status)}`)
    const pushMs = (pushDoneAt ?? end) - start
    const pullMs = end - (pushDoneAt ?? end)

    const pushLog = await serverRequests(server, logFrom, '/v1/sync/push')
    const serverPushMs = sum(pushLog.map((l) => l.ms))
    const clientPushHttpMs = fetches.byPath.get('/v1/sync/push')?.ms ?? Number.NaN
    note(
      `push: ${round(pushMs, 1)} ms in ${pushLog.length} requests; server log ${round(serverPushMs, 1)} ms, client HTTP ${round(clientPushHttpMs, 1)} ms; pull after it ${round(pullMs, 1)} ms`,
    )
    await checkConverged(device, server.dir)

    const breakdown = await replayInProcess(outbox)
    const perMutation = (ms: number) => round(ms / PUSH_MUTATIONS, 4)
    const results: BenchResult[] = [
      { name: 'sync push 10k mutations', value: round(pushMs, 1), unit: 'ms' },
      { name: 'sync push rate', value: Math.round(PUSH_MUTATIONS / (pushMs / 1000)), unit: 'mutations/s' },
      { name: 'sync push 10k target met (<= 2000 ms)', value: pushMs <= PUSH_TARGET_MS ? 1 : 0, unit: 'bool' },
      { name: 'sync push 10k: pull after the push', value: round(pullMs, 1), unit: 'ms' },
      { name: 'sync push requests', value: pushLog.length, unit: 'requests' },
      { name: 'sync push server time per mutation (request log)', value: perMutation(serverPushMs), unit: 'ms' },
      { name: 'sync push client HTTP time per mutation', value: perMutation(clientPushHttpMs), unit: 'ms' },
      { name: 'sync push client outbox/ack time per mutation', value: perMutation(pushMs - clientPushHttpMs), unit: 'ms' },
      { name: 'sync push in-process batch transaction per mutation', value: perMutation(breakdown.totalMs), unit: 'ms' },
      { name: 'sync push in-process SQL statements per mutation', value: round(breakdown.statements / PUSH_MUTATIONS, 1), unit: 'statements' },
    ]
    return results
  } finally {
    device.close()
    await server.stop()
    await rm(device.dataDir, { recursive: true, force: true })
  }
}

/** After the sync, the device and the server agree on the learner's time and notes (a cheap check that the figures are of a correct sync). */
async function checkConverged(device: Awaited<ReturnType<typeof openDevice>>, serverDir: string): Promise<void> {
  const serverDb = createClient({ url: `file:${join(serverDir, 'server.db')}` })
  try {
    const query = 'SELECT COUNT(*) AS n, SUM(time_spent) AS t, SUM(completed) AS c, COUNT(notes) AS notes FROM lesson_progress WHERE user_id = ?'
    const mine = (await device.core.db.client.execute({ sql: query, args: [device.core.userId] })).rows[0]
    const theirs = (await serverDb.execute({ sql: query, args: [device.core.userId] })).rows[0]
    const a = JSON.stringify({ ...mine })
    const b = JSON.stringify({ ...theirs })
    if (a !== b) note(`push: WARNING device and server differ after the sync: device ${a}, server ${b}`)
  } finally {
    serverDb.close()
  }
}

/**
 * The server's push (server/sync.ts) replayed in-process on a fresh server database, in the same
 * batches, each one transaction through runMutationBatch, counting the SQL statements it runs.
 */
async function replayInProcess(mutations: readonly Pushed[]) {
  const dir = await tempDir('pathwise-bench-server-')
  const db = await openServerDatabase({ url: `file:${join(dir, 'server.db')}`, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: join(ROOT, 'server/migrations') })
  const catalog = await loadCatalog(COURSES_DIR)
  const userId = newId()
  const times = { totalMs: 0, statements: 0 }
  // Count the SQL statements of each transaction (drizzle runs them all through the transaction's execute).
  const client = db.client as { transaction: (mode?: TransactionMode) => Promise<Transaction> }
  const open = client.transaction.bind(db.client)
  client.transaction = async (mode) => {
    const tx = await open(mode)
    const execute = tx.execute.bind(tx)
    tx.execute = ((stmt: InStatement) => {
      times.statements++
      return execute(stmt)
    }) as typeof tx.execute
    return tx
  }
  try {
    await db.write(async (tx) => {
      await tx.run(sql`INSERT INTO users (id, email) VALUES (${userId}, 'replay@example.com')`)
      await tx.run(sql`INSERT INTO user_versions (user_id, version) VALUES (${userId}, 0)`)
      await tx.run(sql`INSERT INTO user_profiles (user_id, timezone) VALUES (${userId}, 'UTC')`)
    })
    times.statements = 0
    for (let i = 0; i < mutations.length; i += MAX_PUSH_BATCH) {
      const batch = mutations.slice(i, i + MAX_PUSH_BATCH).map((m) => ({ name: m.name as MutationName, args: m.args }))
      const batchStart = performance.now()
      await db.write(async (tx) => {
        await tx.run(sql`UPDATE user_versions SET version = version + 1 WHERE user_id = ${userId}`)
        await runMutationBatch({ tx, userId, catalog }, batch)
      })
      times.totalMs += performance.now() - batchStart
    }
    return times
  } finally {
    db.close()
    await rm(dir, { recursive: true, force: true })
  }
}
