/**
 * The guessing budget of an email (issue 12 §2 "Guessing budget"): asking for a new code no longer
 * buys new guesses. Each email takes at most 10 failed comparisons an hour across all its codes and all
 * addresses; past that only codes an address asked for itself are checked for it, 3 comparisons a day.
 * The in-process app with a moved clock, then the real server process across a restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SyncUser } from '../../electron/core/sync/protocol'
import { callFrom, codeOf, startAuthApp, wrongCodeFor, type AuthApp, type ErrorOr } from '../helpers/auth-app'
import { latestCode, startServer } from '../helpers/server'

type Signed = ErrorOr & { token: string; user: SyncUser }

const EMAIL = 'target@example.com'
const LEARNER = '127.0.0.10'
const attacker = (n: number) => `127.0.0.${100 + n}`

describe('the guessing budget of an email', () => {
  let app: AuthApp
  beforeEach(async () => {
    app = await startAuthApp()
  })
  afterEach(async () => {
    await app.close()
  })

  async function codeFrom(address: string): Promise<string> {
    const reply = await app.from(address)('POST', '/v1/auth/email/start', { json: { email: EMAIL } })
    expect(reply.status, JSON.stringify(reply.body)).toBe(202)
    return codeOf(app.mails.at(-1))
  }
  const verify = (address: string, code: string) => app.from(address)<Signed>('POST', '/v1/auth/email/verify', { json: { email: EMAIL, code } })

  /** The learner is waiting for a code; three addresses guess at it until the email's budget is spent. */
  async function spendBudget(): Promise<string> {
    const code = await codeFrom(LEARNER)
    for (let n = 1; n <= 3; n++) for (let i = 0; i < 4; i++) await verify(attacker(n), wrongCodeFor(code))
    return code
  }

  it('a new code does not buy new guesses: past the budget a lucky guess from another address is refused', async () => {
    // The finding: each start reset the 5-try counter. Three addresses each ask for a code and guess 3 times.
    const codes: string[] = []
    for (let n = 1; n <= 3; n++) {
      codes.push(await codeFrom(attacker(n)))
      for (let i = 0; i < 3; i++) expect((await verify(attacker(n), wrongCodeFor(...codes))).body.error.code).toBe('CODE_WRONG')
    }
    // A fourth address "guesses" a live code right (the test read it from the learner's mail): refused
    // without being checked, and without signing anyone in.
    const lucky = await verify(attacker(4), codes[2] as string)
    expect(lucky.status).toBe(401)
    expect(lucky.body.error.code).toBe('CODE_LOCKED')
    expect((await verify(attacker(4), codes[0] as string)).body.error.code).toBe('CODE_LOCKED')
  })

  it('while the budget is spent the learner signs in with a code mailed at their own request', async () => {
    const waiting = await spendBudget()
    expect((await verify(LEARNER, waiting)).status).toBe(200)
    const fresh = await codeFrom(LEARNER)
    expect((await verify(LEARNER, fresh)).status).toBe(200)
  })

  it('past the budget an address gets 3 comparisons a day, against its own codes only', async () => {
    const learners = await spendBudget()
    const own = await codeFrom(attacker(5))
    const answers: string[] = []
    for (let i = 0; i < 4; i++) answers.push((await verify(attacker(5), wrongCodeFor(own, learners))).body.error.code)
    expect(answers).toEqual(['CODE_WRONG', 'CODE_WRONG', 'CODE_WRONG', 'CODE_LOCKED'])
    expect((await verify(attacker(5), own)).body.error.code).toBe('CODE_LOCKED')
    expect((await verify(attacker(6), learners)).body.error.code).toBe('CODE_LOCKED')
    expect((await verify(LEARNER, learners)).status).toBe(200)
  })

  it('the budget comes back after an hour: every live code is checked again', async () => {
    const code = await spendBudget()
    expect((await verify('127.0.0.11', code)).body.error.code).toBe('CODE_LOCKED')
    app.advance(3_601)
    const later = await codeFrom(LEARNER)
    // Another of the learner's devices (another address) may use it once the hour has passed.
    expect((await verify('127.0.0.11', later)).status).toBe(200)
  })
})

describe('the guessing budget across a restart of the real server', () => {
  it('is kept in the database, so restarting the server does not hand out new guesses', async () => {
    const server = await startServer({ env: { RATE_LIMIT_PER_IP: '10000' } })
    try {
      const verify = (address: string, code: string) => callFrom<Signed>(server.url, address, 'POST', '/v1/auth/email/verify', { json: { email: EMAIL, code } })
      const codes: string[] = []
      for (let n = 1; n <= 3; n++) {
        expect((await callFrom(server.url, attacker(n), 'POST', '/v1/auth/email/start', { json: { email: EMAIL } })).status).toBe(202)
        codes.push(await latestCode(server, EMAIL))
        for (let i = 0; i < 3; i++) expect((await verify(attacker(n), wrongCodeFor(...codes))).body.error.code).toBe('CODE_WRONG')
      }
      await server.restart()
      const lucky = await verify(attacker(4), codes[2] as string)
      expect(lucky.status).toBe(401)
      expect(lucky.body.error.code).toBe('CODE_LOCKED')
    } finally {
      await server.stop()
    }
  })
})
