/** The engine's triggers and guarantees, against a real server process. */
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { afterEach, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../electron/core/core'
import { appendMutation } from '../../electron/core/repositories/outbox'
import { createFileTokenStore } from '../../electron/core/sync/token-store'
import { fakeClock } from '../helpers/clock'
import { tempDir } from '../helpers/core'
import { COURSES_DIR, MIGRATIONS_DIR } from '../helpers/paths'
import { latestCode, startServer, type TestServer } from '../helpers/server'

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

async function server(): Promise<TestServer> {
  const s = await startServer({ env: { RATE_LIMIT_PER_IP: '100000', RATE_LIMIT_PER_EMAIL: '100000' } })
  cleanup.push(() => s.stop())
  return s
}

/** A device with short real timers, so the automatic triggers can be watched. */
async function device(s: TestServer, timings: { debounceMs: number; periodMs: number; backoffBaseMs: number; backoffMaxMs: number }): Promise<Core> {
  const dir = await tempDir('pathwise-engine-')
  const core = await openCore({
    dataDir: dir,
    coursesDir: COURSES_DIR,
    migrationsDir: MIGRATIONS_DIR,
    clock: fakeClock('2026-07-01T09:00:00Z'),
    timezone: 'UTC',
    sync: { serverUrl: s.url, tokens: createFileTokenStore(join(dir, 'token')), timings },
  })
  cleanup.push(() => core.close())
  return core
}

async function signIn(core: Core, s: TestServer, email: string) {
  await core.services.account.start({ email })
  await core.services.account.verify({ email, code: await latestCode(s, email) })
  await core.sync?.idle()
}

const pushes = (s: TestServer) => s.stdout.filter((l) => l.includes('/v1/sync/push')).length
const until = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}

let marks = 0
/**
 * Waits until the server's log holds every request answered so far. The server writes its request
 * lines after answering, so a reply can arrive before its line does; a request made now is logged
 * after all of them, so once its own line is in, so are theirs.
 */
async function logCaughtUp(s: TestServer): Promise<void> {
  const mark = `/log-mark-${process.pid}-${++marks}`
  await fetch(`${s.url}${mark}`)
  await until(() => s.stdout.some((l) => l.includes(mark)))
}

