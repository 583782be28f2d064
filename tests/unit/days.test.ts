import { describe, it, expect } from 'vitest'
import { localDay, isValidTimezone, dayNumber, dayFromNumber, addDays } from '../../electron/core/domain/days'

const at = (iso: string): number => Date.parse(iso) / 1000

describe('localDay', () => {
  it.each([
    ['2026-01-15T12:00:00Z', 'UTC', '2026-01-15'],
    ['2026-01-15T23:59:59Z', 'UTC', '2026-01-15'],
    ['2026-01-16T00:00:00Z', 'UTC', '2026-01-16'],
    // Kiritimati is UTC+14, Pago Pago UTC-11: one instant, three calendar days.
    ['2026-01-15T10:30:00Z', 'Pacific/Kiritimati', '2026-01-16'],
    ['2026-01-15T10:30:00Z', 'Pacific/Pago_Pago', '2026-01-14'],
    ['2026-01-15T09:59:59Z', 'Pacific/Kiritimati', '2026-01-15'],
    ['2026-01-15T10:59:59Z', 'Pacific/Pago_Pago', '2026-01-14'],
    ['2026-01-15T11:00:00Z', 'Pacific/Pago_Pago', '2026-01-15'],
    // Kathmandu is UTC+5:45.
    ['2026-01-15T18:14:59Z', 'Asia/Kathmandu', '2026-01-15'],
    ['2026-01-15T18:15:00Z', 'Asia/Kathmandu', '2026-01-16'],
    ['2026-01-15T04:59:59Z', 'America/New_York', '2026-01-14'],
    ['2026-01-15T05:00:00Z', 'America/New_York', '2026-01-15'],
    ['2026-07-15T03:59:59Z', 'America/New_York', '2026-07-14'],
    ['2026-07-15T04:00:00Z', 'America/New_York', '2026-07-15'],
    ['2026-12-31T23:30:00Z', 'Europe/Paris', '2027-01-01'],
    ['2024-02-29T12:00:00Z', 'Asia/Tokyo', '2024-02-29'],
  ])('%s in %s is %s', (iso, tz, day) => {
    expect(localDay(at(iso), tz)).toBe(day)
  })

  it('formats days as zero-padded YYYY-MM-DD', () => {
    expect(localDay(at('2026-03-05T12:00:00Z'), 'UTC')).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(localDay(at('2026-03-05T12:00:00Z'), 'UTC')).toBe('2026-03-05')
  })

  it('accepts fractional epoch seconds', () => {
    expect(localDay(at('2026-01-15T23:59:59Z') + 0.999, 'UTC')).toBe('2026-01-15')
  })

  it('throws for an unknown timezone', () => {
    expect(() => localDay(0, 'Mars/Base')).toThrow(RangeError)
  })
})

describe('isValidTimezone', () => {
  it.each([
    ['Europe/Paris', true],
    ['UTC', true],
    ['America/New_York', true],
    ['Pacific/Kiritimati', true],
    ['Mars/Base', false],
    ['', false],
    ['Not a zone', false],
  ])('%j is valid: %s', (tz, valid) => {
    expect(isValidTimezone(tz)).toBe(valid)
  })

  it('gives the same answer when asked twice (the formatter cache does not remember failures as valid)', () => {
    expect(isValidTimezone('Mars/Base')).toBe(false)
    expect(isValidTimezone('Mars/Base')).toBe(false)
    expect(isValidTimezone('Europe/Paris')).toBe(true)
    expect(isValidTimezone('Europe/Paris')).toBe(true)
  })
})

describe('dayNumber and dayFromNumber', () => {
  it.each([
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['1969-12-31', -1],
    ['2000-01-01', 10957],
    ['2026-03-08', 20520],
  ])('%s is day %i', (day, n) => {
    expect(dayNumber(day)).toBe(n)
    expect(dayFromNumber(n)).toBe(day)
  })

  it('consecutive days differ by exactly 1, including across DST changes', () => {
    for (const [a, b] of [
      ['2026-03-07', '2026-03-08'],
      ['2026-03-08', '2026-03-09'],
      ['2026-03-28', '2026-03-29'],
      ['2026-10-31', '2026-11-01'],
      ['2026-11-01', '2026-11-02'],
    ] as const) {
      expect(dayNumber(b) - dayNumber(a)).toBe(1)
    }
  })

  it('round-trips every day for several years', () => {
    let day = '2023-01-01'
    for (let i = 0; i < 4 * 366; i++) {
      const n = dayNumber(day)
      expect(dayFromNumber(n)).toBe(day)
      const next = dayFromNumber(n + 1)
      expect(dayNumber(next)).toBe(n + 1)
      day = next
    }
    expect(day).toBe('2027-01-04')
  })
})

describe('addDays', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2000-02-28', 1, '2000-02-29'],
    ['2100-02-28', 1, '2100-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-04-30', 1, '2026-05-01'],
    ['2026-03-08', 0, '2026-03-08'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2025-01-01', 365, '2026-01-01'],
    ['2026-03-07', 2, '2026-03-09'],
  ])('%s + %i days is %s', (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected)
  })
})
