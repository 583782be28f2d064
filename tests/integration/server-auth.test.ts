/** Sign-in against the real sync server process: emailed codes, sessions, refusals and rate limits. */
import { readdir } from 'node:fs/promises'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOf, type PullAnswer, type SyncUser } from '../../electron/core/sync/protocol'
import { call, latestMail, requestCode, signIn, startServer, type CallOptions, type TestServer } from '../helpers/server'

type ErrorReply = { error: { code: string; message: string } }

/** The files in the server's mail folder, sorted: one per message sent. */
const mailFiles = async (server: TestServer) => (await readdir(server.mailDir).catch(() => [] as string[])).sort()

/** Waits for `check` to hold, polling; fails after `ms`. */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')
const verify = (server: TestServer, email: string, code: string) =>
  call<ErrorReply & { token: string; user: SyncUser }>(server, 'POST', '/v1/auth/email/verify', { json: { email, code } })

describe('sync server sign-in', () => {
  let server: TestServer

  beforeAll(async () => {
    // The per-address limits are tested on their own server below; here they must not get in the way.
    server = await startServer({ env: { RATE_LIMIT_PER_IP: '10000' } })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('answers the health check', async () => {
    expect((await call(server, 'GET', '/healthz')).status).toBe(200)
  })

  it('mails a 6-digit code with a deep link that signs in', async () => {
    const started = await call(server, 'POST', '/v1/auth/email/start', { json: { email: 'Mail.Reader@Example.com' } })
    expect(started.status).toBe(202)
    const mail = await latestMail(server, 'mail.reader@example.com')
    const code = /sign-in code is (\d{6})\b/.exec(mail)?.[1]
    expect(code).toMatch(/^\d{6}$/)
    expect(mail).toContain(`pathwise://auth/verify?email=mail.reader%40example.com&code=${code}`)
  })

  it('creates the learner at the first sign-in and signs the same learner in again later', async () => {
    const first = await signIn(server, 'returning@example.com')
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(first.user).toMatchObject({ email: 'returning@example.com', name: null })
    const again = await signIn(server, '  Returning@Example.COM ')
    expect(again.user.id).toBe(first.user.id)
    expect(again.token).not.toBe(first.token)

    for (const token of [first.token, again.token]) {
      const me = await call<{ user: SyncUser }>(server, 'GET', '/v1/me', { token })
      expect(me.status).toBe(200)
      expect(me.body.user).toEqual(first.user)
    }
    // The new learner has a profile (UTC until the app says otherwise) that pull carries.
    const pulled = await call<PullAnswer>(server, 'POST', '/v1/sync/pull', {
      token: first.token,
      json: { clientId: 'returning-device', cursor: null },
    })
    const rows = rowsOf(pulled.body.changes)
    expect(rows.map((c) => c.table).sort()).toEqual(['user_profiles', 'users'])
    expect(rows.find((c) => c.table === 'user_profiles')?.row).toMatchObject({ userId: first.user.id, timezone: 'UTC', xp: 0 })
  })

  it('a new code does not cancel the one sent before (server/auth.ts: several live codes per email)', async () => {
    const email = 'twice@example.com'
    const old = await requestCode(server, email)
    const fresh = await requestCode(server, email)
    expect((await verify(server, email, old)).status).toBe(200)
    expect((await verify(server, email, fresh)).status).toBe(200)
    // A code works once.
    expect((await verify(server, email, fresh)).body.error.code).toBe('CODE_EXPIRED')
  })

  it('five wrong tries lock this address out of the email, even with the right code, and a new code does not help', async () => {
    const email = 'guesser@example.com'
    const code = await requestCode(server, email)
    for (let i = 0; i < 5; i++) {
      const wrong = await verify(server, email, wrongCode(code))
      expect(wrong.status).toBe(401)
      expect(wrong.body.error.code).toBe('CODE_WRONG')
    }
    const right = await verify(server, email, code)
    expect(right.status).toBe(401)
    expect(right.body.error.code).toBe('CODE_LOCKED')
    expect((await verify(server, email, wrongCode(code))).body.error.code).toBe('CODE_LOCKED')

    // Asking for a new code no longer buys new guesses (other addresses: server-signin-lockout.test.ts).
    const next = await requestCode(server, email)
    expect((await verify(server, email, next)).body.error.code).toBe('CODE_LOCKED')
  })

  it('refuses a code that was never sent', async () => {
    const reply = await verify(server, 'nobody@example.com', '123456')
    expect(reply.status).toBe(401)
    expect(reply.body.error.code).toBe('CODE_EXPIRED')
  })

  it('signing out ends the session', async () => {
    const { token } = await signIn(server, 'leaver@example.com')
    const other = await signIn(server, 'leaver@example.com')
    const out = await call(server, 'POST', '/v1/auth/signout', { token })
    expect(out.status).toBe(204)
    expect((await call(server, 'GET', '/v1/me', { token })).status).toBe(401)
    expect((await call(server, 'POST', '/v1/auth/signout', { token })).status).toBe(401)
    // Only that session: the learner's other device stays signed in.
    expect((await call(server, 'GET', '/v1/me', { token: other.token })).status).toBe(200)
  })

  it('refuses me, push and pull without a valid token', async () => {
    const pushBody = { clientId: 'device-without-token', mutations: [] }
    const pullBody = { clientId: 'device-without-token', cursor: null }
    const attempts: [string, string, unknown, Record<string, string>][] = []
    const headerSets: Record<string, string>[] = [{}, { authorization: 'Bearer not-a-real-token' }, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer ' }]
    for (const headers of headerSets) {
      attempts.push(['GET', '/v1/me', undefined, headers], ['POST', '/v1/sync/push', pushBody, headers], ['POST', '/v1/sync/pull', pullBody, headers])
    }
    for (const [method, path, json, headers] of attempts) {
      const reply = await call<ErrorReply>(server, method, path, { json, headers })
      expect(reply.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401)
      expect(reply.body.error.code).toBe('UNAUTHORIZED')
    }
  })

  it('refuses a malformed email or code without sending anything', async () => {
    const before = new Set(await mailFiles(server))
    const refused: [string, CallOptions, number][] = [
      ['/v1/auth/email/start', { json: { email: 'not-an-email' } }, 400],
      ['/v1/auth/email/start', { json: { email: 'malformed.extra@example.com', extra: 1 } }, 400],
      ['/v1/auth/email/start', { json: {} }, 400],
      ['/v1/auth/email/start', { json: { email: ['malformed.list@example.com'] } }, 400],
      ['/v1/auth/email/start', { json: { email: `${'x'.repeat(300)}@example.com` } }, 400],
      ['/v1/auth/email/start', { raw: '{"email": "malformed.json@example.com"', headers: { 'content-type': 'application/json' } }, 400],
      ['/v1/auth/email/verify', { json: { email: 'malformed.code@example.com', code: '12345' } }, 400],
      ['/v1/auth/email/verify', { json: { email: 'malformed.code@example.com', code: 'abcdef' } }, 400],
      ['/v1/auth/email/verify', { json: { email: 'malformed.code@example.com', code: '123456' } }, 401],
    ]
    for (const [path, options, status] of refused) {
      const reply = await call<ErrorReply>(server, 'POST', path, options)
      expect(reply.status, JSON.stringify(options)).toBe(status)
      if (status === 400) expect(reply.body.error.code).toBe('INVALID')
      expect(await mailFiles(server), `mail after ${JSON.stringify(options)}`).toEqual([...before].sort())
    }
    // A code asked for properly is mailed, and it is the only mail sent since the test began.
    await requestCode(server, 'malformed.after@example.com')
    const sent = (await mailFiles(server)).filter((f) => !before.has(f))
    expect(sent).toHaveLength(1)
    expect(await latestMail(server, 'malformed.after@example.com')).toContain('sign-in code is')
  })

  it('limits how many codes one email address is sent', async () => {
    const email = 'flooded@example.com'
    for (let i = 0; i < 5; i++) expect((await call(server, 'POST', '/v1/auth/email/start', { json: { email } })).status).toBe(202)
    const mailed = await mailFiles(server)
    const limited = await call<ErrorReply>(server, 'POST', '/v1/auth/email/start', { json: { email } })
    expect(limited.status).toBe(429)
    expect(await mailFiles(server)).toEqual(mailed) // the refused request sent nothing
    expect(limited.body.error.code).toBe('RATE_LIMITED')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    // Another address is not affected.
    expect((await call(server, 'POST', '/v1/auth/email/start', { json: { email: 'bystander@example.com' } })).status).toBe(202)
  })

  it('logs one JSON line per request, without tokens or codes', async () => {
    const email = 'logged@example.com'
    const code = await requestCode(server, email)
    const { token, user } = (await verify(server, email, code)).body
    await call(server, 'GET', '/v1/me', { token })

    const requestLines = () =>
      server.stdout
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.event === 'request')
    // The server writes its log line after answering: wait for it rather than for some time.
    await until(() => requestLines().some((l) => l.path === '/v1/me' && l.userId === user.id))
    const requests = requestLines()
    expect(requests.length).toBeGreaterThanOrEqual(3)
    for (const entry of requests) expect(Object.keys(entry).sort()).toEqual(expect.arrayContaining(['method', 'ms', 'path', 'status', 'time']))
    expect(requests).toContainEqual(expect.objectContaining({ method: 'GET', path: '/v1/me', status: 200, userId: user.id }))
    const everything = [...server.stdout, ...server.stderr].join('\n')
    expect(everything).not.toContain(token)
    expect(everything).not.toContain(code)
    expect(everything).not.toContain(email)
  })
})

describe('sync server code expiry', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startServer({ env: { CODE_TTL_SECONDS: '1' } })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('refuses an expired code', async () => {
    const email = 'slow@example.com'
    const code = await requestCode(server, email)
    await new Promise((resolve) => setTimeout(resolve, 2_100))
    const reply = await verify(server, email, code)
    expect(reply.status).toBe(401)
    expect(reply.body.error.code).toBe('CODE_EXPIRED')
  })
})

describe('sync server limits per client address', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_PER_IP: '3' } })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('limits how many codes one address may check', async () => {
    const statuses: number[] = []
    let retryAfter: string | null = null
    for (let i = 0; i < 5; i++) {
      const reply = await verify(server, `limited${i}@example.com`, '000000')
      statuses.push(reply.status)
      if (reply.status === 429) retryAfter = reply.headers.get('retry-after')
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429])
    expect(Number(retryAfter)).toBeGreaterThan(0)
    expect(Number(retryAfter)).toBeLessThanOrEqual(60)
  })

  it('limits how many codes one address may ask for', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await call(server, 'POST', '/v1/auth/email/start', { json: { email: `asker${i}@example.com` } })).status)
    expect(statuses).toEqual([202, 202, 202, 429])
    // The health check and signed-in routes are not rate-limited.
    expect((await call(server, 'GET', '/healthz')).status).toBe(200)
  })
})

