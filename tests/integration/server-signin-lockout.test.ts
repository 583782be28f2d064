/**
 * Sign-in cannot be turned against a learner (issue 12 §2 "Locking a victim out"): someone at another
 * client address can neither lock the learner's code, nor cancel it, nor use up the codes the learner
 * may be mailed. The in-process app over real HTTP and a real database file, with its clock moved by
 * the test; the learner and the attackers connect from different 127.0.0.x addresses.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SyncUser } from '../../electron/core/sync/protocol'
import { codeOf, startAuthApp, wrongCodeFor, type AuthApp, type ErrorOr } from '../helpers/auth-app'

type Signed = ErrorOr & { token: string; user: SyncUser }

const LEARNER = '127.0.0.10'
const ATTACKER = '127.0.0.20'
const EMAIL = 'victim@example.com'

let app: AuthApp

beforeEach(async () => {
  app = await startAuthApp()
})
afterEach(async () => {
  await app.close()
})

/** Asks for a code from `address` and returns the code mailed for that request. */
async function codeFrom(address: string, email = EMAIL): Promise<string> {
  const before = app.mails.length
  const reply = await app.from(address)('POST', '/v1/auth/email/start', { json: { email } })
  expect(reply.status, JSON.stringify(reply.body)).toBe(202)
  expect(app.mails).toHaveLength(before + 1)
  return codeOf(app.mails.at(-1))
}

const verify = (address: string, code: string, email = EMAIL) => app.from(address)<Signed>('POST', '/v1/auth/email/verify', { json: { email, code } })
const start = (address: string, email = EMAIL) => app.from(address)('POST', '/v1/auth/email/start', { json: { email } })

/** The finding's attack, once: 5 codes asked for and 25 wrong codes tried from one address. */
async function attackOnce(address: string, avoid: string[]): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await start(address)
    for (let j = 0; j < 5; j++) await verify(address, wrongCodeFor(...avoid))
  }
}

describe('sign-in from another address cannot lock a learner out', () => {
  it('wrong codes tried from another address do not lock the code the learner was mailed', async () => {
    const code = await codeFrom(LEARNER)
    const statuses = new Set<string>()
    for (let i = 0; i < 25; i++) statuses.add((await verify(ATTACKER, wrongCodeFor(code))).body.error.code)
    // The attacker's own address runs out of tries…
    expect(statuses).toEqual(new Set(['CODE_WRONG', 'CODE_LOCKED']))
    // …the learner's code does not.
    const signed = await verify(LEARNER, code)
    expect(signed.status, JSON.stringify(signed.body)).toBe(200)
    expect(signed.body.user.email).toBe(EMAIL)
  })

  it('codes asked for from another address neither replace the learner’s code nor use up the learner’s mail', async () => {
    const first = await codeFrom(LEARNER)
    for (let i = 0; i < 5; i++) expect((await start(ATTACKER)).status).toBe(202)
    const limited = await start(ATTACKER)
    expect(limited.status).toBe(429)
    expect(limited.headers['retry-after']).toBe('600')
    // The learner may still be mailed a code, and both the learner's codes still work.
    const second = await codeFrom(LEARNER)
    expect((await verify(LEARNER, first)).status).toBe(200)
    expect((await verify(LEARNER, second)).status).toBe(200)
  })

  it('the finding’s attack repeated every 10 minutes never keeps the learner out', async () => {
    for (let round = 0; round < 4; round++) {
      await attackOnce(ATTACKER, [])
      const code = await codeFrom(LEARNER)
      await attackOnce(ATTACKER, [code])
      const signed = await verify(LEARNER, code)
      expect(signed.status, `round ${round}: ${JSON.stringify(signed.body)}`).toBe(200)
      app.advance(600)
    }
  })

  it('an attacker spread over many addresses only slows the mail: the learner is still mailed a code and signs in', async () => {
    const attackers = Array.from({ length: 8 }, (_, i) => `127.0.0.${30 + i}`)
    const statuses: number[] = []
    for (const address of attackers) for (let i = 0; i < 5; i++) statuses.push((await start(address)).status)
    // Six addresses use up the email's cap (30 an hour); past it each address is mailed one code an hour.
    expect(statuses.filter((s) => s === 202)).toHaveLength(32)
    expect(statuses.filter((s) => s === 429)).toHaveLength(8)
    const code = await codeFrom(LEARNER)
    for (const address of attackers) await verify(address, wrongCodeFor(code))
    expect((await verify(LEARNER, code)).status).toBe(200)
  })

  it('a code works once, and a used code is refused to everyone', async () => {
    const code = await codeFrom(LEARNER)
    expect((await verify(LEARNER, code)).status).toBe(200)
    expect((await verify(LEARNER, code)).body.error.code).toBe('CODE_EXPIRED')
    expect((await verify(ATTACKER, code)).body.error.code).toBe('CODE_EXPIRED')
  })

  it('five wrong tries lock only that address, for that email, for an hour', async () => {
    const code = await codeFrom(LEARNER)
    for (let i = 0; i < 5; i++) expect((await verify(LEARNER, wrongCodeFor(code))).body.error.code).toBe('CODE_WRONG')
    const locked = await verify(LEARNER, code)
    expect(locked.status).toBe(401)
    expect(locked.body.error.code).toBe('CODE_LOCKED')
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(3000)
    // The same learner's other email, and the same code from another of their devices, still work.
    const other = await codeFrom(LEARNER, 'other@example.com')
    expect((await verify(LEARNER, other, 'other@example.com')).status).toBe(200)
    expect((await verify('127.0.0.11', code)).status).toBe(200)
    // An hour later that address may try again.
    app.advance(3601)
    expect((await verify(LEARNER, await codeFrom(LEARNER))).status).toBe(200)
  })
})

