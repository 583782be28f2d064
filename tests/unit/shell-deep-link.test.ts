import { describe, expect, it } from 'vitest'
import { Invalid, Unauthorized } from '../../electron/core/errors'
import {
  answerDeepLink,
  createDeepLinkInbox,
  deepLinkFromArgv,
  MAX_DEEP_LINK_LENGTH,
  parseDeepLink,
  protocolToRegister,
  LINK_NOT_REQUESTED,
  SYNC_NOT_SET_UP_FOR_LINK,
  type DeepLink,
  type LinkCore,
} from '../../electron/main/deep-link'
import { signInLink } from '../../server/auth'

const link = (email: string, code: string, nonce?: string): DeepLink => ({ kind: 'verify', email, code, ...(nonce === undefined ? {} : { nonce }) })
/** A nonce as the app makes them (24 random bytes, base64url). */
const NONCE = 'Zm9vYmFyLWJhei1xdXV4LTAxMjM0NTY3ODlfLWFi'
const WITH_NONCE = `pathwise://auth/verify?email=a%40b.co&code=123456&nonce=${NONCE}`

describe('sign-in links', () => {
  it('the link in the sign-in email is understood', () => {
    expect(parseDeepLink(signInLink('mail.reader@example.com', '042917'))).toEqual(link('mail.reader@example.com', '042917'))
    expect(parseDeepLink(signInLink('a.b+tag@sub.example.org', '123456'))).toEqual(link('a.b+tag@sub.example.org', '123456'))
    // With the nonce of the app that asked for the code, as every mail to this app's request carries.
    expect(parseDeepLink(signInLink('mail.reader@example.com', '042917', NONCE))).toEqual(link('mail.reader@example.com', '042917', NONCE))
  })

  it.each([
    ['pathwise://auth/verify?email=learner%40example.com&code=123456', link('learner@example.com', '123456')],
    ['pathwise://auth/verify?code=123456&email=learner%40example.com', link('learner@example.com', '123456')],
    ['PATHWISE://auth/verify?email=learner%40example.com&code=123456', link('learner@example.com', '123456')],
    ['pathwise://auth/verify?email=Learner%40Example.COM&code=000000', link('learner@example.com', '000000')],
    ['pathwise://auth/verify?email=learner@example.com&code=999999', link('learner@example.com', '999999')],
    // A plus in an unencoded address is a plus, not a space.
    ['pathwise://auth/verify?email=a+b@example.com&code=123456', link('a+b@example.com', '123456')],
    // The nonce of the device that asked for the code, anywhere in the query.
    [WITH_NONCE, link('a@b.co', '123456', NONCE)],
    [`pathwise://auth/verify?nonce=${NONCE}&code=123456&email=a%40b.co`, link('a@b.co', '123456', NONCE)],
    [`pathwise://auth/verify?email=a%40b.co&nonce=${NONCE}&code=123456`, link('a@b.co', '123456', NONCE)],
    // The shortest and the longest nonce SignInNonce allows, and every character it allows.
    [`pathwise://auth/verify?email=a%40b.co&code=123456&nonce=${'A'.repeat(22)}`, link('a@b.co', '123456', 'A'.repeat(22))],
    [`pathwise://auth/verify?email=a%40b.co&code=123456&nonce=${'z'.repeat(64)}`, link('a@b.co', '123456', 'z'.repeat(64))],
    ['pathwise://auth/verify?email=a%40b.co&code=123456&nonce=azAZ09_-azAZ09_-azAZ09_-', link('a@b.co', '123456', 'azAZ09_-azAZ09_-azAZ09_-')],
  ])('%s is a sign-in link', (raw, expected) => {
    expect(parseDeepLink(raw)).toEqual(expected)
  })

  it.each([
    // Not our scheme, host or path.
    ['another scheme', 'https://auth/verify?email=a%40b.co&code=123456'],
    ['a look-alike scheme', 'pathwise-evil://auth/verify?email=a%40b.co&code=123456'],
    ['a scheme without //', 'pathwise:auth/verify?email=a%40b.co&code=123456'],
    ['a scheme with one slash', 'pathwise:/auth/verify?email=a%40b.co&code=123456'],
    ['three slashes', 'pathwise:///auth/verify?email=a%40b.co&code=123456'],
    ['another host', 'pathwise://evil/verify?email=a%40b.co&code=123456'],
    ['an upper-case host', 'pathwise://AUTH/verify?email=a%40b.co&code=123456'],
    ['another path', 'pathwise://auth/reset?email=a%40b.co&code=123456'],
    ['a longer path', 'pathwise://auth/verify/x?email=a%40b.co&code=123456'],
    ['a trailing slash', 'pathwise://auth/verify/?email=a%40b.co&code=123456'],
    ['dot segments', 'pathwise://auth/x/../verify?email=a%40b.co&code=123456'],
    ['encoded dot segments', 'pathwise://auth/%2e%2e/verify?email=a%40b.co&code=123456'],
    ['no query', 'pathwise://auth/verify'],
    ['an empty query', 'pathwise://auth/verify?'],
    // Authority tricks.
    ['credentials', 'pathwise://user:pw@auth/verify?email=a%40b.co&code=123456'],
    ['a user name', 'pathwise://evil@auth/verify?email=a%40b.co&code=123456'],
    ['a port', 'pathwise://auth:8080/verify?email=a%40b.co&code=123456'],
    ['a backslash', 'pathwise://auth\\verify?email=a%40b.co&code=123456'],
    // Fragments, whitespace, control characters.
    ['a fragment', 'pathwise://auth/verify?email=a%40b.co&code=123456#x'],
    ['an empty fragment', 'pathwise://auth/verify?email=a%40b.co&code=123456#'],
    ['a space', 'pathwise://auth/verify?email=a%40b.co&code=123456 --inspect'],
    ['a leading space', ' pathwise://auth/verify?email=a%40b.co&code=123456'],
    ['a newline', 'pathwise://auth/verify?email=a%40b.co&code=123456\n'],
    ['a tab', 'pathwise://auth/verify?email=a%40b.co\t&code=123456'],
    ['a NUL', 'pathwise://auth/verify?email=a%40b.co&code=123456\u0000'],
    ['a quote', 'pathwise://auth/verify?email=a%40b.co&code=123456" --no-sandbox'],
    // Parameters.
    ['a missing code', 'pathwise://auth/verify?email=a%40b.co'],
    ['a missing email', 'pathwise://auth/verify?code=123456'],
    ['an extra parameter', 'pathwise://auth/verify?email=a%40b.co&code=123456&next=https://evil.example'],
    ['a repeated email', 'pathwise://auth/verify?email=a%40b.co&email=c%40d.co&code=123456'],
    ['a repeated code', 'pathwise://auth/verify?email=a%40b.co&code=123456&code=654321'],
    ['an empty pair', 'pathwise://auth/verify?email=a%40b.co&&code=123456'],
    ['a trailing &', 'pathwise://auth/verify?email=a%40b.co&code=123456&'],
    ['a pair without =', 'pathwise://auth/verify?email=a%40b.co&code'],
    ['an upper-case name', 'pathwise://auth/verify?EMAIL=a%40b.co&code=123456'],
    ['a malformed escape', 'pathwise://auth/verify?email=a%E0%A4%A%40b.co&code=123456'],
    // Nonces.
    ['an extra parameter beside the nonce', `${WITH_NONCE}&next=https://evil.example`],
    ['a repeated nonce', `${WITH_NONCE}&nonce=${NONCE}`],
    ['a nonce and no code', `pathwise://auth/verify?email=a%40b.co&nonce=${NONCE}`],
    ['a nonce and no email', `pathwise://auth/verify?code=123456&nonce=${NONCE}`],
    ['an empty nonce', 'pathwise://auth/verify?email=a%40b.co&code=123456&nonce='],
    ['a nonce too short', `pathwise://auth/verify?email=a%40b.co&code=123456&nonce=${'A'.repeat(21)}`],
    ['a nonce too long', `pathwise://auth/verify?email=a%40b.co&code=123456&nonce=${'A'.repeat(65)}`],
    ['a base64 (not base64url) nonce', `pathwise://auth/verify?email=a%40b.co&code=123456&nonce=${'A'.repeat(22)}%2B%2F%3D`],
    ['a nonce with an encoded space', `pathwise://auth/verify?email=a%40b.co&code=123456&nonce=%20${'A'.repeat(22)}`],
    ['a nonce with a dot', `pathwise://auth/verify?email=a%40b.co&code=123456&nonce=${'A'.repeat(22)}.x`],
    ['an upper-case nonce name', `pathwise://auth/verify?email=a%40b.co&code=123456&NONCE=${NONCE}`],
    // Codes.
    ['a 5-digit code', 'pathwise://auth/verify?email=a%40b.co&code=12345'],
    ['a 7-digit code', 'pathwise://auth/verify?email=a%40b.co&code=1234567'],
    ['letters in the code', 'pathwise://auth/verify?email=a%40b.co&code=12a456'],
    ['an encoded space in the code', 'pathwise://auth/verify?email=a%40b.co&code=%20123456'],
    ['non-ASCII digits', 'pathwise://auth/verify?email=a%40b.co&code=%D9%A1%D9%A2%D9%A3%D9%A4%D9%A5%D9%A6'],
    ['an empty code', 'pathwise://auth/verify?email=a%40b.co&code='],
    // Addresses.
    ['an invalid address', 'pathwise://auth/verify?email=not-an-address&code=123456'],
    ['an empty address', 'pathwise://auth/verify?email=&code=123456'],
    ['an address with a newline', 'pathwise://auth/verify?email=a%40b.co%0ABcc%3Ax%40y.z&code=123456'],
    ['an address too long', `pathwise://auth/verify?email=${'a'.repeat(250)}%40b.co&code=123456`],
    // Not a link at all.
    ['an empty string', ''],
    ['garbage', 'not a link'],
  ])('a link with %s is refused', (_what, raw) => {
    expect(parseDeepLink(raw)).toBeNull()
  })

  it('a link longer than the cap is refused before it is parsed', () => {
    const raw = `pathwise://auth/verify?email=a%40b.co&code=123456&${'x'.repeat(MAX_DEEP_LINK_LENGTH)}`
    expect(parseDeepLink(raw)).toBeNull()
  })

  it('a non-string is refused', () => {
    expect(parseDeepLink(undefined as unknown as string)).toBeNull()
    expect(parseDeepLink({ toString: () => 'pathwise://auth/verify?email=a%40b.co&code=123456' } as unknown as string)).toBeNull()
  })
})

