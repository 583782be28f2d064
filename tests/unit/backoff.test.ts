import { describe, expect, it } from 'vitest'
import { DEFAULT_TIMINGS, backoffDelay } from '../../electron/core/sync/engine'

describe('sync backoff', () => {
  it('grows exponentially with the failures, up to the cap', () => {
    const top = (failures: number) => backoffDelay(failures, DEFAULT_TIMINGS, () => 0.999999)
    expect(top(0)).toBeLessThan(DEFAULT_TIMINGS.backoffBaseMs)
    expect(top(1)).toBeGreaterThan(top(0))
    expect(top(3)).toBeGreaterThan(top(2))
    expect(top(40)).toBeLessThanOrEqual(DEFAULT_TIMINGS.backoffMaxMs)
    expect(top(40)).toBeGreaterThan(DEFAULT_TIMINGS.backoffMaxMs * 0.99)
  })

  it('is jittered over the whole window, so many clients do not retry together', () => {
    expect(backoffDelay(5, DEFAULT_TIMINGS, () => 0)).toBe(0)
    expect(backoffDelay(5, DEFAULT_TIMINGS, () => 0.5)).toBe(Math.floor(0.5 * DEFAULT_TIMINGS.backoffBaseMs * 32))
  })
})
