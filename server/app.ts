/**
 * The HTTP API v1 as a Hono app: sign-in by emailed code, sessions, push and pull.
 * Every body is size-limited and validated with the protocol's zod schemas; every error is
 * `{ error: { code, message } }` with a 4xx status (or a 5xx without internals); sign-in routes are
 * rate-limited; each request is logged as one JSON line without tokens, codes or bodies.
 * The routes, their bodies, answers and errors: see docs/architecture.md#sync-protocol.
 */
import type { Readable } from 'node:stream'
import type { HttpBindings } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono, type Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { ZodType } from 'zod'
import { Invalid } from '../electron/core/errors'
import { argsLimitBreach } from '../electron/core/sync/args-limits'
import { EmailVerifyBody, PullBody, PushBody, SyncEmailStartBody, type ApiErrorBody, type PushAnswer } from '../electron/core/sync/protocol'
import type { Auth, Session } from './auth'
import { addressKey } from './client-address'
import { asHttpError, HttpError, type ApiErrorCode } from './http-error'
import { createInFlightGate, MAX_PUSHES_IN_FLIGHT_PER_LEARNER, PUSH_RETRY_AFTER_SECONDS } from './push-limits'
import type { Logger } from './log'
import type { Limit, RateLimiter } from './rate-limit'
import { createRateLimiter } from './rate-limit'
import { pullPageJson, type createSync } from './sync'

export const MAX_BODY_BYTES = 1024 * 1024

/**
 * In-memory limits per client address over all emails; they only slow a flood. The limits per email
 * that guard mail and guessing are kept in the database by auth (server/auth.ts SignInLimits).
 */
export interface AuthLimits {
  /** Code requests from one client address. */
  startPerIp: Limit
  /** Code checks from one client address. */
  verifyPerIp: Limit
}

export const DEFAULT_LIMITS: AuthLimits = {
  startPerIp: { max: 30, windowSeconds: 60 },
  verifyPerIp: { max: 30, windowSeconds: 60 },
}

export interface ServerAppOptions {
  auth: Auth
  sync: ReturnType<typeof createSync>
  logger: Logger
  limits?: AuthLimits
  /** Take the client address from the last X-Forwarded-For hop (only behind a reverse proxy you run). */
  trustProxy?: boolean
}

type Env = { Bindings: Partial<HttpBindings>; Variables: { session: Session; userId: string } }

const errorBody = (code: ApiErrorCode, message: string): ApiErrorBody => ({ error: { code, message } })

/**
 * What to log about a failure: names, first message lines and stack frames. Query errors carry their
 * parameters (emails, hashes) after the first line of their message, so those lines are dropped.
 */
export function describeError(error: unknown): { error: string; cause?: string; stack?: string } {
  const firstLine = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e).split('\n')[0] ?? '')
  const cause = error instanceof Error && error.cause !== undefined ? firstLine(error.cause) : undefined
  const stack = error instanceof Error ? error.stack?.split('\n').filter((l) => l.startsWith('    at ')).slice(0, 8).join('\n') : undefined
  return { error: firstLine(error), cause, stack }
}

/** The rest of the body is not read, so this connection cannot carry another request. */
const tooLarge = () => new HttpError(413, 'INVALID', 'The request is too large.', { Connection: 'close' })

/** One year, the usual; not includeSubDomains, which would bind other services on the domain. */
const HSTS = 'max-age=31536000'

/** `application/json`, optionally with a UTF-8 charset (JSON is UTF-8; the body is read as such). */
const isJson = (contentType: string | undefined) => /^application\/json\s*(?:;\s*charset\s*=\s*(?:utf-8|"utf-8")\s*)?$/i.test(contentType?.trim() ?? '')

const notJson = () =>
  new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as JSON, with Content-Type: application/json.', { Connection: 'close' })