describe('links on the command line', () => {
  const url = 'pathwise://auth/verify?email=a%40b.co&code=123456'

  it('finds the link among Chromium switches and the app path', () => {
    expect(deepLinkFromArgv(['/usr/bin/pathwise', '--no-sandbox', '--allow-file-access-from-files', url])).toBe(url)
    expect(deepLinkFromArgv(['C:\\Program Files\\Pathwise\\Pathwise.exe', '/work/main', url])).toBe(url)
    expect(deepLinkFromArgv(['electron', 'PATHWISE://auth/verify'])).toBe('PATHWISE://auth/verify')
  })

  it('takes the first link when there are several', () => {
    expect(deepLinkFromArgv(['pathwise', url, 'pathwise://auth/verify?email=c%40d.co&code=654321'])).toBe(url)
  })

  it('returns what it found unparsed: parseDeepLink decides', () => {
    expect(deepLinkFromArgv(['pathwise', 'pathwise://evil'])).toBe('pathwise://evil')
  })

  it.each([[[]], [['/usr/bin/pathwise']], [['/usr/bin/pathwise', '--flag', 'https://example.com/']], [['pathwise-evil://x', '/pathwise://x', '--url=pathwise://x']]])(
    'no link in %j',
    (argv) => {
      expect(deepLinkFromArgv(argv)).toBeNull()
    },
  )
})

