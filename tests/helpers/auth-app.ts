/**
 * The sync server's app in this process, served over real HTTP on 127.0.0.1 with a real database file
 * and a clock the test moves; mail is kept in memory. Requests can come from any 127.0.0.0/8 address
 * (`callFrom`), so a test can play a learner and attackers at different client addresses, here or
 * against the real server process (tests/helpers/server.ts).
 */
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { loadCatalog } from '../../electron/core/catalog/catalog'
import { createServerApp } from '../../server/app'
import { createAuth, type SignInLimits } from '../../server/auth'
import { openServerDatabase, type ServerDb } from '../../server/db'
import type { Logger } from '../../server/log'
import type { Message } from '../../server/mailer'
import { createSync } from '../../server/sync'
import { tempDir } from './core'
import { COURSES_DIR, MIGRATIONS_DIR, ROOT } from './paths'

export interface Reply<T = Record<string, unknown>> {
  status: number
  body: T
  headers: Record<string, string | string[] | undefined>
}

export interface FromOptions {
  json?: unknown
  token?: string
}

/** One HTTP call to `baseUrl` over a connection made from the local `address` (127.x.y.z). */
export function callFrom<T = Record<string, unknown>>(baseUrl: string, address: string, method: string, path: string, options: FromOptions = {}): Promise<Reply<T>> {
  const url = new URL(path, baseUrl)
  const body = options.json === undefined ? undefined : JSON.stringify(options.json)
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (method === 'POST' && body === undefined) headers['content-type'] = 'application/json'
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method, headers, localAddress: address, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        resolve({ status: res.statusCode ?? 0, body: (text === '' ? null : JSON.parse(text)) as T, headers: res.headers })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

export interface AuthApp {
  url: string
  dir: string
  db: ServerDb
  /** Epoch seconds the server sees; moves only by `advance`. */
  now(): number
  advance(seconds: number): void
  /** Every mail sent, oldest first. */
  mails: Message[]
  /** Transactions the server has opened (db.write) so far. */
  readonly writes: number
  /** A caller whose requests come from `address`. */
  from(address: string): <T = ErrorOr>(method: string, path: string, options?: FromOptions) => Promise<Reply<T>>
  /** Stops serving and opens the database and app again, as a new process would (in-memory limits are lost). */
  restart(): Promise<void>
  close(): Promise<void>
}

export type ErrorOr = { error: { code: string; message: string } } & Record<string, unknown>

const quiet: Logger = { info() {}, error() {} }

export async function startAuthApp(options: { start?: number; limits?: Partial<SignInLimits> } = {}): Promise<AuthApp> {
  const dir = await tempDir('pathwise-auth-app-')
  const catalog = await loadCatalog(COURSES_DIR)
  let clock = options.start ?? 1_750_000_000
  let writes = 0
  const mails: Message[] = []
  let db!: ServerDb
  let server!: ServerType
  let port = 0

  async function open(): Promise<void> {
    const opened = await openServerDatabase({ url: `file:${join(dir, 'server.db')}`, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: join(ROOT, 'server/migrations') })
    db = opened
    const counted: ServerDb = { ...opened, write: (fn) => (writes++, opened.write(fn)) }
    const mailer = { send: async (m: Message) => void mails.push(m), close() {} }
    const auth = createAuth({ db: counted, mailer, secret: 'test-code-key-0123456789abcdef0123456789', now: () => clock, limits: options.limits })
    const { app } = createServerApp({ auth, sync: createSync({ db: counted, catalog }), logger: quiet })
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        port = info.port
        resolve()
      })
    })
  }

  async function shut(): Promise<void> {
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      if ('closeAllConnections' in server) server.closeAllConnections()
    })
    await db.read(async () => undefined)
    db.close()
  }

  await open()
  return {
    get url() {
      return `http://127.0.0.1:${port}`
    },
    dir,
    get db() {
      return db
    },
    now: () => clock,
    advance(seconds) {
      clock += seconds
    },
    mails,
    get writes() {
      return writes
    },
    from(address) {
      return (method, path, callOptions) => callFrom(`http://127.0.0.1:${port}`, address, method, path, callOptions)
    },
    async restart() {
      await shut()
      await open()
    },
    async close() {
      await shut()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** The 6-digit code in a sign-in mail. */
export function codeOf(mail: Message | undefined): string {
  const code = /sign-in code is (\d{6})\b/.exec(mail?.text ?? '')?.[1]
  if (!code) throw new Error('no sign-in code in that mail')
  return code
}

/** A 6-digit code that differs from every code given. */
export function wrongCodeFor(...codes: string[]): string {
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0')
    if (!codes.includes(candidate)) return candidate
  }
}
