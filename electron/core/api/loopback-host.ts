/**
 * The loopback host: the built renderer plus the same contract over HTTP, backed by the
 * real core, so the real UI runs in a real browser where Electron cannot. It binds 127.0.0.1 only,
 * answers nothing (page, assets or API) to a foreign Host, and refuses any API call without this run's
 * token or from a foreign Origin. Nothing it serves may be cached or framed.
 *
 * Hono (with @hono/node-server) gives routing, body limits and static files with path checks; the
 * sync server uses it too, so the team knows one HTTP stack.
 * See docs/architecture.md#the-loopback-host and docs/architecture.md#the-loopback-hosts-api.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Result } from '../contract/channels'
import { TOKEN_HEADER, TOKEN_META } from '../contract/messages'
import { HTTP_STATUS, type ErrorBody, type ErrorCode } from '../errors'
import type { Dispatch } from './dispatch'

const MAX_BODY_BYTES = 256 * 1024

export interface LoopbackHostOptions {
  dispatch: Dispatch
  /** The built renderer (out/renderer). */
  rendererDir: string
  port: number
  /** Defaults to a fresh random token for this run. */
  token?: string
}

export interface LoopbackHost {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

const refused = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } })

/** The page's own policy (the built index.html's CSP <meta>), also sent as a header: a header also covers what a meta cannot. */
function declaredPolicy(html: string): string | null {
  const raw = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1]
  return raw === undefined ? null : raw.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&')
}

/** What a page without a CSP <meta> gets: nothing but its own origin, and never inside a frame. */
const FALLBACK_POLICY = "default-src 'self'; frame-ancestors 'none'"

export function createLoopbackApp(options: { dispatch: Dispatch; rendererDir: string; token: string; allowedHosts: () => string[] }): Hono {
  const { dispatch, rendererDir, token } = options
  const app = new Hono()
  // Host names are case-insensitive; the list holds them in lower case.
  const isLocal = (host: string | undefined) => host !== undefined && options.allowedHosts().includes(host.toLowerCase())

  // Every answer: nothing here may be cached (the page carries this run's token, the API the learner's
  // data) or shown in a frame (a frame-ancestors in a <meta> is ignored by browsers).
  app.use('*', async (c, next) => {
    await next()
    c.header('Cache-Control', 'no-store')
    c.header('X-Frame-Options', 'DENY')
    c.header('X-Content-Type-Options', 'nosniff')
  })
  // A DNS-rebinding page reaches 127.0.0.1 under its own name: only this host's names get an answer,
  // on every route (the page carries the token; the assets and the API are nobody else's either).
  app.use('*', async (c, next) => {
    if (!isLocal(c.req.header('host'))) return c.json(refused('UNAUTHORIZED', 'Requests must come from this app.'), 403)
    await next()
  })

  app.post(
    '/api/:channel',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      // The rest of the body is never read, so Node drops the connection after answering: say so, or a
      // client that keeps connections alive sends its next request down a closed one.
      onError: (c) => {
        c.header('Connection', 'close')
        return c.json(refused('INVALID', 'The request is too large.'), 413)
      },
    }),
    async (c) => {
      const origin = c.req.header('origin')
      if (origin !== undefined && !isLocal(origin.replace(/^http:\/\//, ''))) {
        return c.json(refused('UNAUTHORIZED', 'Requests must come from this app.'), 403)
      }
      if (!sameToken(c.req.header(TOKEN_HEADER), token)) return c.json(refused('UNAUTHORIZED', 'Missing or wrong token.'), 403)
      let payload: unknown
      try {
        const text = await c.req.text()
        payload = text === '' ? undefined : JSON.parse(text)
      } catch {
        return c.json(refused('INVALID', 'The request body is not valid JSON.'), 400)
      }
      const result = await dispatch(c.req.param('channel'), payload)
      return result.ok ? c.json(result) : c.json(result, HTTP_STATUS[(result.error as ErrorBody).code])
    },
  )
  app.all('/api/*', (c) => c.json(refused('NOT_FOUND', 'Use POST /api/<channel>.'), 404))

  // The page carries the token: only a page served by this host can call its API.
  const page = async (c: Context) => {
    const html = await readFile(join(rendererDir, 'index.html'), 'utf8')
    c.header('Content-Security-Policy', declaredPolicy(html) ?? FALLBACK_POLICY)
    return c.html(html.replace('</head>', `  <meta name="${TOKEN_META}" content="${token}" />\n  </head>`))
  }
  app.get('/', page)
  app.get('/index.html', page)
  app.use('/*', serveStatic({ root: rendererDir }))
  return app
}

export async function startLoopbackHost(options: LoopbackHostOptions): Promise<LoopbackHost> {
  const token = options.token ?? randomBytes(24).toString('hex')
  let port = options.port
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`]
  const app = createLoopbackApp({ dispatch: options.dispatch, rendererDir: options.rendererDir, token, allowedHosts })
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      port = info.port
      resolve(s)
    })
    s.once('error', reject)
  })
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        // A browser keeps idle keep-alive connections open; they must not hold the shutdown.
        if ('closeAllConnections' in server) server.closeAllConnections()
      }),
  }
}
