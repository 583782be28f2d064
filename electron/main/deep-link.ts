/**
 * Sign-in links, `pathwise://auth/verify?email=…&code=…&nonce=…` (the link in the sign-in email, see
 * server/auth.ts signInLink): which strings are such a link, where one is in a command line, what the
 * app answers, and the queue that holds links until the core is open.
 *
 * A link comes from outside (any web page or mail can open a pathwise: URL), so it is parsed strictly
 * and only ever used as an email, a code and a nonce for the account service's link check, which uses
 * it only if this computer asked for that code (the nonce) and then waits for the learner to confirm
 * the account. This module must never import `electron`: it is unit-tested in plain Node
 * (tests/unit/shell-deep-link.test.ts).
 */
import { EmailVerifyBody } from '../core/contract/inputs'
import type { DeepLinkOutcome } from '../core/contract/messages'
import { toErrorBody } from '../core/errors'
import { SignInNonce } from '../core/sync/protocol'
import { LINK_NOT_REQUESTED } from '../core/sync/sign-in-requests'

export { LINK_NOT_REQUESTED }

/** The app's URL scheme, registered with the operating system. */
export const DEEP_LINK_SCHEME = 'pathwise'

/** An email address is at most 254 characters; encoded as %XX that is at most ~800. */
export const MAX_DEEP_LINK_LENGTH = 1024

export interface VerifyLink {
  kind: 'verify'
  email: string
  code: string
  /** The nonce of the app that asked for the code; absent in links from servers before nonces (refused when answered). */
  nonce?: string
}
export type DeepLink = VerifyLink

/** The only link shape, up to its query: the scheme is case-insensitive, the rest is exact. */
const VERIFY_PREFIX = '//auth/verify?'

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const UNSAFE_CHARACTERS = /[\u0000-\u0020\u007f#\\]/

/**
 * The sign-in link in `raw`, or null for anything else: another scheme, host or path, credentials,
 * a port, a fragment, whitespace or control characters, parameters other than exactly one `email`,
 * one `code` and at most one `nonce`, a malformed escape, an invalid address (checked with the
 * contract's own schema), a code that is not exactly 6 digits or a nonce not in SignInNonce's format.
 */
export function parseDeepLink(raw: string): DeepLink | null {
  if (typeof raw !== 'string' || raw.length > MAX_DEEP_LINK_LENGTH || UNSAFE_CHARACTERS.test(raw)) return null
  const scheme = `${DEEP_LINK_SCHEME}:`
  if (raw.slice(0, scheme.length).toLowerCase() !== scheme) return null
  const rest = raw.slice(scheme.length)
  if (!rest.startsWith(VERIFY_PREFIX)) return null

  // The literal prefix already fixes host and path; the URL parser must agree (no userinfo or port
  // can hide in `//auth/`, but a second opinion costs nothing).
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.host !== 'auth' || url.pathname !== '/verify' || url.username || url.password || url.port || url.hash) return null

  const params = parseQuery(rest.slice(VERIFY_PREFIX.length))
  const nonce = params?.get('nonce')
  if (!params || params.size !== (nonce === undefined ? 2 : 3)) return null
  const email = params.get('email')
  const code = params.get('code')
  if (email === undefined || code === undefined || !/^[0-9]{6}$/.test(code)) return null
  if (nonce !== undefined && !SignInNonce.safeParse(nonce).success) return null
  const parsed = EmailVerifyBody.safeParse({ email, code })
  if (!parsed.success) return null
  return { kind: 'verify', email: parsed.data.email, code: parsed.data.code, ...(nonce === undefined ? {} : { nonce }) }
}

/**
 * `a=1&b=2` as a map, or null when a name repeats, a pair has no `=`, or an escape is malformed.
 * decodeURIComponent, not URLSearchParams: a `+` in an address is a plus, not a space.
 */
