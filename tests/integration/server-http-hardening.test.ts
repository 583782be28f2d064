/**
 * The sync server's front door against slow and hostile clients, on a real server process: header,
 * request and keep-alive timeouts (slowloris, a trickled body), the per-address connection cap,
 * JSON-only posts under /v1 (what a web page cannot make its visitors' browsers send), the headers
 * every answer carries, and per-address limits keyed by /64 behind a trusted proxy. The timeouts are
 * made small through the server's environment, so the tests take seconds.
 */
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Unauthorized } from '../../electron/core/errors'
import { createSyncHttp } from '../../electron/core/sync/http'
import { rawRequest, type RawAnswer } from '../helpers/raw-http'
import { call, latestCode, requestLog, signIn, startServer, type TestServer } from '../helpers/server'

const HEADERS_TIMEOUT_MS = 1_000
const REQUEST_TIMEOUT_MS = 1_500
const KEEP_ALIVE_TIMEOUT_MS = 500
/** Node keeps an idle connection open a second past its advertised keep-alive timeout. */
const KEEP_ALIVE_BUFFER_MS = 1_000
/** How much later than its timeout a connection may be closed: Node checks header and request timeouts periodically. */
const SLACK_MS = 1_500
/** A timed-out connection may close this much before its nominal time (timer granularity). */
const EARLY_MS = 50
const CAP = 6

type ErrorReply = { error: { code: string; message: string } }

interface RawConnection {
  socket: Socket
  /** Everything the server has sent on it. */
  received(): string
  /** Resolves with the milliseconds since it was opened once the connection is closed. */
  closed: Promise<number>
  readonly isClosed: boolean
}

/** A plain TCP connection to the server, from `host`'s address (127.0.0.1 or ::1). */
async function open(port: number, host = '127.0.0.1'): Promise<RawConnection> {
  const started = performance.now()
  const socket = connect({ port, host })
  let data = ''
  let isClosed = false
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => (data += chunk))
  socket.on('error', () => undefined) // a reset is one of the ways the server may close it
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => {
      isClosed = true
      resolve(performance.now() - started)
    }),
  )
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  return {
    socket,
    received: () => data,
    closed,
    get isClosed() {
      return isClosed
    },
  }
}

/** Writes `text` a byte every `everyMs` (a slowloris) until it is all sent or the connection closes. */
function trickle(connection: RawConnection, text: string, everyMs = 100): void {
  let next = 0
  const timer = setInterval(() => {
    if (connection.isClosed || next >= text.length) clearInterval(timer)
    else connection.socket.write(text.charAt(next++))
  }, everyMs)
  void connection.closed.then(() => clearInterval(timer))
}

/** `promise`, or a failure naming `what` once `ms` have passed without it. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** One request on a connection of its own (closed after the answer), from `host`'s address. */
function send(port: number, options: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string }): Promise<RawAnswer> {
  const { host = '127.0.0.1', ...request } = options
  return rawRequest(`http://${host.includes(':') ? `[${host}]` : host}:${port}/`, request)
}

/** Whether any mail went to `email` (sign-in mail is written to the server's mail folder). */
async function mailedTo(server: TestServer, email: string): Promise<boolean> {
  return latestCode(server, email).then(
    () => true,
    () => false,
  )
}

/** Short timeouts; the tests of what any client sends use it too. */
let s: TestServer
/** Dual stack, so that ::1 is a second client address; timeouts long enough to hold connections open. */
let capped: TestServer
/** Behind a (pretend) TLS-terminating reverse proxy. */
let proxied: TestServer

beforeAll(async () => {
  ;[s, capped, proxied] = await Promise.all([
    startServer({
      env: {
        RATE_LIMIT_PER_IP: '10000',
        HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
        REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
      },
    }),
    startServer({ env: { HOST: '::', MAX_CONNECTIONS_PER_ADDRESS: String(CAP), HEADERS_TIMEOUT_MS: '20000', REQUEST_TIMEOUT_MS: '20000' } }),
    startServer({ env: { TRUST_PROXY: '1', RATE_LIMIT_PER_IP: '2' } }),
  ])
}, 60_000)
afterAll(async () => {
  await Promise.all([s, capped, proxied].map((server) => server?.stop()))
})

