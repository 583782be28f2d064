/**
 * The real sync server as a child process on 127.0.0.1 (a fresh database and mail folder in a temp
 * dir) that tests can stop, crash and restart, plus small HTTP helpers and `signIn`, which goes
 * through the emailed code like a learner.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { tempDir } from './core'
import { ROOT } from './paths'
import type { SyncUser } from '../../electron/core/sync/protocol'

export interface TestServer {
  url: string
  port: number
  dir: string
  mailDir: string
  /** Every line the server wrote to stdout so far (listening lines, then JSON request logs), across restarts. */
  stdout: string[]
  stderr: string[]
  /** Exit code of the last process that ended (null while running, or when a signal ended it). */
  readonly exitCode: number | null
  /** SIGTERM and wait for the exit; removes the temp dir unless `keep`. */
  stop(options?: { keep?: boolean }): Promise<void>
  /** SIGKILL (a crash): the database stays as the process left it. */
  kill(): Promise<void>
  /** Starts the server again on the same database, mail folder, port and environment. */
  restart(): Promise<void>
}

const START_TIMEOUT_MS = 20_000

function collectLines(sink: string[], stream: NodeJS.ReadableStream, onLine?: (line: string) => void): void {
  let rest = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n')
    rest = parts.pop() ?? ''
    for (const line of parts) {
      sink.push(line)
      onLine?.(line)
    }
  })
}

interface Running {
  child: ChildProcess
  exited: Promise<void>
  url: string
}

