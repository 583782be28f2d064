import { describe, it, expect } from 'vitest'
import { parsePressureRoom } from '../../electron/core/domain/pressure-room-record'

describe('parsePressureRoom', () => {
  it('reads a valid record', () => {
    expect(parsePressureRoom('{"bestScore":80,"attempts":2,"passedAt":1767225600}')).toEqual({
      bestScore: 80,
      attempts: 2,
      passedAt: 1767225600,
    })
  })

  it('reads a record that has not passed yet', () => {
    expect(parsePressureRoom('{"bestScore":40,"attempts":1,"passedAt":null}')).toEqual({ bestScore: 40, attempts: 1, passedAt: null })
  })

  it('drops unknown fields', () => {
    expect(parsePressureRoom('{"bestScore":0,"attempts":0,"passedAt":null,"extra":true}')).toEqual({
      bestScore: 0,
      attempts: 0,
      passedAt: null,
    })
  })

  it.each<[string, string | null]>([
    ['null', null],
    ['an empty string', ''],
    ['bad JSON', '{"bestScore":80,'],
    ['not JSON at all', 'hello'],
    ['JSON null', 'null'],
    ['a JSON array', '[80,2,null]'],
    ['a JSON number', '80'],
    ['an empty object', '{}'],
    ['a missing passedAt', '{"bestScore":80,"attempts":2}'],
    ['a score as a string', '{"bestScore":"80","attempts":2,"passedAt":null}'],
    ['a score above 100', '{"bestScore":101,"attempts":2,"passedAt":null}'],
    ['a negative score', '{"bestScore":-1,"attempts":2,"passedAt":null}'],
    ['negative attempts', '{"bestScore":80,"attempts":-1,"passedAt":null}'],
    ['fractional attempts', '{"bestScore":80,"attempts":1.5,"passedAt":null}'],
    ['a passedAt string', '{"bestScore":80,"attempts":2,"passedAt":"2026-01-01"}'],
  ])('returns null for %s', (_name, json) => {
    expect(parsePressureRoom(json)).toBeNull()
  })
})
