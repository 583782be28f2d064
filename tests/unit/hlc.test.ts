import { describe, expect, it } from 'vitest'
import { HLC_PATTERN, clampHlc, formatHlc, isNewer, latestHlc, nextHlc, parseHlc, receiveHlc } from '../../electron/core/domain/hlc'

describe('hybrid logical clock', () => {
  it('readings sort in time order as plain strings', () => {
    const a = formatHlc({ ms: 1_000, counter: 0, node: 'dev-a' })
    const b = formatHlc({ ms: 1_000, counter: 1, node: 'dev-a' })
    const c = formatHlc({ ms: 10_000, counter: 0, node: 'dev-a' })
    expect([c, a, b].sort()).toEqual([a, b, c])
    for (const r of [a, b, c]) expect(r).toMatch(HLC_PATTERN)
  })

  it('never goes backwards, even when the wall clock does', () => {
    const first = nextHlc(null, 5_000, 'dev')
    const second = nextHlc(first, 4_000, 'dev') // the clock was set back
    const third = nextHlc(second, 4_000, 'dev')
    expect(second > first).toBe(true)
    expect(third > second).toBe(true)
    expect(parseHlc(third)).toEqual({ ms: 5_000, counter: 2, node: 'dev' })
  })

  it('moves to the wall clock when it is ahead again', () => {
    const behind = formatHlc({ ms: 5_000, counter: 7, node: 'dev' })
    expect(parseHlc(nextHlc(behind, 9_000, 'dev'))).toEqual({ ms: 9_000, counter: 0, node: 'dev' })
  })

  it('two devices writing in the same millisecond are ordered by device id, the same way everywhere', () => {
    const a = nextHlc(null, 7_000, 'aaaa')
    const b = nextHlc(null, 7_000, 'bbbb')
    expect(isNewer(b, a)).toBe(true)
    expect(isNewer(a, b)).toBe(false)
  })

  it('anything beats no previous write; a reading does not beat itself', () => {
    const r = nextHlc(null, 1, 'x')
    expect(isNewer(r, null)).toBe(true)
    expect(isNewer(r, undefined)).toBe(true)
    expect(isNewer(r, r)).toBe(false)
  })

  it('rejects readings that are not clocks', () => {
    expect(parseHlc('yesterday')).toBeNull()
    expect(HLC_PATTERN.test('1:2:3')).toBe(false)
  })
})

describe('hybrid logical clock: receiving another device’s reading', () => {
  const at = (ms: number, counter: number, node: string) => formatHlc({ ms, counter, node })

  it('a reading ahead of both this clock and the wall clock: the next reading continues from it', () => {
    const seen = at(9_000, 4, 'fast')
    const r = receiveHlc(at(5_000, 0, 'me'), seen, 6_000, 'me')
    expect(parseHlc(r)).toEqual({ ms: 9_000, counter: 5, node: 'me' })
    expect(nextHlc(r, 6_500, 'me') > seen).toBe(true)
  })

  it('the same millisecond on both: the counter goes on from the larger of the two', () => {
    expect(parseHlc(receiveHlc(at(9_000, 7, 'me'), at(9_000, 2, 'zz'), 1_000, 'me'))).toEqual({ ms: 9_000, counter: 8, node: 'me' })
    expect(parseHlc(receiveHlc(at(9_000, 2, 'me'), at(9_000, 7, 'aa'), 1_000, 'me'))).toEqual({ ms: 9_000, counter: 8, node: 'me' })
  })

  it('this clock ahead of the reading and the wall clock: its own counter goes on', () => {
    expect(parseHlc(receiveHlc(at(9_000, 3, 'me'), at(2_000, 9, 'x'), 1_000, 'me'))).toEqual({ ms: 9_000, counter: 4, node: 'me' })
  })

  it('the wall clock ahead of both: it starts a new millisecond at counter 0', () => {
    expect(parseHlc(receiveHlc(at(1_000, 3, 'me'), at(2_000, 9, 'x'), 5_000, 'me'))).toEqual({ ms: 5_000, counter: 0, node: 'me' })
    expect(parseHlc(receiveHlc(null, at(2_000, 9, 'x'), 5_000, 'me'))).toEqual({ ms: 5_000, counter: 0, node: 'me' })
  })

  it('a reading that is not a clock changes nothing', () => {
    const last = at(1_000, 3, 'me')
    expect(receiveHlc(last, 'garbage', 5_000, 'me')).toBe(last)
  })

  it('a counter at its last value moves to the next millisecond rather than outgrowing its digits', () => {
    const r = nextHlc(at(9_000, 999_999, 'me'), 1_000, 'me')
    expect(r).toMatch(HLC_PATTERN)
    expect(parseHlc(r)).toEqual({ ms: 9_001, counter: 0, node: 'me' })
  })

  it('latestHlc keeps the latest well-formed reading and ignores anything else', () => {
    expect(latestHlc([at(1, 0, 'a'), 'junk', 42, null, at(3, 0, 'a'), at(2, 9, 'z')])).toBe(at(3, 0, 'a'))
    expect(latestHlc(['junk', null])).toBeNull()
  })
})

describe('hybrid logical clock: the server’s bound', () => {
  it('a reading beyond the bound gets the bound, keeping its device; within it, it is kept as it is', () => {
    const limit = 1_000_000
    const within = formatHlc({ ms: limit, counter: 5, node: 'dev' })
    expect(clampHlc(within, limit, 0)).toBe(within)
    const clamped = clampHlc(formatHlc({ ms: limit * 9, counter: 5, node: 'dev' }), limit, 2)
    expect(parseHlc(clamped)).toEqual({ ms: limit, counter: 2, node: 'dev' })
    expect(clampHlc('not a clock', limit, 0)).toBe('not a clock')
  })

  it('readings clamped in order within one push keep their order', () => {
    const first = clampHlc(formatHlc({ ms: 9e12, counter: 0, node: 'dev' }), 1_000, 0)
    const second = clampHlc(formatHlc({ ms: 9e12 + 5, counter: 0, node: 'dev' }), 1_000, 1)
    expect(isNewer(second, first)).toBe(true)
  })
})
