import { describe, expect, it } from 'vitest'
import { DEFAULT_TIMINGS, backoffDelay } from '../../electron/core/sync/engine'

/** The whole window a delay is drawn from: with random() = 0.5 the delay is exactly half of it. */
const windowAfter = (failures: number, t: Pick<typeof DEFAULT_TIMINGS, 'backoffBaseMs' | 'backoffMaxMs'> = DEFAULT_TIMINGS) =>
  2 * backoffDelay(failures, t, () => 0.5)

describe('sync backoff', () => {
  it('grows exponentially with the failures: the window doubles with each one, from the base up to the cap', () => {
    const t = { backoffBaseMs: 100, backoffMaxMs: 100 * 2 ** 6 }
    expect(windowAfter(0, t)).toBe(t.backoffBaseMs)
    const ratios = Array.from({ length: 6 }, (_, n) => windowAfter(n + 1, t) / windowAfter(n, t))
    expect(ratios).toEqual([2, 2, 2, 2, 2, 2])
    // Then it stays at the cap, however many failures follow.
    for (const failures of [6, 7, 12, 30, 31, 1000, Number.MAX_SAFE_INTEGER]) expect(windowAfter(failures, t), `${failures}`).toBe(t.backoffMaxMs)
  })

  it('with the default timings, starts at the base and ends at the cap', () => {
    expect(windowAfter(0)).toBe(DEFAULT_TIMINGS.backoffBaseMs)
    expect(windowAfter(40)).toBe(DEFAULT_TIMINGS.backoffMaxMs)
  })

  it('is jittered over the whole window, so many clients do not retry together', () => {
    expect(backoffDelay(5, DEFAULT_TIMINGS, () => 0)).toBe(0)
    expect(backoffDelay(5, DEFAULT_TIMINGS, () => 0.5)).toBe(Math.floor(0.5 * DEFAULT_TIMINGS.backoffBaseMs * 32))
    expect(backoffDelay(5, DEFAULT_TIMINGS, () => 0.999999)).toBe(Math.floor(0.999999 * DEFAULT_TIMINGS.backoffBaseMs * 32))
  })
})
