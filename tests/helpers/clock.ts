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