describe('registering the pathwise: scheme', () => {
  it('the installed app registers itself', () => {
    expect(protocolToRegister({ isPackaged: true })).toBe('pathwise')
  })

  it('a development build never becomes the handler of sign-in links', () => {
    expect(protocolToRegister({ isPackaged: false })).toBeNull()
  })
})

function fakeCore(options: { sync: boolean; verify?: (input: unknown) => Promise<unknown> }): LinkCore & { calls: unknown[] } {
  const calls: unknown[] = []
  const record = (channel: string) => async (input: unknown) => {
    calls.push({ [channel]: input })
    return options.verify ? options.verify(input) : { state: 'idle' }
  }
  return {
    calls,
    sync: options.sync ? {} : null,
    // The typed-code path is here too, so a test sees if a link ever takes it.
    services: { account: { verifyLink: record('verifyLink'), verify: record('verify') } as LinkCore['services']['account'] },
  }
}

describe('answering a sign-in link', () => {
  it("verifies the link's email, code and nonce with the account service's link check", async () => {
    const core = fakeCore({ sync: true })
    expect(await answerDeepLink(core, link('a@b.co', '123456', NONCE))).toEqual({ ok: true })
    expect(core.calls).toEqual([{ verifyLink: { email: 'a@b.co', code: '123456', nonce: NONCE } }])
  })

  it('a link without a nonce was not asked for by this app: the learner is told, and nothing is called', async () => {
    const core = fakeCore({ sync: true })
    expect(await answerDeepLink(core, link('a@b.co', '123456'))).toEqual({ ok: false, message: LINK_NOT_REQUESTED })
    expect(core.calls).toEqual([])
    expect(LINK_NOT_REQUESTED).toMatch(/not requested on this computer/)
  })

  it('without a sync server the learner is told, and nothing is called', async () => {
    const core = fakeCore({ sync: false })
    expect(await answerDeepLink(core, link('a@b.co', '123456', NONCE))).toEqual({ ok: false, message: SYNC_NOT_SET_UP_FOR_LINK })
    expect(core.calls).toEqual([])
    expect(SYNC_NOT_SET_UP_FOR_LINK).toMatch(/not set up/)
  })

  it("a refused code comes back as the core's readable message", async () => {
    const core = fakeCore({ sync: true, verify: () => Promise.reject(new Unauthorized('That code is not right. Check the email and try again.')) })
    expect(await answerDeepLink(core, link('a@b.co', '123456', NONCE))).toEqual({ ok: false, message: 'That code is not right. Check the email and try again.' })
    const invalid = fakeCore({ sync: true, verify: () => Promise.reject(new Invalid('The code has 6 digits')) })
    expect(await answerDeepLink(invalid, link('a@b.co', '123456', NONCE))).toEqual({ ok: false, message: 'The code has 6 digits' })
  })

  it('an unexpected failure is not described beyond a generic message', async () => {
    const core = fakeCore({ sync: true, verify: () => Promise.reject(new Error('ECONNRESET at /secret/path token=abc')) })
    const outcome = await answerDeepLink(core, link('a@b.co', '123456', NONCE))
    expect(outcome.ok).toBe(false)
    expect(JSON.stringify(outcome)).not.toMatch(/ECONNRESET|secret|token/)
  })

  it('reads the services at call time (signing in replaces them)', async () => {
    const first = fakeCore({ sync: true })
    const second = fakeCore({ sync: true })
    let current = first
    const core: LinkCore = {
      sync: {},
      get services() {
        return current.services
      },
    }
    current = second
    await answerDeepLink(core, link('a@b.co', '123456', NONCE))
    expect(first.calls).toEqual([])
    expect(second.calls).toHaveLength(1)
  })
})

