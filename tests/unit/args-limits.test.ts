/** The shape limits on pushed mutation arguments (electron/core/sync/args-limits.ts). */
import { describe, expect, it } from 'vitest'
import { MAX_ATTEMPT_QUESTIONS, MAX_ATTEMPT_TEXT, MutationArgs } from '../../electron/core/mutations/args'
import { argsLimitBreach, MAX_ARGS_CHARS, MAX_ARGS_DEPTH, MAX_ARGS_NODES } from '../../electron/core/sync/args-limits'
import { formatHlc } from '../../electron/core/domain/hlc'

const nested = (levels: number): unknown => {
  let value: unknown = []
  for (let level = 1; level < levels; level++) value = [value]
  return value
}

describe('argsLimitBreach', () => {
  it(`allows ${MAX_ARGS_DEPTH} levels of nesting and refuses ${MAX_ARGS_DEPTH + 1}`, () => {
    expect(argsLimitBreach(nested(MAX_ARGS_DEPTH))).toBeNull()
    expect(argsLimitBreach({ a: nested(MAX_ARGS_DEPTH - 1) })).toBeNull()
    expect(argsLimitBreach(nested(MAX_ARGS_DEPTH + 1))).toBe(`they nest deeper than ${MAX_ARGS_DEPTH} levels`)
    expect(argsLimitBreach({ a: nested(MAX_ARGS_DEPTH) })).toBe(`they nest deeper than ${MAX_ARGS_DEPTH} levels`)
  })

  it('refuses 100 000 levels without overflowing the stack, and soon', () => {
    const started = performance.now()
    expect(argsLimitBreach(nested(100_000))).toBe(`they nest deeper than ${MAX_ARGS_DEPTH} levels`)
    expect(performance.now() - started).toBeLessThan(50)
  })

  it(`counts every object, array and value: ${MAX_ARGS_NODES} in all pass, one more does not`, () => {
    expect(argsLimitBreach(Array.from({ length: MAX_ARGS_NODES - 1 }, () => 0))).toBeNull()
    expect(argsLimitBreach(Array.from({ length: MAX_ARGS_NODES }, () => 0))).toBe(`they hold more than ${MAX_ARGS_NODES} values`)
    const spread = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, Array.from({ length: 64 }, () => null)]))
    expect(argsLimitBreach(spread)).toBe(`they hold more than ${MAX_ARGS_NODES} values`) // 1 + 64 + 64·64
  })

  it(`counts the characters of strings and keys: ${MAX_ARGS_CHARS} pass, one more does not`, () => {
    expect(argsLimitBreach({ ab: 'x'.repeat(MAX_ARGS_CHARS - 2) })).toBeNull()
    expect(argsLimitBreach({ ab: 'x'.repeat(MAX_ARGS_CHARS - 1) })).toBe(`their text is longer than ${MAX_ARGS_CHARS} characters`)
  })

  it('passes the largest arguments every mutation schema accepts from the app', () => {
    const id = (prefix: string, i: number) => `${prefix}${i}`.padEnd(100, 'x')
    const questionIds = Array.from({ length: 500 }, (_, i) => id('q', i))
    const largest = {
      'pressureRoom.recordAttempt': {
        attemptId: id('a', 0),
        courseId: id('c', 0),
        questionIds,
        // The app sends answers only to the attempt's questions.
        answers: Object.fromEntries(questionIds.map((q) => [q, 50])),
        startedAt: 1,
        deadline: 2,
        at: 3,
        tz: 'America/Argentina/ComodRivadavia',
      },
      'lesson.saveNotes': { courseId: id('c', 0), lessonId: id('l', 0), notes: 'n'.repeat(20_000), hlc: formatHlc({ ms: 1, counter: 0, node: 'n' }), at: 1, tz: 'UTC' },
      'profile.update': {
        patch: { name: 'n'.repeat(80), bio: 'b'.repeat(500), location: 'l'.repeat(100), website: `https://${'w'.repeat(180)}.org`, timezone: 'UTC' },
        hlc: formatHlc({ ms: 1, counter: 0, node: 'n' }),
        at: 1,
        tz: 'UTC',
      },
    } as const
    // An attempt with a seed: as many answers as an attempt may have, typed ones as long as allowed in all.
    const answerIds = Array.from({ length: MAX_ATTEMPT_QUESTIONS }, (_, i) => id('q', i))
    const typed = 't'.repeat(MAX_ATTEMPT_TEXT / MAX_ATTEMPT_QUESTIONS / 10)
    const { questionIds: _listed, answers: _choices, ...common } = largest['pressureRoom.recordAttempt']
    const seededArgs = { ...common, seed: 0xffff_ffff, answers: Object.fromEntries(answerIds.map((q) => [q, Array.from({ length: 10 }, () => typed)])) }
    expect(MutationArgs['pressureRoom.recordAttempt'].safeParse(seededArgs).success).toBe(true)
    expect(argsLimitBreach(seededArgs)).toBeNull()
    // One character more is refused by the schema, before it could reach the limits.
    const longer = { ...seededArgs, answers: { ...seededArgs.answers, [id('q', 0)]: [...Array.from({ length: 9 }, () => typed), `${typed}t`] } }
    expect(MutationArgs['pressureRoom.recordAttempt'].safeParse(longer).success).toBe(false)
    for (const [name, args] of Object.entries(largest)) {
      expect({ name, valid: MutationArgs[name as keyof typeof largest].safeParse(args).success }).toEqual({ name, valid: true })
      expect({ name, breach: argsLimitBreach(args) }).toEqual({ name, breach: null })
    }
  })
})