// Side by side: each waits on the server's clock, not on the others.
describe.concurrent('slow clients', () => {
  it('closes connections that send their headers a byte at a time by the header timeout, and serves others meanwhile', async ({ expect }) => {
    const slow = await Promise.all(Array.from({ length: 10 }, () => open(s.port)))
    for (const connection of slow) {
      connection.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n')
      trickle(connection, `X-Slow: ${'a'.repeat(1_000)}`)
    }

    const served = await send(s.port, { path: '/healthz' })
    expect(served.status).toBe(200)
    expect(slow.filter((c) => c.isClosed)).toHaveLength(0) // served while they were all still open

    const openFor = await within(Promise.all(slow.map((c) => c.closed)), HEADERS_TIMEOUT_MS + SLACK_MS, 'closing the slow connections')
    for (const [i, connection] of slow.entries()) {
      expect(openFor[i]).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - EARLY_MS)
      expect(connection.received()).toMatch(/^HTTP\/1\.1 408 /)
    }
  })

  it('cuts off a body that trickles in by the request timeout, and acts on none of it', async ({ expect }) => {
    const email = 'trickled@example.com'
    const body = JSON.stringify({ email })
    const connection = await open(s.port)
    connection.socket.write(`POST /v1/auth/email/start HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`)
    trickle(connection, body, 100) // 32 bytes, a byte every 100 ms: 3.2 s, past the request timeout

    const openFor = await within(connection.closed, REQUEST_TIMEOUT_MS + SLACK_MS, 'cutting off the trickled body')
    expect(openFor).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - EARLY_MS)
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408 /)
    expect(await mailedTo(s, email)).toBe(false)
    expect((await send(s.port, { path: '/healthz' })).status).toBe(200)
    // The cut-off body is the client's failure: logged as a 408, never as a server error.
    await expect.poll(() => requestLog(s, 0, '/v1/auth/email/start').map((line) => line.status)).toContain(408)
    expect(s.stderr.filter((line) => line.includes('"request_failed"') && line.includes('/v1/auth/email/start'))).toEqual([])
  })

  it('closes an idle keep-alive connection after the keep-alive timeout', async ({ expect }) => {
    const connection = await open(s.port)
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    const openFor = await within(connection.closed, KEEP_ALIVE_TIMEOUT_MS + KEEP_ALIVE_BUFFER_MS + SLACK_MS, 'closing the idle connection')
    expect(connection.received()).toMatch(/^HTTP\/1\.1 200 /)
    expect(openFor).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - EARLY_MS)
  })
})

describe('connections per address', () => {
  it('refuses connections beyond the cap from one address, serves another address meanwhile, and takes them again once some close', async () => {
    const held: RawConnection[] = []
    try {
      for (let i = 0; i < CAP; i++) held.push(await open(capped.port))
      const over = await open(capped.port)
      held.push(over)
      over.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
      await within(over.closed, 2_000, 'refusing the connection over the cap')
      expect(over.received()).toBe('') // closed without an answer
      expect(held.slice(0, CAP).filter((c) => c.isClosed)).toHaveLength(0)

      const other = await send(capped.port, { path: '/healthz', host: '::1' })
      expect(other.status).toBe(200)

      // One of the held connections closes: the address may connect again (the count went down).
      held[0]?.socket.destroy()
      await held[0]?.closed
      // The server may see the close a moment after the client: try again until it has, for at most 2 s.
      const deadline = performance.now() + 2_000
      let again: RawAnswer | null = null
      while (!again && performance.now() < deadline) again = await send(capped.port, { path: '/healthz' }).catch(() => null)
      expect(again?.status).toBe(200)
    } finally {
      for (const connection of held) connection.socket.destroy()
    }
  })
})

describe('what a web page can make its visitors send', () => {
  let token: string
  beforeAll(async () => {
    token = (await signIn(s, 'page-visitor@example.com')).token
  })

  const POSTS = ['/v1/auth/email/start', '/v1/auth/email/verify', '/v1/auth/signout', '/v1/sync/push', '/v1/sync/pull']
  // What a form or fetch() sends cross-origin without a CORS preflight, and near misses of JSON.
  const NOT_JSON = ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/json-seq', 'application/json; charset=iso-8859-1']

  it('refuses every post under /v1 that is not application/json with 415, before it acts', async () => {
    const email = 'victim@example.com'
    const body = JSON.stringify({ email })
    for (const path of POSTS) {
      for (const type of NOT_JSON) {
        const reply = await call<ErrorReply>(s, 'POST', path, { token, raw: body, headers: { 'content-type': type } })
        expect(reply.status, `${path} ${type}`).toBe(415)
        expect(reply.body.error.code, `${path} ${type}`).toBe('UNSUPPORTED_MEDIA_TYPE')
        expect(reply.body.error.message).toMatch(/application\/json/)
      }
      const untyped = await send(s.port, { method: 'POST', path, headers: { authorization: `Bearer ${token}`, 'content-length': String(body.length) }, body })
      expect(untyped.status, `${path} without a Content-Type`).toBe(415)
    }
    expect(await mailedTo(s, email)).toBe(false)
    expect((await call(s, 'GET', '/v1/me', { token })).status).toBe(200) // the text/plain sign-outs did nothing
  })

  it('takes application/json with or without a UTF-8 charset', async () => {
    for (const [i, type] of ['application/json', 'Application/JSON; charset=utf-8', 'application/json;charset="UTF-8"'].entries()) {
      const email = `typed-${i}@example.com`
      expect((await call(s, 'POST', '/v1/auth/email/start', { raw: JSON.stringify({ email }), headers: { 'content-type': type } })).status, type).toBe(202)
      expect(await mailedTo(s, email)).toBe(true)
    }
  })

  it("the app's own client signs in, syncs and signs out through it", async () => {
    const http = createSyncHttp(s.url)
    const email = 'own-client@example.com'
    await http.start({ email })
    const { token: own } = await http.verify(email, await latestCode(s, email))
    expect((await http.push(own, { clientId: 'own-client-1', mutations: [] })).lastMutationId).toBe(0)
    expect((await http.pull(own, { clientId: 'own-client-1', cursor: null })).hasMore).toBe(false)
    await http.signOut(own)
    await expect(http.me(own)).rejects.toBeInstanceOf(Unauthorized)
  })
})

