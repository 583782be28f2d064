/**
 * Sliding-window rate limits for the sign-in routes, of two kinds:
 * - in memory (createRateLimiter), per client address: they only slow a flood of requests, and
 *   resetting on restart gives nobody anything;
 * - in the database (countEvents, recordEvent over sign_in_events), the limits that guard guessing and
 *   mail per email (server/auth.ts): a restart must not hand out new guesses or mail.
 */
import { and, eq, gt, sql, type SQL } from 'drizzle-orm'
import type { Q } from '../electron/core/db/database'
import { signInEvents } from './sign-in-tables'

export interface Limit {
  /** Most hits allowed within the window. */
  max: number
  windowSeconds: number
}

export type Verdict = { ok: true } | { ok: false; retryAfterSeconds: number }

export interface RateLimiter {
  /** Records a hit for `key` if the limit allows it. */
  hit(key: string, now?: number): Verdict
  /** Forgets windows that have fully passed. */
  sweep(now?: number): void
  readonly size: number
}

export function createRateLimiter(limit: Limit): RateLimiter {
  const windowMs = limit.windowSeconds * 1000
  const hits = new Map<string, number[]>()
  const recent = (key: string, now: number) => (hits.get(key) ?? []).filter((t) => t > now - windowMs)
  return {
    hit(key, now = Date.now()) {
      const times = recent(key, now)
      if (times.length >= limit.max) {
        hits.set(key, times)
        const oldest = times[0] ?? now
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) }
      }
      times.push(now)
      hits.set(key, times)
      return { ok: true }
    },
    sweep(now = Date.now()) {
      for (const [key, times] of hits) {
        const kept = times.filter((t) => t > now - windowMs)
        if (kept.length === 0) hits.delete(key)
        else hits.set(key, kept)
      }
    },
    get size() {
      return hits.size
    },
  }
}

export type EventKind = 'mail' | 'wrong'

export interface EventWindow {
  /** Rows in the window. */
  count: number
  /** Their weights added up. */
  weight: number
  /** When the oldest of them happened (epoch seconds), null when there is none. */
  oldest: number | null
}

export interface EventFilter {
  kind: EventKind
  subject: string
  /** Only this requester's rows; all requesters' when absent. */
  requester?: string
  /** Only rows of guarded comparisons (server/auth.ts). */
  guarded?: boolean
  /** Epoch seconds: rows after this count. */
  since: number
}

export async function countEvents(q: Q, filter: EventFilter): Promise<EventWindow> {
  const conditions: SQL[] = [eq(signInEvents.kind, filter.kind), eq(signInEvents.subject, filter.subject), gt(signInEvents.at, filter.since)]
  if (filter.requester !== undefined) conditions.push(eq(signInEvents.requester, filter.requester))
  if (filter.guarded) conditions.push(eq(signInEvents.guarded, 1))
  const [row] = await q
    .select({ count: sql<number>`count(*)`, weight: sql<number>`coalesce(sum(${signInEvents.weight}), 0)`, oldest: sql<number | null>`min(${signInEvents.at})` })
    .from(signInEvents)
    .where(and(...conditions))
  return { count: Number(row?.count ?? 0), weight: Number(row?.weight ?? 0), oldest: row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest) }
}

export async function recordEvent(q: Q, event: { kind: EventKind; subject: string; requester: string; at: number; weight?: number; guarded?: boolean }): Promise<void> {
  await q.insert(signInEvents).values({ kind: event.kind, subject: event.subject, requester: event.requester, at: event.at, weight: event.weight ?? 1, guarded: event.guarded ? 1 : 0 })
}

/** Seconds until the oldest row of a full window leaves it (at least 1). */
export function secondsUntilFree(window: EventWindow, windowSeconds: number, now: number): number {
  return Math.max(1, (window.oldest ?? now) + windowSeconds - now)
}

/**
 * The key mail limits count an email under: without the local part's +tag, so victim+1@… and
 * victim@… share one limit. Only for counting: the account is the email as typed. The email comes
 * already trimmed and lower-cased (contract/inputs.ts Email); a local part that is all tag stays whole.
 */
export function limiterEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at < 0) return email
  const local = email.slice(0, at)
  const base = local.split('+')[0] ?? ''
  return `${base === '' ? local : base}${email.slice(at)}`
}
