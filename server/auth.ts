/**
 * Sign-in by emailed one-time code, and the sessions it opens. Codes are stored as an
 * HMAC under a code key (server/code-keys.ts), sessions as the SHA-256 of a random token. A learner is
 * created at their first sign-in. Rules below; the numbers are DEFAULT_SIGN_IN_LIMITS.
 *
 * Codes — nobody at another client address can keep a learner out, and nobody gets many guesses. A
 * "requester" is the client address as limits count it (server/client-address.ts: IPv6 by its /64).
 * - Every start mails a new code and adds it to the email's live codes; no other requester's start,
 *   wrong guess or sign-in replaces, locks or cancels it. A requester keeps its 5 newest per email.
 *   A code works once, for CODE_TTL_SECONDS, and only while its key is in the key ring.
 * - A verify compares the code with every live code of the email, unless that would take the email
 *   past its guessing budget: 10 failed comparisons an hour from all requesters together (a wrong code
 *   compared with 3 live codes counts 3). Past it the email is guarded: a verify is compared only with
 *   codes mailed at the same requester's request, at most 3 failed comparisons a day per requester.
 *   So the learner who asked for a code from this device always has it checked, while nobody else
 *   gains anything from the budget being spent, nor can spend the learner's own allowance.
 * - A requester that tried 5 wrong codes for an email within an hour is refused for that email until
 *   the hour is over (CODE_LOCKED with Retry-After); other requesters are not affected.
 * - Mail: 5 codes per 10 minutes per (email, requester) and 30 an hour per email from everyone, where
 *   an email counts without its +tag (victim+1@… is victim@…). Past the 30, a requester that was not
 *   mailed a code for that email within the hour is still mailed one: an attacker spread over many
 *   addresses only slows the mail (one per address per hour), and the learner is still served.
 * - The counts are rows in the database (sign_in_events), so a restart hands out no new guesses.
 * Worst case for one account and one day: 24 × 10 = 240 budget comparisons, plus 3 per requester
 * address that got a code mailed (each costing a mail to the learner, and past 30 an hour a fresh /64
 * or IPv4 address); at one chance in a million each, 0.024 % a day plus 0.0003 % per such address
 * (before: about 0.36 % a day from a single address).
 *
 * Sessions — one per sign-in, however many devices:
 * - each successful verify opens a session of its own (the server cannot tell a second device from
 *   the same device signing in again; the app signs its old session out before it signs in again);
 * - POST /v1/auth/signout ends only the session whose token it carries: other devices stay signed in;
 * - POST /v1/auth/signout-all ends every session of the learner, the caller's own included;
 * - a session ends after SESSION_IDLE_SECONDS (90 days) without use; each use moves that to 90 days
 *   from then, written at most once per SESSION_EXTEND_AFTER_SECONDS (an hour) per session so reads
 *   stay reads, but never past SESSION_MAX_SECONDS (a year) after the sign-in;
 * - a token works only while its session row exists and has not expired; once the row is deleted
 *   (signed out, signed out everywhere, purged, the learner removed) or expired, it answers 401 for good.
 * See docs/architecture.md#sign-in-and-sessions.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import { and, eq, gt, inArray, lte, notInArray, sql } from 'drizzle-orm'
import type { Q } from '../electron/core/db/database'
import { preparedQuery } from '../electron/core/db/prepared'
import { sessions, userProfiles, users } from '../electron/core/db/schema'
import { newId } from '../electron/core/ids'
import type { SyncUser, VerifyAnswer } from '../electron/core/sync/protocol'
import { codeKeyId, type CodeKey } from './code-keys'
import type { ServerDb } from './db'
import { HttpError, unauthorized } from './http-error'
import type { Mailer } from './mailer'
import { countEvents, limiterEmail, recordEvent, secondsUntilFree, type Limit } from './rate-limit'
import { sessionStarts, signInCodes, signInEvents } from './sign-in-tables'

export const CODE_TTL_SECONDS = 600
/** Live codes one requester keeps per email; its next start drops its own oldest. */
export const MAX_LIVE_CODES_PER_REQUESTER = 5
export const SESSION_IDLE_SECONDS = 90 * 24 * 60 * 60
export const SESSION_MAX_SECONDS = 365 * 24 * 60 * 60
export const SESSION_EXTEND_AFTER_SECONDS = 60 * 60
/** Who asked, when the caller does not say (in-process use, tests). */
const LOCAL_REQUESTER = 'local'