/** Spawns `server/index.ts` and resolves once it prints its listening line. */
async function launch(dir: string, db: string, mailDir: string, port: number, env: Record<string, string>, stdout: string[], stderr: string[]): Promise<Running> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/index.ts', '--port', String(port), '--db', db, '--mail-dir', mailDir],
    { cwd: ROOT, env: { ...process.env, SMTP_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not start in time:\n${stderr.join('\n')}`))
    }, START_TIMEOUT_MS)
    collectLines(stdout, child.stdout as NodeJS.ReadableStream, (line) => {
      // HOST=:: (dual stack, for tests that need a second client address: ::1) is reached on 127.0.0.1 too.
      const match = /^listening on http:\/\/(?:127\.0\.0\.1|\[::\]):(\d+)\/$/.exec(line)
      if (match) {
        clearTimeout(timer)
        resolve(`http://127.0.0.1:${match[1] as string}`)
      }
    })
    collectLines(stderr, child.stderr as NodeJS.ReadableStream)
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${child.exitCode ?? child.signalCode} before listening:\n${stderr.join('\n')}`))
    })
  })
  return { child, exited, url }
}

async function end(running: Running, signal: NodeJS.Signals): Promise<void> {
  const { child } = running
  if (child.exitCode === null && child.signalCode === null) {
    child.kill(signal)
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await running.exited
    clearTimeout(killer)
  }
}

/**
 * Starts the server with `--port 0` on a fresh temp dir (or `dir`, to reopen a kept database). Its
 * database is `server.db` in that dir, or `db` (a libsql:// or http:// URL) when given.
 */
export async function startServer(options: { env?: Record<string, string>; dir?: string; db?: string } = {}): Promise<TestServer> {
  const dir = options.dir ?? (await tempDir('pathwise-server-'))
  const db = options.db ?? `file:${join(dir, 'server.db')}`
  const mailDir = join(dir, 'mail')
  const env = options.env ?? {}
  const stdout: string[] = []
  const stderr: string[] = []
  let running = await launch(dir, db, mailDir, 0, env, stdout, stderr)
  const port = Number(new URL(running.url).port)

  return {
    url: running.url,
    port,
    dir,
    mailDir,
    stdout,
    stderr,
    get exitCode() {
      return running.child.exitCode
    },
    async stop({ keep = false } = {}) {
      await end(running, 'SIGTERM')
      if (!keep) await rm(dir, { recursive: true, force: true })
    },
    async kill() {
      await end(running, 'SIGKILL')
    },
    async restart() {
      await end(running, 'SIGTERM')
      running = await launch(dir, db, mailDir, port, env, stdout, stderr)
    },
  }
}

export interface RequestLogLine {
  path: string
  status: number
  /** The server's own time for the request (it includes waiting for its one database connection). */
  ms: number
}

/** The request log lines the server has printed so far, from stdout line `from` on. */
export function requestLog(server: Pick<TestServer, 'stdout'>, from = 0, path?: string): RequestLogLine[] {
  const lines: RequestLogLine[] = []
  for (const line of server.stdout.slice(from)) {
    if (!line.startsWith('{')) continue
    try {
      const entry = JSON.parse(line) as { event?: string; path?: string; status?: number; ms?: number }
      if (entry.event !== 'request' || (path !== undefined && entry.path !== path)) continue
      lines.push({ path: String(entry.path), status: Number(entry.status), ms: Number(entry.ms) })
    } catch {
      // not a log line
    }
  }
  return lines
}

export interface Reply<T = unknown> {
  status: number
  body: T
  headers: Headers
}

export interface CallOptions {
  token?: string
  /** Sent as JSON. */
  json?: unknown
  /** Sent as is (for malformed bodies). */
  raw?: string | ReadableStream<Uint8Array>
  headers?: Record<string, string>
}

/** One HTTP call; the body is parsed as JSON when there is one. */
export async function call<T = Record<string, unknown>>(server: TestServer, method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
  // The server takes only JSON posts under /v1 (415 otherwise), so a post says so unless the test picks its own type.
  if (method === 'POST' && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
  let body: string | ReadableStream<Uint8Array> | undefined = options.raw
  if (options.json !== undefined) {
    body = JSON.stringify(options.json)
    headers['content-type'] = 'application/json'
  }
  const init: RequestInit & { duplex?: 'half' } = { method, headers, body }
  if (body instanceof ReadableStream) init.duplex = 'half'
  const response = await fetch(`${server.url}${path}`, init)
  const text = await response.text()
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T, headers: response.headers }
}

/** The newest message sent to `email` in the server's mail folder. */
export async function latestMail(server: Pick<TestServer, 'mailDir'>, email: string): Promise<string> {
  email = email.trim()
  const files = (await readdir(server.mailDir).catch(() => [] as string[])).sort().reverse()
  for (const file of files) {
    const text = await readFile(join(server.mailDir, file), 'utf8')
    if (new RegExp(`^To: ${email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\r?$`, 'mi').test(text)) return text
  }
  throw new Error(`no mail to ${email} in ${server.mailDir}`)
}

/** The 6-digit code of the newest sign-in mail to `email`. */
export async function latestCode(server: Pick<TestServer, 'mailDir'>, email: string): Promise<string> {
  const match = /sign-in code is (\d{6})\b/.exec(await latestMail(server, email))
  if (!match) throw new Error(`the newest mail to ${email} has no sign-in code`)
  return match[1] as string
}

export async function requestCode(server: TestServer, email: string): Promise<string> {
  const started = await call(server, 'POST', '/v1/auth/email/start', { json: { email } })
  if (started.status !== 202) throw new Error(`start answered ${started.status}: ${JSON.stringify(started.body)}`)
  return latestCode(server, email.trim().toLowerCase())
}

/** Signs in like a learner: asks for a code, reads it from the mail folder, verifies it. */
export async function signIn(server: TestServer, email: string): Promise<{ token: string; user: SyncUser }> {
  const code = await requestCode(server, email)
  const verified = await call<{ token: string; user: SyncUser }>(server, 'POST', '/v1/auth/email/verify', { json: { email, code } })
  if (verified.status !== 200) throw new Error(`verify answered ${verified.status}: ${JSON.stringify(verified.body)}`)
  return verified.body
}
