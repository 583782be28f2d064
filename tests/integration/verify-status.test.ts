/** auth.verify answers the signed-in status at once, not the engine's status from before the sign-in. */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../electron/core/core'
import { createFileTokenStore } from '../../electron/core/sync/token-store'
import { fakeClock } from '../helpers/clock'
import { tempDir } from '../helpers/core'
import { COURSES_DIR, MIGRATIONS_DIR } from '../helpers/paths'
import { latestCode, startServer, type TestServer } from '../helpers/server'

let server: TestServer
let core: Core

beforeAll(async () => {
  server = await startServer({ env: { RATE_LIMIT_PER_IP: '100000', RATE_LIMIT_PER_EMAIL: '100000' } })
  const dir = await tempDir('pathwise-verify-')
  core = await openCore({
    dataDir: dir,
    coursesDir: COURSES_DIR,
    migrationsDir: MIGRATIONS_DIR,
    clock: fakeClock('2026-07-01T09:00:00Z'),
    timezone: 'UTC',
    // Only the sign-in starts a sync: no timer may publish a status the answer could be confused with.
    sync: { serverUrl: server.url, tokens: createFileTokenStore(join(dir, 'token')), timings: { debounceMs: 1e9, periodMs: 1e9, backoffBaseMs: 1e9, backoffMaxMs: 1e9 } },
  })
})
afterAll(async () => {
  await core?.sync?.idle()
  core?.close()
  await server?.stop()
})

describe('auth.verify', () => {
  it('answers signed in with the account email, 10 sign-ins in a row', async () => {
    const email = `verify-${Date.now()}@example.com`
    for (let i = 0; i < 10; i++) {
      await core.services.account.start({ email })
      const answer = await core.services.account.verify({ email, code: await latestCode(server, email) })
      // Signed in: a sync has started (it may already be done); the account is named.
      expect({ try: i, signedIn: ['syncing', 'up-to-date'].includes(answer.state), state: answer.state, email: answer.email }).toEqual({ try: i, signedIn: true, state: answer.state, email })
      await core.sync?.idle()
      expect(core.sync?.status()).toMatchObject({ state: 'up-to-date', email })
      expect(await core.services.account.signOut()).toMatchObject({ state: 'signed-out', email: null })
    }
  })
})