function parseQuery(query: string): Map<string, string> | null {
  const params = new Map<string, string>()
  for (const pair of query.split('&')) {
    const at = pair.indexOf('=')
    if (at <= 0) return null
    let name: string
    let value: string
    try {
      name = decodeURIComponent(pair.slice(0, at))
      value = decodeURIComponent(pair.slice(at + 1))
    } catch {
      return null
    }
    if (params.has(name)) return null
    params.set(name, value)
  }
  return params
}

/**
 * The pathwise: URL in a command line (Linux and Windows hand links to the app as an argument, to the
 * first instance at start or to it through 'second-instance'), or null. Only the first one counts;
 * parseDeepLink decides whether it is usable.
 */
export function deepLinkFromArgv(argv: readonly string[]): string | null {
  const scheme = `${DEEP_LINK_SCHEME}:`
  return argv.find((arg) => typeof arg === 'string' && arg.slice(0, scheme.length).toLowerCase() === scheme) ?? null
}

/**
 * The scheme to register with app.setAsDefaultProtocolClient, or null. Only the installed app
 * registers: a development build (`npm start`, `electron .`) taking over `pathwise:` would send the
 * learner's sign-in links to a checkout instead of the app they use. In development a link is
 * handed over on the command line instead (`npm start -- -- 'pathwise://auth/verify?…'`, or a
 * second instance, as the tests do).
 */
export function protocolToRegister(options: { isPackaged: boolean }): string | null {
  return options.isPackaged ? DEEP_LINK_SCHEME : null
}

export const SYNC_NOT_SET_UP_FOR_LINK =
  'This sign-in link cannot be used: sync is not set up on this computer (no server address). Everything keeps working offline.'

/** The part of the core a sign-in link needs; `services` is read at call time (sign-in rebuilds it). */
export interface LinkCore {
  sync: unknown
  readonly services: { account: { verifyLink(input: unknown): Promise<unknown> } }
}

/**
 * Signs in with the link's email, code and nonce (the account then waits for the learner's
 * confirmation); failures come back as a learner-readable message, never thrown. A link without a
 * nonce was not asked for by this app: it is refused here, and nothing reaches the server.
 */
export async function answerDeepLink(core: LinkCore, link: DeepLink): Promise<DeepLinkOutcome> {
  if (core.sync === null) return { ok: false, message: SYNC_NOT_SET_UP_FOR_LINK }
  if (link.nonce === undefined) return { ok: false, message: LINK_NOT_REQUESTED }
  try {
    await core.services.account.verifyLink({ email: link.email, code: link.code, nonce: link.nonce })
    return { ok: true }
  } catch (error) {
    return { ok: false, message: toErrorBody(error).message }
  }
}

/** Links waiting for the core; a burst of old links is not worth keeping beyond a few. */
const MAX_QUEUED_LINKS = 5

export interface DeepLinkInbox {
  /** Handles the link now if the inbox is open, else keeps it (the oldest are dropped beyond a few). */
  push(link: DeepLink): void
  /** From now on links go to `handler`, the queued ones first, one at a time in arrival order. */
  open(handler: (link: DeepLink) => Promise<void>): void
}

/**
 * Holds links that arrive before the core is open (the link that started the app, macOS open-url
 * before ready) and hands every link to one handler, one after the other: two sign-ins never race.
 */
export function createDeepLinkInbox(onError: (error: unknown) => void = () => undefined): DeepLinkInbox {
  const queued: DeepLink[] = []
  let handler: ((link: DeepLink) => Promise<void>) | null = null
  let chain: Promise<void> = Promise.resolve()

  const run = (link: DeepLink, handle: (link: DeepLink) => Promise<void>) => {
    chain = chain.then(() => handle(link)).catch(onError)
  }

  return {
    push(link) {
      if (handler) return run(link, handler)
      queued.push(link)
      if (queued.length > MAX_QUEUED_LINKS) queued.shift()
    },
    open(next) {
      handler = next
      for (const link of queued.splice(0)) run(link, next)
    },
  }
}
