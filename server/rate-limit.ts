/**
 * In-memory sliding-window rate limits for the sign-in routes. One server process holds them; they
 * reset on restart, which is acceptable for slowing down guessing and mail flooding.
 */
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