/** The stream's bytes, or null once they pass `max` (the rest is left unread). */
function readLimited(stream: Readable, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = (result: Buffer | null) => {
      stream.off('data', onData).off('end', onEnd).off('error', onError)
      resolve(result)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > max) done(null)
      else chunks.push(chunk)
    }
    const onEnd = () => done(Buffer.concat(chunks, size))
    // A body cut off by the client or by the request timeout is the client's failure, not the server's.
    const onError = (error: unknown) => reject(new HttpError(408, 'INVALID', 'The request body did not arrive in time.', { Connection: 'close' }, error))
    stream.on('data', onData).once('end', onEnd).once('error', onError)
  })
}

/**
 * The request body as text, at most MAX_BODY_BYTES. On Node it is read straight from the request
 * stream: going through a Web Request copy of it cost more than the rest of a small push.
 */
async function bodyText(c: Context<Env>): Promise<string> {
  // No bindings when the app is called in-process (app.request) rather than served by @hono/node-server.
  const incoming = (c.env as Env['Bindings'] | undefined)?.incoming
  const bytes = incoming ? await readLimited(incoming, MAX_BODY_BYTES) : Buffer.from(await c.req.arrayBuffer())
  if (!bytes || bytes.length > MAX_BODY_BYTES) throw tooLarge()
  return bytes.toString('utf8')
}

async function readBody<T>(c: Context<Env>, schema: ZodType<T>): Promise<T> {
  const text = await bodyText(c)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new HttpError(400, 'INVALID', 'The request body is not valid JSON.')
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw Invalid.fromZod(parsed.error, 'request')
  return parsed.data
}