export interface SignInLimits {
  /** Codes mailed for one email (without +tag) at one requester's request. */
  mailPerRequester: Limit
  /** Codes mailed for one email from all requesters; past it, one per requester per window. */
  mailPerEmail: Limit
  /** Wrong codes one requester may try for one email. */
  wrongPerRequester: Limit
  /** Failed comparisons for one email from all requesters; past it the email is guarded. */
  guessesPerEmail: Limit
  /** Failed comparisons one requester may make against its own codes while the email is guarded. */
  guardedPerRequester: Limit
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  mailPerRequester: { max: 5, windowSeconds: 600 },
  mailPerEmail: { max: 30, windowSeconds: 3600 },
  wrongPerRequester: { max: 5, windowSeconds: 3600 },
  guessesPerEmail: { max: 10, windowSeconds: 3600 },
  guardedPerRequester: { max: 3, windowSeconds: 86_400 },
}

export interface AuthOptions {
  db: ServerDb
  mailer: Mailer
  /** The code key ring, newest first (server/code-keys.ts). */
  keys?: readonly CodeKey[]
  /** A single code key, for tests and in-process use. */
  secret?: string
  /** Epoch seconds. */
  now?: () => number
  codeTtlSeconds?: number
  limits?: Partial<SignInLimits>
}

export interface Session {
  user: SyncUser
  sessionId: string
  /** SHA-256 of the bearer token, as stored. */
  tokenHash: string
}