describe('headers on every answer', () => {
  it('marks every /v1 answer no-store and every answer nosniff, without HSTS over plain http', async () => {
    const email = 'headers@example.com'
    await call(s, 'POST', '/v1/auth/email/start', { json: { email } })
    const verified = await call<{ token: string }>(s, 'POST', '/v1/auth/email/verify', { json: { email, code: await latestCode(s, email) } })
    expect(verified.status).toBe(200)
    const token = verified.body.token
    const v1: [string, Awaited<ReturnType<typeof call>>][] = [
      ['verify (carries the token)', verified],
      ['me', await call(s, 'GET', '/v1/me', { token })],
      ['pull', await call(s, 'POST', '/v1/sync/pull', { token, json: { clientId: 'headers-1', cursor: null } })],
      ['refused session', await call(s, 'GET', '/v1/me', { token: 'not-a-token' })],
      ['malformed JSON', await call(s, 'POST', '/v1/sync/pull', { token, raw: '{' })],
      ['not JSON', await call(s, 'POST', '/v1/sync/pull', { token, raw: '{}', headers: { 'content-type': 'text/plain' } })],
      ['unknown route', await call(s, 'GET', '/v1/nothing-here')],
    ]
    for (const [what, reply] of v1) {
      expect(reply.headers.get('cache-control'), what).toBe('no-store')
      expect(reply.headers.get('x-content-type-options'), what).toBe('nosniff')
      expect(reply.headers.get('strict-transport-security'), what).toBeNull()
    }
    for (const path of ['/healthz', '/nothing-here']) {
      const reply = await call(s, 'GET', path)
      expect(reply.headers.get('x-content-type-options'), path).toBe('nosniff')
    }
    // Without TRUST_PROXY, a client's own X-Forwarded-Proto is no proof of https.
    const claimed = await call(s, 'GET', '/healthz', { headers: { 'x-forwarded-proto': 'https' } })
    expect(claimed.headers.get('strict-transport-security')).toBeNull()
  })

  it('sends HSTS when the trusted proxy says the request came over https, and only then', async () => {
    const hsts = async (headers: Record<string, string>) => (await call(proxied, 'GET', '/v1/me', { headers })).headers.get('strict-transport-security')
    expect(await hsts({ 'x-forwarded-proto': 'https' })).toBe('max-age=31536000')
    expect(await hsts({ 'x-forwarded-proto': 'http, https' })).toBe('max-age=31536000') // the proxy's own hop is the last
    expect(await hsts({ 'x-forwarded-proto': 'https, http' })).toBeNull()
    expect(await hsts({ 'x-forwarded-proto': 'http' })).toBeNull()
    expect(await hsts({})).toBeNull()
  })
})

describe('per-address limits behind a trusted proxy', () => {
  let asked = 0
  const start = async (forwardedFor: string) => {
    const reply = await call<ErrorReply>(proxied, 'POST', '/v1/auth/email/start', { json: { email: `limited-${asked++}@example.com` }, headers: { 'x-forwarded-for': forwardedFor } })
    return reply.status
  }

  it('counts an IPv6 client by its /64 and an IPv4 client by its address, from the last X-Forwarded-For hop', async () => {
    expect(await start('2001:db8:1:2::1')).toBe(202)
    expect(await start('2001:db8:1:2::2')).toBe(202)
    expect(await start('2001:db8:1:2:ffff:ffff:ffff:9')).toBe(429) // the same /64
    expect(await start('2001:db8:1:3::1')).toBe(202) // the next /64

    expect(await start('203.0.113.7')).toBe(202)
    expect(await start('203.0.113.7')).toBe(202)
    expect(await start('::ffff:203.0.113.7')).toBe(429) // the same IPv4 address, mapped
    expect(await start('203.0.113.8')).toBe(202)

    // Whatever the client put in front, the proxy's own hop (the last) counts.
    expect(await start('2001:db8:1:2::1, 198.51.100.9')).toBe(202)
    expect(await start('198.51.100.10, 2001:db8:1:2::3')).toBe(429)
  })
})