export function createServerApp(options: ServerAppOptions) {
  const { auth, sync, logger } = options
  const limits = options.limits ?? DEFAULT_LIMITS
  const limiters = {
    startPerIp: createRateLimiter(limits.startPerIp),
    verifyPerIp: createRateLimiter(limits.verifyPerIp),
  }
  const app = new Hono<Env>()

  /**
   * The last hop of a proxy header, only when TRUST_PROXY says a proxy we run sets it (server/config.ts):
   * earlier hops come from the client and can be anything.
   */
  const lastProxyHop = (c: Context<Env>, header: string): string | undefined =>
    options.trustProxy ? (c.req.header(header) ?? '').split(',').map((h) => h.trim()).filter(Boolean).at(-1) : undefined

  /** The key per-address limits count the client under: its address, or its /64 for IPv6 (client-address.ts). */
  const clientAddress = (c: Context<Env>): string => addressKey(lastProxyHop(c, 'x-forwarded-for') ?? getConnInfo(c).remote.address ?? 'unknown')

  /**
   * The server itself speaks plain http, so a request came over https only if a trusted TLS-terminating
   * proxy says so. A browser ignores HSTS received over http anyway; sending it only then keeps the
   * answer truthful, and a client's own X-Forwarded-Proto without TRUST_PROXY counts for nothing.
   */
  const overHttps = (c: Context<Env>): boolean => lastProxyHop(c, 'x-forwarded-proto')?.toLowerCase() === 'https'

  const limit = (limiter: RateLimiter, key: string) => {
    const verdict = limiter.hit(key)
    if (!verdict.ok) {
      throw new HttpError(429, 'RATE_LIMITED', `Too many tries. Please wait ${verdict.retryAfterSeconds} seconds and try again.`, {
        'Retry-After': String(verdict.retryAfterSeconds),
      })
    }
  }

  app.use('*', async (c, next) => {
    const started = performance.now()
    await next()
    logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      userId: c.get('userId'),
    })
  })

  // Set before the answer exists, so they are on every one, errors included. /v1 answers carry tokens
  // and learners' data: no cache (browser, proxy) may keep them.
  app.use('*', async (c, next) => {
    c.header('X-Content-Type-Options', 'nosniff')
    if (c.req.path.startsWith('/v1/')) c.header('Cache-Control', 'no-store')
    if (overHttps(c)) c.header('Strict-Transport-Security', HSTS)
    await next()
  })

  // A declared size over the limit is refused before anything else; a chunked body is counted as it is read (bodyText).
  app.use('/v1/*', async (c, next) => {
    if (Number(c.req.header('content-length') ?? 0) > MAX_BODY_BYTES) throw tooLarge()
    await next()
  })

  // A web page can make its visitors' browsers post text/plain, forms and multipart anywhere without a
  // CORS preflight, but not application/json: requiring it keeps sign-in (mail, lockouts) and every
  // other /v1 post to clients that may send them. Checked before any limit is counted or body read.
  app.use('/v1/*', async (c, next) => {
    if (c.req.method === 'POST' && !isJson(c.req.header('content-type'))) throw notJson()
    await next()
  })

  const requireSession = createMiddleware<Env>(async (c, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')
    const session = await auth.authenticate(match?.[1])
    c.set('session', session)
    c.set('userId', session.user.id)
    await next()
  })

  app.get('/healthz', (c) => c.json({ ok: true }))

  app.post('/v1/auth/email/start', async (c) => {
    const requester = clientAddress(c)
    limit(limiters.startPerIp, requester)
    const { email, nonce } = await readBody(c, SyncEmailStartBody)
    await auth.startEmail(email, { requester, nonce })
    return c.json({ ok: true }, 202)
  })

  app.post('/v1/auth/email/verify', async (c) => {
    const requester = clientAddress(c)
    limit(limiters.verifyPerIp, requester)
    const { email, code } = await readBody(c, EmailVerifyBody)
    const answer = await auth.verifyEmail(email, code, { requester })
    c.set('userId', answer.user.id)
    return c.json(answer)
  })

  app.post('/v1/auth/signout', requireSession, async (c) => {
    await auth.signOut(c.get('session'))
    return c.body(null, 204)
  })

  // Every device of the learner, this one included (the rules: server/auth.ts).
  app.post('/v1/auth/signout-all', requireSession, async (c) => c.json({ signedOut: await auth.signOutAll(c.get('session')) }))

  app.get('/v1/me', requireSession, (c) => c.json({ user: c.get('session').user }))

  // Bounds on a push (push-limits.ts): a learner's requests in flight, then each mutation's arguments,
  // checked here so nothing the worker could not take (structured clone) ever reaches it.
  const pushesInFlight = createInFlightGate()
  app.post('/v1/sync/push', requireSession, async (c) => {
    const userId = c.get('userId')
    if (!pushesInFlight.enter(userId)) {
      throw new HttpError(429, 'RATE_LIMITED', `This account already has ${MAX_PUSHES_IN_FLIGHT_PER_LEARNER} pushes on their way. Send the next one when one is answered.`, {
        'Retry-After': String(PUSH_RETRY_AFTER_SECONDS),
      })
    }
    let outcome: Awaited<ReturnType<typeof sync.push>>
    try {
      const body = await readBody(c, PushBody)
      for (const m of body.mutations) {
        const breach = argsLimitBreach(m.args)
        if (breach) throw new HttpError(400, 'INVALID', `The arguments of mutation #${m.id} are refused: ${breach}.`)
      }
      outcome = await sync.push(userId, body)
    } finally {
      pushesInFlight.leave(userId)
    }
    if (outcome.rejected) {
      const { mutationId, message } = outcome.rejected
      return c.json({ error: { code: 'MUTATION_REJECTED', message, mutationId }, lastMutationId: outcome.lastMutationId }, 400)
    }
    return c.json({ lastMutationId: outcome.lastMutationId } satisfies PushAnswer)
  })

  app.post('/v1/sync/pull', requireSession, async (c) => {
    const body = await readBody(c, PullBody)
    return c.body(pullPageJson(await sync.pull(c.get('userId'), body)), 200, { 'Content-Type': 'application/json' })
  })

  app.notFound((c) => c.json(errorBody('NOT_FOUND', `There is no ${c.req.method} ${c.req.path}.`), 404))

  app.onError((error, c) => {
    const known = asHttpError(error)
    if (!known || known.status >= 500) logger.error('request_failed', { method: c.req.method, path: c.req.path, ...describeError(error) })
    if (known) return c.json(errorBody(known.code, known.message), known.status, known.headers)
    return c.json(errorBody('UNAVAILABLE', 'Something went wrong on the server. Please try again.'), 500)
  })

  return {
    app,
    /** Forgets rate-limit windows that have passed (call periodically). */
    sweep() {
      for (const limiter of Object.values(limiters)) limiter.sweep()
    },
  }
}