describe('links waiting for the core', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

  it('links that arrive before the core is open are handled once it is, in order', async () => {
    const inbox = createDeepLinkInbox()
    const seen: string[] = []
    inbox.push(link('a@b.co', '111111'))
    inbox.push(link('a@b.co', '222222'))
    await settle()
    expect(seen).toEqual([])
    inbox.open(async (l) => {
      seen.push(l.code)
    })
    inbox.push(link('a@b.co', '333333'))
    await settle()
    expect(seen).toEqual(['111111', '222222', '333333'])
  })

  it('handles one link at a time: two sign-ins never overlap', async () => {
    const inbox = createDeepLinkInbox()
    const events: string[] = []
    let release: () => void = () => undefined
    inbox.open(async (l) => {
      events.push(`start ${l.code}`)
      if (l.code === '111111') await new Promise<void>((resolve) => (release = resolve))
      events.push(`end ${l.code}`)
    })
    inbox.push(link('a@b.co', '111111'))
    inbox.push(link('a@b.co', '222222'))
    await settle()
    expect(events).toEqual(['start 111111'])
    release()
    await settle()
    expect(events).toEqual(['start 111111', 'end 111111', 'start 222222', 'end 222222'])
  })

  it('a failing handler is reported and the next link is still handled', async () => {
    const errors: unknown[] = []
    const inbox = createDeepLinkInbox((error) => errors.push(error))
    const seen: string[] = []
    inbox.open(async (l) => {
      if (l.code === '111111') throw new Error('boom')
      seen.push(l.code)
    })
    inbox.push(link('a@b.co', '111111'))
    inbox.push(link('a@b.co', '222222'))
    await settle()
    await settle()
    expect(errors).toHaveLength(1)
    expect(seen).toEqual(['222222'])
  })

  it('keeps only the newest few links while the core is not open', async () => {
    const inbox = createDeepLinkInbox()
    for (let i = 0; i < 20; i++) inbox.push(link('a@b.co', String(100000 + i)))
    const seen: string[] = []
    inbox.open(async (l) => {
      seen.push(l.code)
    })
    await settle()
    expect(seen).toEqual(['100015', '100016', '100017', '100018', '100019'])
  })
})
