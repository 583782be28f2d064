/**
 * The sync server on a remote LibSQL database (`--db http://…`, as with sqld or Turso) instead of a
 * file: the same migrations and triggers, and two devices converging through it. Runs where an sqld
 * binary is found (SQLD_PATH, or .tmp/sqld/sqld which .ci/run fetches); elsewhere it is skipped and
 * says so.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeClock } from '../helpers/clock'
import { tempDir } from '../helpers/core'
import { learnerSnapshot, openDevice } from '../helpers/devices'
import { ROOT } from '../helpers/paths'
import { call, signIn, startServer, type TestServer } from '../helpers/server'

const SQLD = [process.env.SQLD_PATH, join(ROOT, '.tmp/sqld/sqld')].find((p): p is string => Boolean(p) && existsSync(p as string))
if (!SQLD) console.warn('[integration] SKIPPED the remote-database server tests: no sqld binary (set SQLD_PATH, or let .ci/run fetch it)')

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/** sqld on 127.0.0.1, ready once it answers a query. */
async function startSqld(binary: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await tempDir('pathwise-sqld-')
  const port = await freePort()
  const child: ChildProcess = spawn(binary, ['--db-path', join(dir, 'data'), '--http-listen-addr', `127.0.0.1:${port}`], {
    stdio: 'ignore',
  })
  const url = `http://127.0.0.1:${port}`
  const probe = createClient({ url })
  try {
    for (let tries = 0; ; tries++) {
      try {
        await probe.execute('SELECT 1')
        break
      } catch (error) {
        if (tries > 100 || child.exitCode !== null) throw new Error(`sqld did not start: ${String(error)}`, { cause: error })
        await new Promise((r) => setTimeout(r, 100))
      }
    }
  } finally {
    probe.close()
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM')
      await rm(dir, { recursive: true, force: true })
    },
  }
}

describe.skipIf(!SQLD)('the sync server on a remote LibSQL database (sqld)', () => {
  let sqld: Awaited<ReturnType<typeof startSqld>>
  let server: TestServer
  beforeAll(async () => {
    sqld = await startSqld(SQLD as string)
    server = await startServer({ db: sqld.url, env: { RATE_LIMIT_PER_IP: '100000' } })
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
    await sqld?.stop()
  })

  it('migrates the remote database: the shared schema, the server tables and the change-log triggers', async () => {
    const db = createClient({ url: sqld.url })
    try {
      const names = (await db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")).rows.map((r) => String(r.name))
      expect(names).toEqual(expect.arrayContaining(['users', 'lesson_progress', 'outbox', 'sync_clients', 'change_log', 'change_log_lesson_progress_update']))
    } finally {
      db.close()
    }
  })

  it('two devices converge through it, and a refused change rolls back only itself', async () => {
    const clock = fakeClock('2026-05-01T08:00:00Z')
    const a = await openDevice(server, clock)
    const b = await openDevice(server, clock)
    const email = `remote-${Date.now()}@example.com`
    try {
      await a.signIn(email)
      const lessons = (await a.core.services.courses.get({ courseId: 'git-essentials' })).lessons
      const lesson = { courseId: 'git-essentials', lessonId: lessons[0]?.id as string }
      await a.core.services.courses.updateProgress({ ...lesson, action: 'complete' })
      await a.core.services.courses.updateProgress({ ...lesson, action: 'addTime', seconds: 240 })
      await a.core.services.courses.updateProgress({ ...lesson, action: 'saveNotes', notes: 'kept remotely' })
      await a.sync()

      await b.signIn(email)
      expect(await learnerSnapshot(b.core)).toEqual(await learnerSnapshot(a.core))
      expect(await b.core.services.courses.lesson(lesson)).toMatchObject({ completed: true, timeSpent: 240, notes: 'kept remotely' })

      // A batch whose second change is refused: the first is committed, nothing after it is.
      const { token } = await signIn(server, email)
      const at = Math.floor(clock.now() / 1000)
      const refused = await call<{ error: { code: string; mutationId: number } }>(server, 'POST', '/v1/sync/push', {
        token,
        json: {
          clientId: 'remote-check-device',
          mutations: [
            { id: 1, name: 'lesson.addTime', args: { ...lesson, seconds: 60, at, tz: 'UTC' }, createdAt: at },
            { id: 2, name: 'lesson.teleport', args: {}, createdAt: at },
            { id: 3, name: 'lesson.addTime', args: { ...lesson, seconds: 60, at, tz: 'UTC' }, createdAt: at },
          ],
        },
      })
      expect(refused.status).toBe(400)
      expect(refused.body.error).toMatchObject({ code: 'MUTATION_REJECTED', mutationId: 2 })
      await a.sync()
      expect((await a.core.services.courses.lesson(lesson)).timeSpent).toBe(240 + 60)
    } finally {
      a.close()
      b.close()
    }
  })
})
