/**
 * The server's settings from its command line and environment (DESIGN.md §5):
 * `--port P --db URL [--mail-dir DIR]`, with PORT, DATABASE_URL, DATABASE_AUTH_TOKEN, SMTP_URL,
 * MAIL_DIR, HOST and COURSES_DIR as fallbacks. Flags win over the environment.
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { DEFAULT_LIMITS, type AuthLimits } from './app'
import { CODE_TTL_SECONDS } from './auth'
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
  trustProxy: boolean
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
      startPerEmail: perEmail ? { ...DEFAULT_LIMITS.startPerEmail, max: integer('RATE_LIMIT_PER_EMAIL', perEmail, 1, 1_000_000) } : DEFAULT_LIMITS.startPerEmail,
      startPerIp: ipLimit ? { ...DEFAULT_LIMITS.startPerIp, max: ipLimit } : DEFAULT_LIMITS.startPerIp,
      verifyPerIp: ipLimit ? { ...DEFAULT_LIMITS.verifyPerIp, max: ipLimit } : DEFAULT_LIMITS.verifyPerIp,
    },
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
  }
}
