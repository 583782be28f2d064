import { describe, expect, it } from 'vitest'
import { HLC_PATTERN, formatHlc, isNewer, nextHlc, parseHlc } from '../../electron/core/domain/hlc'

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