describe('sync server restarts', () => {
  it('stops cleanly on SIGTERM and keeps learners and sessions across restarts and crashes', async () => {
    const first = await startServer()
    const { token, user } = await signIn(first, 'steady@example.com')
    await first.restart()
    expect(first.exitCode).toBeNull() // running again
    try {
      const me = await call<{ user: SyncUser }>(first, 'GET', '/v1/me', { token })
      expect(me.status).toBe(200)
      expect(me.body.user).toEqual(user)
      expect((await signIn(first, 'steady@example.com')).user.id).toBe(user.id)
      expect(first.stdout.filter((l) => l.startsWith('listening on '))).toHaveLength(2)
    } finally {
      await first.stop({ keep: true })
    }
    expect(first.exitCode).toBe(0)

    // A crash (SIGKILL) loses nothing committed either: a new learner's sign-in and a pushed change,
    // each answered just before the crash.
    const second = await startServer({ dir: first.dir })
    try {
      const late = await signIn(second, 'crash-survivor@example.com')
      const change = { courseId: 'sql-fundamentals', lessonId: 'relational-databases', at: 1_750_000_000, tz: 'UTC' }
      const pushed = await call(second, 'POST', '/v1/sync/push', {
        token: late.token,
        json: { clientId: 'crash-survivor-laptop', mutations: [{ id: 1, name: 'lesson.complete', args: change, createdAt: change.at }] },
      })
      expect(pushed.body).toEqual({ lastMutationId: 1 })
      await second.kill()
      await second.restart()
      expect((await call(second, 'GET', '/v1/me', { token })).status).toBe(200)
      const me = await call<{ user: SyncUser }>(second, 'GET', '/v1/me', { token: late.token })
      expect(me.status).toBe(200)
      expect(me.body.user).toEqual(late.user)
      const pulled = await call<PullAnswer>(second, 'POST', '/v1/sync/pull', { token: late.token, json: { clientId: 'crash-survivor-laptop', cursor: null } })
      expect(pulled.body.lastMutationId).toBe(1)
      expect(rowsOf(pulled.body.changes).find((c) => c.table === 'lesson_progress')?.row).toMatchObject({ lessonId: change.lessonId, completed: 1, completedAt: change.at })
    } finally {
      await second.stop()
    }
  })
})

