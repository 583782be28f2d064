/**
 * The sign-in link carries the device's nonce (issue 12 §2 "Login CSRF", server side): the app sends
 * a nonce with its request for a code, and the mailed link gives it back, so the app can accept only
 * links it asked for. The in-process app over real HTTP and a real database file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInLink } from '../../server/auth'
import { codeOf, startAuthApp, type AuthApp } from '../helpers/auth-app'

let app: AuthApp
beforeAll(async () => {
  app = await startAuthApp()
})
afterAll(async () => {
  await app.close()
})

const start = (json: unknown) => app.from('127.0.0.10')('POST', '/v1/auth/email/start', { json })

describe('the nonce in the sign-in link', () => {
  it('a start with a nonce mails a link that carries it', async () => {
    const nonce = 'dev1ce-Nonce_0123456789abcdef'
    expect((await start({ email: 'Linked@Example.com', nonce })).status).toBe(202)
    const mail = app.mails.at(-1)
    const code = codeOf(mail)
    expect(mail?.text).toContain(`pathwise://auth/verify?email=linked%40example.com&code=${code}&nonce=${nonce}`)
    expect(signInLink('linked@example.com', code, nonce)).toBe(`pathwise://auth/verify?email=linked%40example.com&code=${code}&nonce=${nonce}`)
  })

  it('a start without one (an older app) mails the link as before', async () => {
    expect((await start({ email: 'old.app@example.com' })).status).toBe(202)
    const mail = app.mails.at(-1)
    expect(mail?.text).toContain(`pathwise://auth/verify?email=old.app%40example.com&code=${codeOf(mail)}\n`)
  })

  it('a malformed nonce is refused and nothing is mailed', async () => {
    const before = app.mails.length
    for (const nonce of ['short', 'has spaces in it 0123456789', 'x'.repeat(65), 42]) {
      const reply = await start({ email: 'bad.nonce@example.com', nonce })
      expect(reply.status, String(nonce)).toBe(400)
      expect(reply.body.error.code).toBe('INVALID')
    }
    expect(app.mails).toHaveLength(before)
  })
})
