/**
 * Faults: the server killed in the middle of a push, the app killed between writing and syncing, and
 * the connection dropped during a pull. Nothing is lost and nothing is counted twice.
 */
import { spawn } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { fakeClock } from '../helpers/clock'
import { learnerSnapshot, openDevice, type Device } from '../helpers/devices'
import { startFlakyProxy } from '../helpers/flaky-proxy'
import { ROOT } from '../helpers/paths'
import { requestLog, startServer, type TestServer } from '../helpers/server'

const LIMITS = { RATE_LIMIT_PER_IP: '100000', RATE_LIMIT_PER_EMAIL: '100000' }
const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

async function serverFor(test: string, options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const server = await startServer({ ...options, env: { ...LIMITS, ...options.env } })
  cleanup.push(() => server.stop())
  void test
  return server
}

async function device(server: Pick<TestServer, 'url' | 'mailDir'>, clock = fakeClock('2026-05-01T08:00:00Z'), dataDir?: string): Promise<Device> {
  const d = await openDevice(server, clock, dataDir)
  cleanup.push(() => d.close())
  return d
}

/** Resolves once the server's request log, from line `from` on, shows a push it answered. */
async function pushAnswered(server: TestServer, from: number): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!requestLog(server, from, '/v1/sync/push').some((l) => l.status === 200)) {
    if (Date.now() > deadline) throw new Error('the server answered no push in 20 s')
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

const courseLessons = async (d: Device, courseId: string) => (await d.core.services.courses.get({ courseId })).lessons.map((l) => l.id)

describe('sync faults', () => {
  it('the server killed (SIGKILL) in the middle of a push, then restarted: nothing lost, nothing doubled', async () => {
    const server = await serverFor('kill')
    const clock = fakeClock('2026-05-01T08:00:00Z')
    const a = await device(server, clock)
    const email = `kill-${Date.now()}@example.com`
    await a.signIn(email)
    const lessons = await courseLessons(a, 'typescript-basics')
    // Enough offline work for several push batches.
    let expectedTime = 0
    for (let i = 0; i < 1200; i++) {
      clock.advance(30)
      await a.core.services.courses.updateProgress({ courseId: 'typescript-basics', lessonId: lessons[i % lessons.length] as string, action: 'addTime', seconds: 10 })
      expectedTime += 10
    }
    for (const id of lessons) await a.core.services.courses.updateProgress({ courseId: 'typescript-basics', lessonId: id, action: 'complete' })

    // Killed as soon as the server has answered the first of the three batches, while the next is on
    // its way or being applied: however fast the server is, the kill lands in the middle of the push.
    const logFrom = server.stdout.length
    const pushing = a.sync()
    await pushAnswered(server, logFrom)
    await server.kill()
    await pushing
    expect(a.core.sync?.status().state).toBe('offline')
    const waiting = a.core.sync?.status().pending ?? 0
    expect(waiting).toBeGreaterThan(0)

    await server.restart()
    await a.sync()
    expect(a.core.sync?.status()).toMatchObject({ state: 'up-to-date', pending: 0 })

    // A second device sees exactly the work done: every second once, every lesson once.
    const b = await device(server, clock)
    await b.signIn(email)
    expect((await b.core.services.stats.get()).totalTimeSeconds).toBe(expectedTime)
    expect((await b.core.services.stats.get()).lessonsCompleted).toBe(lessons.length)
    expect(await learnerSnapshot(b.core)).toEqual(await learnerSnapshot(a.core))
  })

  it('the app killed between writing and syncing: the changes are pushed at the next start', async () => {
    const server = await serverFor('client-kill')
    const a = await device(server)
    const email = `client-kill-${Date.now()}@example.com`
    await a.signIn(email)
    a.close()

    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/write-then-hang.ts', a.dataDir, server.url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('written')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)))
    })
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))

    const again = await device(server, fakeClock('2026-05-02T08:00:00Z'), a.dataDir)
    expect((await again.core.db.client.execute("SELECT COUNT(*) AS n FROM outbox WHERE name <> 'achievement.award'")).rows[0]?.n).toBe(3)
    await again.sync()
    expect(again.core.sync?.status()).toMatchObject({ state: 'up-to-date', pending: 0 })

    const b = await device(server)
    await b.signIn(email)
    const stats = await b.core.services.stats.get()
    expect(stats.lessonsCompleted).toBe(2)
    expect(stats.totalTimeSeconds).toBe(240)
  })

  it('the connection dropped during a pull: the next sync completes it without doubling anything', async () => {
    const server = await serverFor('drop')
    const proxy = await startFlakyProxy(server.url)
    cleanup.push(() => proxy.close())
    const clock = fakeClock('2026-05-03T08:00:00Z')
    const viaProxy = { url: proxy.url, mailDir: server.mailDir }
    const a = await device(server, clock)
    const b = await device(viaProxy, clock)
    const email = `drop-${Date.now()}@example.com`
    await a.signIn(email)
    const lessons = await courseLessons(a, 'sql-fundamentals')
    for (const id of lessons) {
      await a.core.services.courses.updateProgress({ courseId: 'sql-fundamentals', lessonId: id, action: 'complete' })
      await a.core.services.courses.updateProgress({ courseId: 'sql-fundamentals', lessonId: id, action: 'addTime', seconds: 90 })
    }
    await a.sync()

    await b.signIn(email) // its first pull goes through
    await b.core.services.courses.updateProgress({ courseId: 'sql-fundamentals', lessonId: lessons[0] as string, action: 'addTime', seconds: 45 })
    await a.core.services.courses.updateProgress({ courseId: 'sql-fundamentals', lessonId: lessons[0] as string, action: 'addTime', seconds: 15 })
    await a.sync()

    proxy.dropNext('/v1/sync/pull', 300)
    await b.sync()
    expect(proxy.dropped()).toBe(1)
    expect(b.core.sync?.status().state).toBe('offline')
    await b.sync()
    await a.sync()
    expect(b.core.sync?.status()).toMatchObject({ state: 'up-to-date', pending: 0 })
    const first = await b.core.services.courses.lesson({ courseId: 'sql-fundamentals', lessonId: lessons[0] as string })
    expect(first.timeSpent).toBe(90 + 45 + 15)
    expect(await learnerSnapshot(b.core)).toEqual(await learnerSnapshot(a.core))
  })
})