/** Just enough of an SMTP server to accept messages (no TLS, no auth); keeps each message's DATA. */
async function fakeSmtp(): Promise<{ url: string; messages: string[]; close(): Promise<void> }> {
  const messages: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    let buffer = ''
    let inData = false
    socket.write('220 fake ESMTP\r\n')
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8')
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n')
          if (end < 0) return
          messages.push(buffer.slice(0, end))
          buffer = buffer.slice(end + 5)
          inData = false
          socket.write('250 queued\r\n')
          continue
        }
        const eol = buffer.indexOf('\r\n')
        if (eol < 0) return
        const command = buffer.slice(0, eol).toUpperCase()
        buffer = buffer.slice(eol + 2)
        if (command.startsWith('EHLO')) socket.write('250-fake\r\n250 8BITMIME\r\n')
        else if (command.startsWith('DATA')) {
          inData = true
          socket.write('354 end with <CRLF>.<CRLF>\r\n')
        } else if (command.startsWith('QUIT')) socket.end('221 bye\r\n')
        else socket.write('250 OK\r\n')
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

describe('sync server mail by SMTP', () => {
  it('sends the sign-in code by SMTP when SMTP_URL is set', async () => {
    const smtp = await fakeSmtp()
    const server = await startServer({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Pathwise <signin@example.org>' } })
    try {
      const email = 'smtp.user@example.com'
      expect((await call(server, 'POST', '/v1/auth/email/start', { json: { email } })).status).toBe(202)
      expect(smtp.messages).toHaveLength(1)
      const message = smtp.messages[0] as string
      expect(message).toMatch(/^To: smtp\.user@example\.com\r?$/m)
      expect(message).toMatch(/^From: Pathwise <signin@example\.org>\r?$/m)
      const code = /sign-in code is (\d{6})\b/.exec(message)?.[1] as string
      expect((await verify(server, email, code)).status).toBe(200)
      // Nothing was written to the mail folder.
      await expect(latestMail(server, email)).rejects.toThrow()
    } finally {
      await server.stop()
      await smtp.close()
    }
  })
})
