/**
 * A computer with no keyring: the session token lives only in memory. Signed in and syncing against a
 * real server, nothing in the data folder holds the token, the status says 'memory', and the next start
 * is signed out.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../electron/core/core'
import { createFileTokenStore, createMemoryTokenStore, type TokenStore } from '../../electron/core/sync/token-store'
import { fakeClock } from '../helpers/clock'
import { tempDir } from '../helpers/core'
import { COURSES_DIR, MIGRATIONS_DIR } from '../helpers/paths'
import { latestCode, startServer } from '../helpers/server'

const NEVER = 2_000_000_000
const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

async function open(dataDir: string, serverUrl: string, tokens: TokenStore): Promise<Core> {
  const core = await openCore({
    dataDir,
    coursesDir: COURSES_DIR,
    migrationsDir: MIGRATIONS_DIR,
    clock: fakeClock('2026-07-01T09:00:00Z'),
    timezone: 'UTC',
    sync: { serverUrl, tokens, timings: { debounceMs: NEVER, periodMs: NEVER, backoffBaseMs: NEVER, backoffMaxMs: NEVER } },
  })
  cleanup.push(() => core.close())
  return core
}

/** Every file under the folder, recursively (the database, its WAL, logs, anything). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

describe('a session kept only in memory', () => {
  it('syncs, is reported as memory, and never reaches the data folder', async () => {
    const server = await startServer()
    cleanup.push(() => server.stop())
    const dataDir = await tempDir('pathwise-memory-token-')
    const tokens = createMemoryTokenStore()
    const core = await open(dataDir, server.url, tokens)
    core.sync?.start()
    await core.sync?.idle()
    // Before sign-in the Account screen can already say how a session would be kept.
    expect(await core.services.account.status()).toMatchObject({ state: 'signed-out', tokenKept: 'memory' })

    const email = `memory-${Date.now()}@example.com`
    await core.services.account.start({ email })
    await core.services.account.verify({ email, code: await latestCode(server, email) })
    await core.sync?.idle()
    const lesson = (await core.services.courses.get({ courseId: 'git-essentials' })).lessons[0]?.id as string
    await core.services.courses.updateProgress({ courseId: 'git-essentials', lessonId: lesson, action: 'complete' })
    const status = await core.services.account.syncNow()
    expect(status).toMatchObject({ state: 'up-to-date', pending: 0, email, tokenKept: 'memory' })

    const token = await tokens.load()
    expect(token).toMatch(/.{16,}/)
    const files = await filesUnder(dataDir)
    expect(files.some((f) => f.endsWith('pathwise.db'))).toBe(true)
    expect(files.filter((f) => /token/i.test(f.slice(dataDir.length)))).toEqual([])
    for (const file of files) expect((await readFile(file)).includes(Buffer.from(token as string)), file).toBe(false)

    // The next start has no session: the learner signs in again, and keeps everything learned here.
    await core.sync?.idle()
    core.close()
    cleanup.pop()
    const again = await open(dataDir, server.url, createMemoryTokenStore())
    expect(await again.services.account.syncNow()).toMatchObject({ state: 'signed-out', tokenKept: 'memory' })
    expect((await again.services.stats.get()).lessonsCompleted).toBe(1)
  })

  it("the loopback host's file store reports 'file', and no sync server reports nothing", async () => {
    const server = await startServer()
    cleanup.push(() => server.stop())
    const dataDir = await tempDir('pathwise-file-token-')
    const core = await open(dataDir, server.url, createFileTokenStore(join(dataDir, 'session-token')))
    expect(await core.services.account.syncNow()).toMatchObject({ state: 'signed-out', tokenKept: 'file' })

    const offline = await openCore({ dataDir: await tempDir('pathwise-no-sync-'), coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR, timezone: 'UTC' })
    cleanup.push(() => offline.close())
    expect(await offline.services.account.status()).toMatchObject({ state: 'signed-out', tokenKept: null })
  })
})
