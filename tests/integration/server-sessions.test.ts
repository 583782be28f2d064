/**
 * Sessions of several devices (issue 12 §2 "Sessions", rules in server/auth.ts): each sign-in is its own
 * session; signing out ends only that one, signout-all ends every one; expiry slides with use (written
 * at most once an hour) up to a year. The in-process app over real HTTP and a real database file, with
 * its clock moved by the test.
 */
import { createHash } from 'node:crypto'
import { copyFile, mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SyncUser } from '../../electron/core/sync/protocol'
import { createAuth } from '../../server/auth'
import { openServerDatabase } from '../../server/db'
import { codeOf, startAuthApp, type AuthApp, type ErrorOr } from '../helpers/auth-app'
import { tempDir } from '../helpers/core'
import { MIGRATIONS_DIR, ROOT } from '../helpers/paths'

type Signed = ErrorOr & { token: string; user: SyncUser }

const DAY = 86_400
const EMAIL = 'devices@example.com'

let app: AuthApp
beforeEach(async () => {
  app = await startAuthApp()
})
afterEach(async () => {
  await app.close()
})

/** Signs in like a device at `address` would: asks for a code and verifies it. */
async function signIn(address: string, email = EMAIL): Promise<Signed> {
  const call = app.from(address)
  expect((await call('POST', '/v1/auth/email/start', { json: { email } })).status).toBe(202)
  const verified = await call<Signed>('POST', '/v1/auth/email/verify', { json: { email, code: codeOf(app.mails.at(-1)) } })
  expect(verified.status, JSON.stringify(verified.body)).toBe(200)
  return verified.body
}

const me = (token: string) => app.from('127.0.0.1')('GET', '/v1/me', { token })
const status = async (token: string) => (await me(token)).status
const storedExpiry = async () => (await app.db.client.execute('SELECT expires FROM sessions')).rows.map((r) => Number(r.expires))

describe('sessions of several devices', () => {
  it('each device gets its own session; signing out on one ends only that one', async () => {
    const laptop = await signIn('127.0.0.10')
    const desktop = await signIn('127.0.0.11')
    expect(desktop.user.id).toBe(laptop.user.id)
    expect(desktop.token).not.toBe(laptop.token)
    expect([await status(laptop.token), await status(desktop.token)]).toEqual([200, 200])

    expect((await app.from('127.0.0.11')('POST', '/v1/auth/signout', { token: desktop.token })).status).toBe(204)
    expect([await status(laptop.token), await status(desktop.token)]).toEqual([200, 401])
  })

  it('signout-all ends every session of the learner, and only theirs', async () => {
    const tokens = [(await signIn('127.0.0.10')).token, (await signIn('127.0.0.11')).token, (await signIn('127.0.0.12')).token]
    const someoneElse = (await signIn('127.0.0.13', 'someone.else@example.com')).token
    const out = await app.from('127.0.0.10')('POST', '/v1/auth/signout-all', { token: tokens[0] })
    expect(out.status).toBe(200)
    expect(out.body).toEqual({ signedOut: 3 })
    for (const token of tokens) expect(await status(token)).toBe(401)
    expect(await status(someoneElse)).toBe(200)
    // Its own token is gone too, so a second signout-all is refused like any unknown token.
    const again = await app.from('127.0.0.10')('POST', '/v1/auth/signout-all', { token: tokens[0] })
    expect(again.status).toBe(401)
    expect(again.body.error.code).toBe('UNAUTHORIZED')
  })

  it('a token never works after its session is deleted, however the row went', async () => {
    const { token } = await signIn('127.0.0.10')
    await app.db.client.execute('DELETE FROM sessions')
    expect(await status(token)).toBe(401)
  })
})

describe('sliding expiry', () => {
  it('a session in use stays signed in past 90 days', async () => {
    const { token } = await signIn('127.0.0.10')
    for (let day = 60; day <= 300; day += 60) {
      app.advance(60 * DAY)
      expect(await status(token), `day ${day}`).toBe(200)
    }
  })

  it('a session unused for 90 days ends', async () => {
    const { token } = await signIn('127.0.0.10')
    app.advance(90 * DAY - 1)
    expect(await status(token)).toBe(200)
    app.advance(90 * DAY)
    expect(await status(token)).toBe(401)
  })

  it('no session lasts beyond a year, however often it is used', async () => {
    const { token } = await signIn('127.0.0.10')
    for (let day = 30; day < 365; day += 30) {
      app.advance(30 * DAY)
      expect(await status(token), `day ${day}`).toBe(200)
    }
    app.advance(5 * DAY - 1) // one second before the year is out
    expect(await status(token)).toBe(200)
    app.advance(1)
    expect(await status(token)).toBe(401)
  })

  it('using a session writes its new expiry at most once an hour', async () => {
    const { token } = await signIn('127.0.0.10')
    const [signedInUntil] = await storedExpiry()
    app.advance(60)
    const before = app.writes
    for (let i = 0; i < 20; i++) {
      expect(await status(token)).toBe(200)
      app.advance(60) // 20 minutes in all
    }
    expect(app.writes - before).toBe(0)
    expect(await storedExpiry()).toEqual([signedInUntil])

    app.advance(3_600)
    expect(await status(token)).toBe(200)
    expect(app.writes - before).toBe(1)
    expect(await storedExpiry()).toEqual([app.now() + 90 * DAY])
    for (let i = 0; i < 10; i++) expect(await status(token)).toBe(200)
    expect(app.writes - before).toBe(1)
  })
})

describe('sessions from before sliding expiry', () => {
  it('keep working after the upgrade, with the year counted from when they began', async () => {
    const dir = await tempDir('pathwise-sessions-upgrade-')
    const before = join(dir, 'migrations-before')
    try {
      await mkdir(before)
      await copyFile(join(ROOT, 'server/migrations/001_sync_server.sql'), join(before, '001_sync_server.sql'))
      const url = `file:${join(dir, 'server.db')}`
      const T0 = 1_750_000_000
      const token = 'token-of-a-session-opened-by-the-old-server-0123'
      const old = await openServerDatabase({ url, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: before })
      await old.client.execute({ sql: "INSERT INTO users (id, email) VALUES ('u-old', 'old@example.com')", args: [] })
      await old.client.execute({ sql: "INSERT INTO sessions (id, session_token, user_id, expires) VALUES ('s-old', ?, 'u-old', ?)", args: [createHash('sha256').update(token).digest('hex'), T0 + 90 * DAY] })
      old.close()

      const db = await openServerDatabase({ url, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: join(ROOT, 'server/migrations') })
      try {
        let now = T0 + 10 * DAY
        const auth = createAuth({ db, mailer: { send: async () => undefined, close() {} }, secret: 'upgrade-test-key-0123456789abcdef0123', now: () => now })
        expect((await auth.authenticate(token)).user.email).toBe('old@example.com')
        // Used every 60 days it slides on, until a year after it began (90 days before it was to expire).
        for (const day of [70, 130, 190, 250, 310, 364]) {
          now = T0 + day * DAY
          expect((await auth.authenticate(token)).user.id, `day ${day}`).toBe('u-old')
        }
        now = T0 + 365 * DAY
        await expect(auth.authenticate(token)).rejects.toMatchObject({ status: 401 })
      } finally {
        db.close()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
