import type { Clock } from '../../electron/core/clock'

/** A clock that only moves when the test says so. */
export function fakeClock(start: string | number) {
  let ms = typeof start === 'number' ? start : Date.parse(start)
  return {
    now: () => ms,
    set(to: string | number) {
      ms = typeof to === 'number' ? to : Date.parse(to)
    },
    advance(seconds: number) {
      ms += seconds * 1000
    },
  } satisfies Clock & Record<string, unknown>
}

/** A device's own clock: `world`'s time plus an offset the test can change (a clock set wrong, or set back). */
export function skewedClock(world: Clock, offsetMs: number) {
  let offset = offsetMs
  return {
    now: () => world.now() + offset,
    /** Moves this clock by `ms` (negative: backwards) from now on. */
    jump(ms: number) {
      offset += ms
    },
  } satisfies Clock & Record<string, unknown>
}