export interface StartOptions {
  /** Who asks (an addressKey); codes, tries and mail are counted per requester. */
  requester?: string
  /** The device's sign-in nonce, carried in the mailed link (protocol.ts SignInNonce). */
  nonce?: string
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

export function signInLink(email: string, code: string, nonce?: string): string {
  return `pathwise://auth/verify?email=${encodeURIComponent(email)}&code=${code}${nonce === undefined ? '' : `&nonce=${encodeURIComponent(nonce)}`}`
}

function signInMail(email: string, code: string, ttlSeconds: number, nonce: string | undefined) {
  const minutes = Math.max(1, Math.round(ttlSeconds / 60))
  return {
    to: email,
    subject: `Your Pathwise sign-in code: ${code}`,
    text: [
      `Your Pathwise sign-in code is ${code}`,
      '',
      `Enter it in Pathwise within ${minutes} minute${minutes === 1 ? '' : 's'}, or open this link on the computer where Pathwise is installed:`,
      signInLink(email, code, nonce),
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
    .select({ id: users.id, email: users.email, name: users.name, sessionId: sessions.id, expires: sessions.expires, started: sessionStarts.started })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(sessionStarts, eq(sessionStarts.sessionId, sessions.id))
    .where(and(eq(sessions.sessionToken, sql.placeholder('tokenHash')), gt(sessions.expires, sql.placeholder('now'))))
    .prepare(),
)

const rateLimited = (seconds: number) =>
  new HttpError(429, 'RATE_LIMITED', `Too many codes were asked for. Please wait ${seconds} seconds and try again.`, { 'Retry-After': String(seconds) })

const inWords = (seconds: number) => {
  const minutes = Math.ceil(seconds / 60)
  return minutes <= 90 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.ceil(minutes / 60)} hours`
}

const lockedHere = (seconds: number) =>
  new HttpError(401, 'CODE_LOCKED', `Too many wrong codes were tried from here. Please try again in ${inWords(seconds)}.`, {
    'Retry-After': String(seconds),
  })

const guardedElsewhere = () =>
  new HttpError(401, 'CODE_LOCKED', 'Too many wrong codes were tried for this email. Ask for a new code on this device and enter that one.')

const wrongCode = (left: number) =>
  new HttpError(401, 'CODE_WRONG', left > 0 ? `That code is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.` : 'That code is not right. Ask for a new code.')

export function createAuth(options: AuthOptions) {
  const { db, mailer } = options
  const now = options.now ?? (() => Math.floor(Date.now() / 1000))
  const ttl = options.codeTtlSeconds ?? CODE_TTL_SECONDS
  const limits: SignInLimits = { ...DEFAULT_SIGN_IN_LIMITS, ...options.limits }
  const ring: readonly CodeKey[] = options.keys ?? (options.secret !== undefined ? [{ id: codeKeyId(options.secret), secret: options.secret }] : [])
  const first = ring[0]
  if (!first) throw new Error('createAuth needs a code key')
  const newest: CodeKey = first
  const keysById = new Map(ring.map((k) => [k.id, k]))
  const longestWindow = Math.max(...Object.values(limits).map((l) => l.windowSeconds))
  const codeHash = (key: CodeKey, email: string, code: string) => createHmac('sha256', key.secret).update(`${email}\u0000${code}`).digest()

  /** Issues a new code for `email`, next to any it already has, and mails it. */
  async function startEmail(email: string, startOptions: StartOptions = {}): Promise<void> {
    const requester = startOptions.requester ?? LOCAL_REQUESTER
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
    const refusal = await db.write(async (tx): Promise<HttpError | null> => {
      const at = now()
      const subject = limiterEmail(email)
      const { mailPerRequester: mine, mailPerEmail: all } = limits
      const fromHere = await countEvents(tx, { kind: 'mail', subject, requester, since: at - mine.windowSeconds })
      if (fromHere.count >= mine.max) return rateLimited(secondsUntilFree(fromHere, mine.windowSeconds, at))
      const fromAll = await countEvents(tx, { kind: 'mail', subject, since: at - all.windowSeconds })
      if (fromAll.count >= all.max) {
        const hereThisWindow = await countEvents(tx, { kind: 'mail', subject, requester, since: at - all.windowSeconds })
        if (hereThisWindow.count > 0) return rateLimited(secondsUntilFree(hereThisWindow, all.windowSeconds, at))
      }
      await recordEvent(tx, { kind: 'mail', subject, requester, at })
      await tx.insert(signInCodes).values({ id: newId(), email, requester, codeHash: codeHash(newest, email, code).toString('hex'), keyId: newest.id, created: at, expires: at + ttl })
      const own = and(eq(signInCodes.email, email), eq(signInCodes.requester, requester))
      const kept = tx.select({ id: signInCodes.id }).from(signInCodes).where(own).orderBy(sql`${signInCodes.created} DESC, ${signInCodes.id} DESC`).limit(MAX_LIVE_CODES_PER_REQUESTER)
      await tx.delete(signInCodes).where(and(own, notInArray(signInCodes.id, kept)))
      return null
    })
    if (refusal) throw refusal
    try {
      await mailer.send(signInMail(email, code, ttl, startOptions.nonce))
    } catch (e) {
      throw new HttpError(503, 'UNAVAILABLE', 'The sign-in email could not be sent. Please try again in a moment.', {}, e)
    }
  }

  /** Checks the code (rules at the top); on success signs the learner in, creating them at first sign-in. */
  async function verifyEmail(email: string, code: string, verifyOptions: { requester?: string } = {}): Promise<VerifyAnswer> {
    const requester = verifyOptions.requester ?? LOCAL_REQUESTER
    const outcome = await db.write(async (tx): Promise<VerifyAnswer | HttpError> => {
      const at = now()
      const { wrongPerRequester, guessesPerEmail, guardedPerRequester } = limits
      const tries = await countEvents(tx, { kind: 'wrong', subject: email, requester, since: at - wrongPerRequester.windowSeconds })
      if (tries.count >= wrongPerRequester.max) return lockedHere(secondsUntilFree(tries, wrongPerRequester.windowSeconds, at))

      const live = (
        await tx
          .select({ id: signInCodes.id, requester: signInCodes.requester, codeHash: signInCodes.codeHash, keyId: signInCodes.keyId })
          .from(signInCodes)
          .where(and(eq(signInCodes.email, email), gt(signInCodes.expires, at)))
          .orderBy(sql`${signInCodes.created} DESC, ${signInCodes.id} DESC`)
      ).filter((c) => keysById.has(c.keyId))
      if (live.length === 0) return new HttpError(401, 'CODE_EXPIRED', 'This code has expired. Ask for a new one.')

      const spent = await countEvents(tx, { kind: 'wrong', subject: email, since: at - guessesPerEmail.windowSeconds })
      const guarded = spent.weight + live.length > guessesPerEmail.max
      let candidates = live
      let guardedLeft = Number.POSITIVE_INFINITY
      if (guarded) {
        const used = await countEvents(tx, { kind: 'wrong', subject: email, requester, guarded: true, since: at - guardedPerRequester.windowSeconds })
        const allowance = Math.max(0, guardedPerRequester.max - used.weight)
        const own = live.filter((c) => c.requester === requester)
        if (own.length === 0) return guardedElsewhere()
        if (allowance === 0) return lockedHere(secondsUntilFree(used, guardedPerRequester.windowSeconds, at))
        candidates = own.slice(0, allowance) // the newest: the one the learner most likely has in hand
        guardedLeft = allowance - candidates.length
      }

      // Every candidate is compared, so the time taken does not depend on which one matched.
      let match: (typeof candidates)[number] | undefined
      for (const candidate of candidates) {
        const given = codeHash(keysById.get(candidate.keyId) as CodeKey, email, code)
        const stored = Buffer.from(candidate.codeHash, 'hex')
        if (stored.length === given.length && timingSafeEqual(given, stored) && !match) match = candidate
      }
      if (!match) {
        // Committed even though the answer is an error: the wrong guess must count.
        await recordEvent(tx, { kind: 'wrong', subject: email, requester, at, weight: candidates.length, guarded })
        return wrongCode(Math.min(wrongPerRequester.max - tries.count - 1, guardedLeft))
      }

      await tx.delete(signInCodes).where(eq(signInCodes.id, match.id))
      // They had the code: their own earlier typos need not hold them back next time.
      await tx.delete(signInEvents).where(and(eq(signInEvents.kind, 'wrong'), eq(signInEvents.subject, email), eq(signInEvents.requester, requester)))
      const user = await findOrCreateUser(tx, email, at)
      const token = randomBytes(32).toString('base64url')
      const sessionId = newId()
      await tx.insert(sessions).values({ id: sessionId, sessionToken: sha256(token), userId: user.id, expires: at + Math.min(SESSION_IDLE_SECONDS, SESSION_MAX_SECONDS) })
      await tx.insert(sessionStarts).values({ sessionId, started: at })
      return { token, user }
    })
    if (outcome instanceof HttpError) throw outcome
    return outcome
  }

  /** The session behind a bearer token; 401 for a missing, unknown, expired or signed-out one. Slides its expiry. */
  async function authenticate(token: string | undefined): Promise<Session> {
    if (!token || token.length > 200) throw unauthorized()
    const tokenHash = sha256(token)
    const at = now()
    const rows = await db.read((q) => sessionLookup(q).all({ tokenHash, now: at }))
    const row = rows[0]
    if (!row) throw unauthorized()
    const extended = Math.min(at + SESSION_IDLE_SECONDS, row.started + SESSION_MAX_SECONDS)
    if (extended - row.expires >= SESSION_EXTEND_AFTER_SECONDS) {
      // Only a live row is moved on: one signed out meanwhile stays gone.
      await db.write((tx) => tx.update(sessions).set({ expires: extended }).where(and(eq(sessions.id, row.sessionId), gt(sessions.expires, at))))
    }
    return { user: toSyncUser(row), sessionId: row.sessionId, tokenHash }
  }

  async function signOut(session: Session): Promise<void> {
    await db.write(async (tx) => {
      await tx.delete(sessionStarts).where(eq(sessionStarts.sessionId, session.sessionId))
      await tx.delete(sessions).where(eq(sessions.sessionToken, session.tokenHash))
    })
  }

  /** Ends every session of the session's learner, its own included; answers how many there were. */
  async function signOutAll(session: Session): Promise<number> {
    return db.write(async (tx) => {
      const ids = (await tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, session.user.id))).map((r) => r.id)
      if (ids.length === 0) return 0
      await tx.delete(sessionStarts).where(inArray(sessionStarts.sessionId, ids))
      await tx.delete(sessions).where(eq(sessions.userId, session.user.id))
      return ids.length
    })
  }

  /** Deletes expired sessions and codes and counts no window looks at any more (they are already ignored; this keeps the tables small). */
  async function purgeExpired(): Promise<void> {
    const at = now()
    await db.write(async (tx) => {
      await tx.delete(sessionStarts).where(inArray(sessionStarts.sessionId, tx.select({ id: sessions.id }).from(sessions).where(lte(sessions.expires, at))))
      await tx.delete(sessions).where(lte(sessions.expires, at))
      await tx.delete(signInCodes).where(lte(signInCodes.expires, at))
      await tx.delete(signInEvents).where(lte(signInEvents.at, at - longestWindow))
    })
  }

  return { startEmail, verifyEmail, authenticate, signOut, signOutAll, purgeExpired }
}

export type Auth = ReturnType<typeof createAuth>
