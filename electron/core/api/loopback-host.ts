/**
 * The loopback host (DESIGN.md §5): the built renderer plus the same contract over HTTP, backed by the
 * real core, so the real UI runs in a real browser where Electron cannot. It binds 127.0.0.1 only and
 * refuses any API call without this run's token or from a foreign Host/Origin.
 *
 * Hono (with @hono/node-server) gives routing, body limits and static files with path checks; the
 * sync server uses it too, so the team knows one HTTP stack.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
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

export function createLoopbackApp(options: { dispatch: Dispatch; rendererDir: string; token: string; allowedHosts: () => string[] }): Hono {
  const { dispatch, rendererDir, token } = options
  const app = new Hono()
  const isLocal = (host: string | undefined) => host !== undefined && options.allowedHosts().includes(host)

  app.post(
    '/api/:channel',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json(refused('INVALID', 'The request is too large.'), 413) }),
    async (c) => {
      const host = c.req.header('host')
      const origin = c.req.header('origin')
      if (!isLocal(host) || (origin !== undefined && !isLocal(origin.replace(/^http:\/\//, '')))) {
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
  const page = async () => {
    const html = await readFile(join(rendererDir, 'index.html'), 'utf8')
    return html.replace('</head>', `  <meta name="${TOKEN_META}" content="${token}" />\n  </head>`)
  }
  app.get('/', async (c) => c.html(await page()))
  app.get('/index.html', async (c) => c.html(await page()))
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
