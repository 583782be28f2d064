/**
 * The server's settings from its command line and environment:
 * `--port P --db URL [--mail-dir DIR]`, with PORT, DATABASE_URL, DATABASE_AUTH_TOKEN, SMTP_URL,
 * MAIL_DIR, HOST and COURSES_DIR as fallbacks. Flags win over the environment.
 *
 * Slow clients (server/connections.ts), all in milliseconds but the last:
 * - HEADERS_TIMEOUT_MS (10000): a request's headers must have arrived by then;
 * - REQUEST_TIMEOUT_MS (30000, at least HEADERS_TIMEOUT_MS): the whole request, body included, however
 *   slowly it trickles in; past either, the server answers 408 and closes the connection;
 * - KEEP_ALIVE_TIMEOUT_MS (5000): an idle keep-alive connection is closed after that;
 * - MAX_CONNECTIONS_PER_ADDRESS (20; 0 = no cap, the default with TRUST_PROXY): connections one client
 *   address (an IPv6 /64) may hold open at once; more are closed when accepted. Behind a proxy every
 *   connection comes from the proxy, so there the proxy must limit clients (nginx: limit_conn, and it
 *   buffers slow requests itself); a cap here would count all learners together.
 *
 * TRUST_PROXY=1 (or true; 0, false or unset: off) — only behind a reverse proxy you run that every
 * request passes through and that appends the client's address to X-Forwarded-For or overwrites it
 * (nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for` or `$remote_addr`; Caddy and
 * most load balancers do so by default), and sets X-Forwarded-Proto to the scheme the client used.
 * The server then takes the LAST X-Forwarded-For hop as the client's address (the one the proxy added;
 * anything before it came from the client and may be forged) and the last X-Forwarded-Proto hop to
 * decide on HSTS. What goes wrong otherwise: set without such a proxy (or with the server reachable
 * around it), any client picks its own address by sending X-Forwarded-For, stepping past every
 * per-address limit and putting the blame on others; set behind a proxy that passes the client's header
 * through untouched, the same; not set behind a proxy, every learner has the proxy's address, so they
 * all share one per-address limit (a single attacker locks everyone out of sign-in). Behind two proxies
 * an appending inner one would make the outer proxy the last hop: have the outer one overwrite the
 * header with the client's address and the inner one pass it on untouched.
 *
 * Sign-in (server/auth.ts has the rules; these limits are counted in the database):
 * - CODE_KEYS: the keys sign-in codes are HMAC'd under, comma-separated, newest first, each at least
 *   32 characters (`openssl rand -hex 32`). To rotate, put a new key in front and drop the old one
 *   once its codes have expired (CODE_TTL_SECONDS); codes made under a key still in the list verify.
 * - CODE_KEY_FILE: the same, one key per line in a file (blank lines and `# comments` skipped), for
 *   secrets mounted as files; read at start. Set one of the two, not both. With neither, a key is
 *   generated into `code-key` (mode 0600) next to a database file, or for a remote database into the
 *   database itself, with a warning at every start (server/code-keys.ts).
 * - CODE_TTL_SECONDS (600): how long a code works.
 * - RATE_LIMIT_PER_EMAIL (5): codes one client address may have mailed to one email (its +tag
 *   dropped) per 10 minutes; each email also has a cap from everyone of six times that an hour (30),
 *   past which each address is mailed one code an hour.
 * - RATE_LIMIT_PER_IP (30): code requests, and separately code checks, per client address a minute.
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { DEFAULT_LIMITS, type AuthLimits } from './app'
import { CODE_TTL_SECONDS, DEFAULT_SIGN_IN_LIMITS, type SignInLimits } from './auth'
import { CodeKeyError, parseCodeKeys, type CodeKey } from './code-keys'
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './connections'
import { PULL_PAGE_SIZE } from './sync'

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

export const DEFAULT_DATABASE_URL = 'file:./data/server.db'
export const DEFAULT_MAIL_DIR = './data/mail'

export interface ServerConfig {
  port: number
  host: string
  dbUrl: string
  dbAuthToken?: string
  /** Send mail by SMTP; otherwise write it to mailDir. */
  smtpUrl?: string
  mailFrom?: string
  mailDir: string
  coursesDir: string
  migrationsDir: string
  serverMigrationsDir: string
  codeTtlSeconds: number
  /** Most changes per pull answer (lower it to exercise paging). */
  pullPageSize: number
  limits: AuthLimits
  /** The per-email sign-in limits (server/auth.ts). */
  signInLimits: SignInLimits
  /** CODE_KEYS, newest first; or the CODE_KEY_FILE to read them from at start (server/code-keys.ts). */
  codeKeys?: CodeKey[]
  codeKeyFile?: string
  trustProxy: boolean
  /** Timeouts and the per-address connection cap (server/connections.ts). */
  http: HttpLimits
}

export class ConfigError extends Error {}

