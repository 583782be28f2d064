/**
 * Seeded randomness for exercises: the same seed gives the same draw and the same shuffles on every
 * device and on the server, so an attempt is shown and graded alike wherever it is replayed.
 * pure-rand's xoroshiro128+ is the generator (a small, well-kept library, also used by fast-check).
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { uniformInt } from 'pure-rand/distribution/uniformInt'

/** Seeds are 32-bit unsigned integers: they fit a SQLite INTEGER and a JSON number exactly. */
export const MAX_SEED = 0xffff_ffff

export type Random = (bound: number) => number

/**
 * MurmurHash3's 32-bit finaliser: a bijection that spreads every bit of the seed over the whole word.
 * xoroshiro128plus(seed) starts from a state that is the seed itself (its first output is ~seed), so
 * neighbouring seeds would give related shuffles without it.
 */
function mixSeed(seed: number): number {
  let h = seed | 0
  h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35)
  return h ^ (h >>> 16)
}

/** A generator of integers in [0, bound) for one seed. */
export function seededRandom(seed: number): Random {
  const rng = xoroshiro128plus(mixSeed(seed))
  return (bound) => uniformInt(rng, 0, bound - 1)
}

/** A seed derived from text (FNV-1a), for shuffles that must be stable without a stored seed. */
export function seedFromText(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** Mixes a seed with a question id, so each question of an attempt gets its own shuffle. */
export function subSeed(seed: number, id: string): number {
  return seedFromText(`${seed}:${id}`)
}

/** Fisher–Yates over a seeded generator. */
export function shuffle<T>(items: readonly T[], random: Random): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1)
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

/** A shuffle of 0..n-1 that never leaves the items in their original order (for n ≥ 2). */
export function shuffledIndexes(n: number, random: Random): number[] {
  const order = shuffle(
    Array.from({ length: n }, (_, i) => i),
    random,
  )
  // Showing an ordering task already in order would hand out its answer: rotate by one instead.
  if (n >= 2 && order.every((v, i) => v === i)) return [...order.slice(1), order[0] as number]
  return order
}

/** `count` items of `pool` in a seeded order (all of them when count ≥ pool length). */
export function draw<T>(pool: readonly T[], count: number, seed: number): T[] {
  return shuffle(pool, seededRandom(seed)).slice(0, count)
}
