/**
 * Sign-in by emailed one-time code (DESIGN.md §3): codes are stored as an HMAC under a server secret,
 * expire, and lock after too many wrong guesses; sessions are random tokens stored as their SHA-256.
 * A learner is created at their first sign-in.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import { and, eq, gt, lte, sql } from 'drizzle-orm'
import type { Q } from '../electron/core/db/database'
import { preparedQuery } from '../electron/core/db/prepared'
import { sessions, userProfiles, users, verificationTokens } from '../electron/core/db/schema'
import { newId } from '../electron/core/ids'
import type { SyncUser, VerifyAnswer } from '../electron/core/sync/protocol'
import type { ServerDb } from './db'
import { HttpError, unauthorized } from './http-error'
import type { Mailer } from './mailer'

export const CODE_TTL_SECONDS = 600
export const MAX_CODE_ATTEMPTS = 5
export const SESSION_TTL_SECONDS = 90 * 24 * 60 * 60
const SECRET_KEY = 'code_pepper'

export interface AuthOptions {
  db: ServerDb
  mailer: Mailer
  /** Epoch seconds. */
  now?: () => number
  codeTtlSeconds?: number
}

export interface Session {
  user: SyncUser
  /** SHA-256 of the bearer token, as stored. */
  tokenHash: string
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** The server's secret for code hashes, created at first start. */
export async function loadSecret(db: ServerDb): Promise<string> {
  return db.write(async (tx) => {
    await tx.run(sql`INSERT INTO server_settings (key, value) VALUES (${SECRET_KEY}, ${randomBytes(32).toString('hex')}) ON CONFLICT (key) DO NOTHING`)
    const rows = await tx.all<{ value: string }>(sql`SELECT value FROM server_settings WHERE key = ${SECRET_KEY}`)
    const value = rows[0]?.value
    if (!value) throw new Error('server_settings has no code secret')
    return value
  })
}

export function signInLink(email: string, code: string): string {
  return `pathwise://auth/verify?email=${encodeURIComponent(email)}&code=${code}`
}

function signInMail(email: string, code: string, ttlSeconds: number) {
  const minutes = Math.max(1, Math.round(ttlSeconds / 60))
  return {
    to: email,
    subject: `Your Pathwise sign-in code: ${code}`,
    text: [
      `Your Pathwise sign-in code is ${code}`,
      '',
      `Enter it in Pathwise within ${minutes} minute${minutes === 1 ? '' : 's'}, or open this link on the computer where Pathwise is installed:`,
      signInLink(email, code),
      '',
      'If you did not ask to sign in, you can ignore this email: nobody can sign in without the code.',
    ].join('\n'),
  }
}

const toSyncUser = (row: { id: string; email: string | null; name: string | null }): SyncUser => ({
  id: row.id,
  email: row.email ?? '',
  name: row.name,
})

async function findOrCreateUser(tx: Q, email: string, now: number): Promise<SyncUser> {
  const existing = await tx.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.email, email))
  if (existing[0]) return toSyncUser(existing[0])
  const id = newId()
  // users first: user_versions and user_profiles refer to it.
  await tx.insert(users).values({ id, email })
  await tx.run(sql`INSERT INTO user_versions (user_id, version) VALUES (${id}, 0)`)
  await tx.insert(userProfiles).values({ userId: id, timezone: 'UTC', updatedAt: now })
  return { id, email, name: null }
}

/** Every request looks its session up (db/prepared.ts: the query is built once per database handle). */
const sessionLookup = preparedQuery((q) =>
  q
    .select({ id: users.id, email: users.email, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.sessionToken, sql.placeholder('tokenHash')), gt(sessions.expires, sql.placeholder('now'))))
    .prepare(),
)

export function createAuth(options: AuthOptions & { secret: string }) {
  const { db, mailer, secret } = options
  const now = options.now ?? (() => Math.floor(Date.now() / 1000))
  const ttl = options.codeTtlSeconds ?? CODE_TTL_SECONDS
  const codeHash = (email: string, code: string) => createHmac('sha256', secret).update(`${email}\u0000${code}`).digest('hex')

  /** Issues a fresh code for `email` (replacing any earlier one) and mails it. */
  async function startEmail(email: string): Promise<void> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
    await db.write(async (tx) => {
      await tx.delete(verificationTokens).where(eq(verificationTokens.identifier, email))
      await tx.insert(verificationTokens).values({ identifier: email, token: codeHash(email, code), expires: now() + ttl, attempts: 0 })
    })
    try {
      await mailer.send(signInMail(email, code, ttl))
    } catch (e) {
      throw new HttpError(503, 'UNAVAILABLE', 'The sign-in email could not be sent. Please try again in a moment.', {}, e)
    }
  }

  /** Checks the code; on success signs the learner in (creating them at first sign-in). */
  async function verifyEmail(email: string, code: string): Promise<VerifyAnswer> {
    const outcome = await db.write(async (tx): Promise<VerifyAnswer | HttpError> => {
      const rows = await tx.select().from(verificationTokens).where(eq(verificationTokens.identifier, email))
      const stored = rows[0]
      const at = now()
      if (!stored || stored.expires <= at) {
        if (stored) await tx.delete(verificationTokens).where(eq(verificationTokens.identifier, email))
        return new HttpError(401, 'CODE_EXPIRED', 'This code has expired. Ask for a new one.')
      }
      if (stored.attempts >= MAX_CODE_ATTEMPTS) {
        return new HttpError(401, 'CODE_LOCKED', 'Too many wrong tries. Ask for a new code.')
      }
      const given = Buffer.from(codeHash(email, code), 'hex')
      const expected = Buffer.from(stored.token, 'hex')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        // Committed even though the answer is an error: the wrong guess must count.
        await tx
          .update(verificationTokens)
          .set({ attempts: sql`${verificationTokens.attempts} + 1` })
          .where(eq(verificationTokens.identifier, email))
        const left = MAX_CODE_ATTEMPTS - stored.attempts - 1
        return new HttpError(401, 'CODE_WRONG', left > 0 ? `That code is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.` : 'That code is not right. Ask for a new code.')
      }
      await tx.delete(verificationTokens).where(eq(verificationTokens.identifier, email))
      const user = await findOrCreateUser(tx, email, at)
      const token = randomBytes(32).toString('base64url')
      await tx.insert(sessions).values({ id: newId(), sessionToken: sha256(token), userId: user.id, expires: at + SESSION_TTL_SECONDS })
      return { token, user }
    })
    if (outcome instanceof HttpError) throw outcome
    return outcome
  }

  /** The session behind a bearer token; 401 for a missing, unknown, expired or signed-out one. */
  async function authenticate(token: string | undefined): Promise<Session> {
    if (!token || token.length > 200) throw unauthorized()
    const tokenHash = sha256(token)
    const rows = await db.read((q) => sessionLookup(q).all({ tokenHash, now: now() }))
    const row = rows[0]
    if (!row) throw unauthorized()
    return { user: toSyncUser(row), tokenHash }
  }

  async function signOut(session: Session): Promise<void> {
    await db.write((tx) => tx.delete(sessions).where(eq(sessions.sessionToken, session.tokenHash)))
  }

  /** Deletes expired sessions and codes (they are already refused; this keeps the tables small). */
  async function purgeExpired(): Promise<void> {
    const at = now()
    await db.write(async (tx) => {
      await tx.delete(sessions).where(lte(sessions.expires, at))
      await tx.delete(verificationTokens).where(lte(verificationTokens.expires, at))
    })
  }

  return { startEmail, verifyEmail, authenticate, signOut, purgeExpired }
}

export type Auth = ReturnType<typeof createAuth>