function integer(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw)
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`)
  }
  return value
}

const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim())

/** A typo must not quietly switch it off: behind a proxy, that would put every learner under one address. */
function trustProxySetting(raw: string | undefined): boolean {
  const value = nonEmpty(raw)?.toLowerCase()
  if (value === undefined || value === '0' || value === 'false') return false
  if (value === '1' || value === 'true') return true
  throw new ConfigError(`TRUST_PROXY must be 1, true, 0 or false, got "${raw ?? ''}"`)
}

function httpLimits(env: NodeJS.ProcessEnv, trustProxy: boolean): HttpLimits {
  const setting = (name: string, fallback: number, min: number, max: number) => {
    const raw = nonEmpty(env[name])
    return raw === undefined ? fallback : integer(name, raw, min, max)
  }
  const headersTimeoutMs = setting('HEADERS_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.headersTimeoutMs, 100, 600_000)
  const requestTimeoutMs = setting('REQUEST_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.requestTimeoutMs, 100, 3_600_000)
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not be longer than REQUEST_TIMEOUT_MS (${requestTimeoutMs}), which includes the headers`)
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: setting('KEEP_ALIVE_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs, 100, 600_000),
    maxConnectionsPerAddress: setting('MAX_CONNECTIONS_PER_ADDRESS', trustProxy ? 0 : DEFAULT_HTTP_LIMITS.maxConnectionsPerAddress, 0, 1_000_000),
  }
}

/** The email's own cap is what one address at its full rate may have in an hour: 6 windows of 10 minutes. */
function mailLimits(perRequester: number): SignInLimits {
  return {
    ...DEFAULT_SIGN_IN_LIMITS,
    mailPerRequester: { ...DEFAULT_SIGN_IN_LIMITS.mailPerRequester, max: perRequester },
    mailPerEmail: { ...DEFAULT_SIGN_IN_LIMITS.mailPerEmail, max: perRequester * 6 },
  }
}

export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig {
  let values: Record<string, string | undefined>
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        db: { type: 'string' },
        'mail-dir': { type: 'string' },
        host: { type: 'string' },
        courses: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}\nusage: npm run server -- --port P --db URL [--mail-dir DIR] [--host H] [--courses DIR]`)
  }
  const perIp = nonEmpty(env.RATE_LIMIT_PER_IP)
  const perEmail = nonEmpty(env.RATE_LIMIT_PER_EMAIL)
  const ipLimit = perIp ? integer('RATE_LIMIT_PER_IP', perIp, 1, 1_000_000) : undefined
  const trustProxy = trustProxySetting(env.TRUST_PROXY)
  const codeKeyList = nonEmpty(env.CODE_KEYS)
  const codeKeyFile = nonEmpty(env.CODE_KEY_FILE)
  if (codeKeyList && codeKeyFile) throw new ConfigError('Set either CODE_KEYS or CODE_KEY_FILE, not both')
  let codeKeys: CodeKey[] | undefined
  try {
    codeKeys = codeKeyList ? parseCodeKeys(codeKeyList, 'CODE_KEYS') : undefined
  } catch (e) {
    throw e instanceof CodeKeyError ? new ConfigError(e.message) : e
  }
  return {
    port: integer('--port', nonEmpty(values.port) ?? nonEmpty(env.PORT) ?? '8787', 0, 65535),
    host: nonEmpty(values.host) ?? nonEmpty(env.HOST) ?? '127.0.0.1',
    dbUrl: nonEmpty(values.db) ?? nonEmpty(env.DATABASE_URL) ?? DEFAULT_DATABASE_URL,
    dbAuthToken: nonEmpty(env.DATABASE_AUTH_TOKEN),
    smtpUrl: nonEmpty(env.SMTP_URL),
    mailFrom: nonEmpty(env.MAIL_FROM),
    mailDir: resolve(nonEmpty(values['mail-dir']) ?? nonEmpty(env.MAIL_DIR) ?? DEFAULT_MAIL_DIR),
    coursesDir: resolve(nonEmpty(values.courses) ?? nonEmpty(env.COURSES_DIR) ?? root('resources/courses')),
    migrationsDir: root('migrations'),
    serverMigrationsDir: root('server/migrations'),
    codeTtlSeconds: nonEmpty(env.CODE_TTL_SECONDS) ? integer('CODE_TTL_SECONDS', env.CODE_TTL_SECONDS as string, 1, 86_400) : CODE_TTL_SECONDS,
    pullPageSize: nonEmpty(env.PULL_PAGE_SIZE) ? integer('PULL_PAGE_SIZE', env.PULL_PAGE_SIZE as string, 1, PULL_PAGE_SIZE) : PULL_PAGE_SIZE,
    limits: {
      startPerIp: ipLimit ? { ...DEFAULT_LIMITS.startPerIp, max: ipLimit } : DEFAULT_LIMITS.startPerIp,
      verifyPerIp: ipLimit ? { ...DEFAULT_LIMITS.verifyPerIp, max: ipLimit } : DEFAULT_LIMITS.verifyPerIp,
    },
    signInLimits: perEmail ? mailLimits(integer('RATE_LIMIT_PER_EMAIL', perEmail, 1, 1_000_000)) : DEFAULT_SIGN_IN_LIMITS,
    codeKeys,
    codeKeyFile: codeKeyFile ? resolve(codeKeyFile) : undefined,
    trustProxy,
    http: httpLimits(env, trustProxy),
  }
}