describe('sync engine', () => {
  it('never runs two syncs at once: calls during a sync fold into one more run', async () => {
    const s = await server()
    const core = await device(s, { debounceMs: 1e9, periodMs: 1e9, backoffBaseMs: 1e9, backoffMaxMs: 1e9 })
    await signIn(core, s, `once-${Date.now()}@example.com`)
    const lesson = (await core.services.courses.get({ courseId: 'git-essentials' })).lessons[0]?.id as string
    await core.services.courses.updateProgress({ courseId: 'git-essentials', lessonId: lesson, action: 'complete' })
    await logCaughtUp(s)
    const before = pushes(s)
    await Promise.all(Array.from({ length: 6 }, () => core.services.account.syncNow()))
    // One run pushes the change; the calls made meanwhile add at most one more run, with nothing to push.
    await logCaughtUp(s)
    expect(pushes(s) - before).toBe(1)
    expect(core.sync?.status()).toMatchObject({ state: 'up-to-date', pending: 0 })
  })

  it('syncs by itself shortly after a local change', async () => {
    const s = await server()
    const core = await device(s, { debounceMs: 200, periodMs: 1e9, backoffBaseMs: 1e9, backoffMaxMs: 1e9 })
    await signIn(core, s, `debounce-${Date.now()}@example.com`)
    const lessons = (await core.services.courses.get({ courseId: 'git-essentials' })).lessons
    await logCaughtUp(s)
    const before = pushes(s)
    for (const l of lessons.slice(0, 3)) await core.services.courses.updateProgress({ courseId: 'git-essentials', lessonId: l.id, action: 'complete' })
    await until(() => core.sync?.status().state === 'up-to-date' && pushes(s) > before)
    await core.sync?.idle()
    await logCaughtUp(s)
    expect(pushes(s) - before).toBe(1) // the burst went in one push
    expect(core.sync?.status().pending).toBe(0)
  })

  it('after a failure it says offline, backs off, and catches up when the server is back', async () => {
    const s = await server()
    const core = await device(s, { debounceMs: 50, periodMs: 1e9, backoffBaseMs: 100, backoffMaxMs: 400 })
    await signIn(core, s, `backoff-${Date.now()}@example.com`)
    await s.kill()
    const lesson = (await core.services.courses.get({ courseId: 'git-essentials' })).lessons[0]?.id as string
    await core.services.courses.updateProgress({ courseId: 'git-essentials', lessonId: lesson, action: 'complete' })
    await until(() => core.sync?.status().state === 'offline')
    expect(core.sync?.status().pending).toBe(3) // the lesson, and the two badges it earned
    await s.restart()
    core.sync?.notifyOnline()
    await until(() => core.sync?.status().state === 'up-to-date' && core.sync.status().pending === 0)
  })

  it('a session ended on the server means signed out, with the local data kept', async () => {
    const s = await server()
    const core = await device(s, { debounceMs: 1e9, periodMs: 1e9, backoffBaseMs: 1e9, backoffMaxMs: 1e9 })
    const email = `ended-${Date.now()}@example.com`
    await signIn(core, s, email)
    // Signing in again elsewhere does not end this session; signing this one out on the server does.
    const token = await createFileTokenStore(join(core.db.file, '..', 'token')).load()
    const signedOut = await fetch(`${s.url}/v1/auth/signout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(signedOut.status).toBe(204)
    const lesson = (await core.services.courses.get({ courseId: 'git-essentials' })).lessons[0]?.id as string
    await core.services.courses.updateProgress({ courseId: 'git-essentials', lessonId: lesson, action: 'complete' })
    const status = await core.services.account.syncNow()
    expect(status.state).toBe('signed-out')
    expect(status.lastError).toMatch(/sign in again/i)
    expect((await core.services.stats.get()).lessonsCompleted).toBe(1)
  })

  it('a change the server refuses is set aside with its reason, and the changes after it still sync', async () => {
    const s = await server()
    const core = await device(s, { debounceMs: 1e9, periodMs: 1e9, backoffBaseMs: 1e9, backoffMaxMs: 1e9 })
    await signIn(core, s, `refused-${Date.now()}@example.com`)
    const [first, second] = (await core.services.courses.get({ courseId: 'git-essentials' })).lessons.map((l) => l.id)
    await core.services.courses.updateProgress({ courseId: 'git-essentials', lessonId: first as string, action: 'complete' })
    // A change this server cannot apply (as one from a newer version of the app would be), then more learning.
    await core.db.write((tx) => appendMutation(tx, { id: 'refused-change', name: 'lesson.teleport', args: { to: 'the end' }, createdAt: 1 }))
    await core.services.courses.updateProgress({ courseId: 'git-essentials', lessonId: second as string, action: 'complete' })

    const status = await core.services.account.syncNow()
    expect(status).toMatchObject({ state: 'up-to-date', pending: 0, setAside: 1, lastError: null })
    const aside = await core.db.client.execute('SELECT id, name, reason FROM sync_set_aside')
    expect(aside.rows.map((r) => ({ ...r }))).toEqual([
      { id: 'refused-change', name: 'lesson.teleport', reason: expect.stringMatching(/lesson\.teleport .*does not know that kind of change/) },
    ])
    // Both lessons reached the server.
    const serverDb = createClient({ url: `file:${join(s.dir, 'server.db')}` })
    cleanup.push(() => serverDb.close())
    const done = await serverDb.execute({ sql: 'SELECT lesson_id FROM lesson_progress WHERE user_id = ? AND completed = 1 ORDER BY lesson_id', args: [core.userId] })
    expect(done.rows.map((r) => r.lesson_id)).toEqual([first, second].sort())
    // The refused change is not sent again.
    await logCaughtUp(s)
    const before = pushes(s)
    expect(await core.services.account.syncNow()).toMatchObject({ state: 'up-to-date', pending: 0, setAside: 1 })
    await logCaughtUp(s)
    expect(pushes(s)).toBe(before)
  })
})
