/**
 * One device, one session: signing in again on a computer that is already signed in (the same account
 * or another one) ends the session it had, so an older token never keeps working beside the new one.
 * A real server process and a real device.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../electron/core/clock'
import { answerDeepLink, parseDeepLink, type DeepLink } from '../../electron/main/deep-link'
import { openDevice, type Device } from '../helpers/devices'
import { call, latestMail, startServer, type TestServer } from '../helpers/server'

let server: TestServer
beforeAll(async () => {
  server = await startServer({ env: { RATE_LIMIT_PER_IP: '1000' } })
})
afterAll(async () => {
  await server.stop()
})

const tokenOf = async (device: Device) => (await readFile(join(device.dataDir, 'session-token'), 'utf8')).trim()
const answersTo = async (token: string) => (await call(server, 'GET', '/v1/me', { token })).status

describe('signing in again on a signed-in computer', () => {
  it.each([
    ['the same account', 'again-ada@example.com', 'again-ada@example.com'],
    ['another account', 'again-bob@example.com', 'again-grace@example.com'],
  ])('with %s ends the session it had, and the new one works', async (_what, first, second) => {
    const device = await openDevice(server, systemClock)
    try {
      await device.signIn(first)
      const before = await tokenOf(device)
      expect(await answersTo(before)).toBe(200)

      await device.signIn(second)
      const after = await tokenOf(device)
      expect(after).not.toBe(before)
      expect(await answersTo(after)).toBe(200)
      expect(await answersTo(before)).toBe(401)
    } finally {
      device.close()
    }
  })

  it("with a sign-in link for another account ends the session it had, before the new account is confirmed", async () => {
    const device = await openDevice(server, systemClock)
    try {
      await device.signIn('again-link-ada@example.com')
      const before = await tokenOf(device)

      await device.core.services.account.start({ email: 'again-link-bob@example.com' })
      const raw = /pathwise:\/\/auth\/verify\?\S+/.exec(await latestMail(server, 'again-link-bob@example.com'))?.[0] ?? ''
      expect(await answerDeepLink(device.core, parseDeepLink(raw) as DeepLink)).toEqual({ ok: true })
      expect((await device.core.services.account.status()).state).toBe('awaiting-confirmation')

      expect(await answersTo(await tokenOf(device))).toBe(200)
      expect(await answersTo(before)).toBe(401)
    } finally {
      device.close()
    }
  })
})