describe('plus-addressed variants share the mail limit', () => {
  it('victim+1@… … victim+5@… use up the mail limit of victim@…, and the account keeps the email as typed', async () => {
    for (let i = 1; i <= 5; i++) expect((await start(ATTACKER, `victim+${i}@example.com`)).status).toBe(202)
    expect((await start(ATTACKER, 'victim+6@example.com')).status).toBe(429)
    expect((await start(ATTACKER, 'Victim@Example.com')).status).toBe(429)
    // Another address is not affected, and the account is the plus-addressed email itself.
    const code = await codeFrom(LEARNER, 'victim+pathwise@example.com')
    const signed = await verify(LEARNER, code, 'victim+pathwise@example.com')
    expect(signed.status).toBe(200)
    expect(signed.body.user.email).toBe('victim+pathwise@example.com')
  })
})

describe('live codes per requester', () => {
  it('a requester keeps its 5 newest codes per email: its 6th drops its own oldest, never another requester’s', async () => {
    await app.close()
    app = await startAuthApp({ limits: { mailPerRequester: { max: 100, windowSeconds: 600 } } })
    const learners = await codeFrom(LEARNER)
    const mine: string[] = []
    for (let i = 0; i < 6; i++) mine.push(await codeFrom(ATTACKER))
    const [oldest, ...kept] = mine as [string, ...string[]]
    const rows = await app.db.client.execute({ sql: 'SELECT requester, count(*) AS n FROM sign_in_codes GROUP BY requester ORDER BY requester', args: [] })
    expect(rows.rows.map((r) => [r.requester, Number(r.n)])).toEqual([
      [LEARNER, 1],
      [ATTACKER, 5],
    ])
    if (!kept.includes(oldest) && oldest !== learners) expect((await verify(ATTACKER, oldest)).body.error.code).toBe('CODE_WRONG')
    expect((await verify(ATTACKER, kept.at(-1) as string)).status).toBe(200)
    expect((await verify(LEARNER, learners)).status).toBe(200)
  })
})
