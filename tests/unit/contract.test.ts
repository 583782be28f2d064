import { describe, expect, it, vi } from 'vitest'
import { createDispatch } from '../../electron/core/api/dispatch'
import type { Handlers } from '../../electron/core/api/handlers'
import { CHANNELS, contract, isChannel } from '../../electron/core/contract/channels'
import { NotFound } from '../../electron/core/errors'

/** Handlers that record what reached them; a bad payload must never get this far. */
function recordingHandlers() {
  const calls: [string, unknown][] = []
  const handlers = Object.fromEntries(
    CHANNELS.map((c) => [
      c,
      async (input: unknown) => {
        calls.push([c, input])
        if (c === 'courses.get') throw new NotFound('There is no course "x".')
        if (c === 'stats.get') throw new TypeError('cannot read properties of undefined')
        return { echoed: input }
      },
    ]),
  ) as unknown as Handlers
  return { handlers, calls }
}

describe('the contract', () => {
  it('lists every channel the renderer, the preload and the loopback host rely on', () => {
    for (const c of [
      'profile.get',
      'profile.update',
      'courses.list',
      'courses.get',
      'courses.enrollments',
      'courses.enroll',
      'courses.updateProgress',
      'stats.get',
      'activities.list',
      'activities.log',
      'achievements.list',
      'achievements.check',
      'pressureRoom.start',
      'pressureRoom.submit',
    ]) {
      expect(CHANNELS).toContain(c)
    }
  })

  it('knows its channels and nothing inherited', () => {
    expect(isChannel('profile.get')).toBe(true)
    expect(isChannel('toString')).toBe(false)
    expect(isChannel('__proto__')).toBe(false)
    expect(isChannel(42)).toBe(false)
  })

  it.each<[string, unknown]>([
    ['profile.update', { website: 'javascript:alert(1)' }],
    ['profile.update', { level: 99 }],
    ['courses.get', {}],
    ['courses.get', { courseId: 7 }],
    ['courses.updateProgress', { courseId: 'c', lessonId: 'l', action: 'addTime', seconds: -10 }],
    ['courses.updateProgress', { courseId: 'c', lessonId: 'l', action: 'complete', xp: 1000 }],
    ['pressureRoom.submit', { attemptId: 'a', answers: {}, score: 100 }],
    ['activities.list', { limit: 1_000_000 }],
    ['stats.get', { anything: true }],
    ['courses.enroll', 'sql-fundamentals'],
  ])('refuses a bad %s payload before it reaches a handler', async (channel, payload) => {
    expect(contract[channel as keyof typeof contract].input.safeParse(payload).success).toBe(false)
    // Through the boundary every call crosses, with a handler on every channel that records its calls.
    const { handlers, calls } = recordingHandlers()
    const log = vi.fn()
    expect(await createDispatch(handlers, log)(channel, payload)).toMatchObject({ ok: false, error: { code: 'INVALID' } })
    expect(calls).toEqual([])
    expect(log).not.toHaveBeenCalled()
  })

  it('accepts no input, null or {} for channels without input', () => {
    for (const payload of [undefined, null, {}]) expect(contract['stats.get'].input.safeParse(payload).success).toBe(true)
  })
})

describe('dispatch', () => {
  it('validates, calls the one handler and wraps the answer', async () => {
    const { handlers, calls } = recordingHandlers()
    const result = await createDispatch(handlers)('courses.enroll', { courseId: 'sql-fundamentals' })
    expect(result).toEqual({ ok: true, value: { echoed: { courseId: 'sql-fundamentals' } } })
    expect(calls).toEqual([['courses.enroll', { courseId: 'sql-fundamentals' }]])
  })

  it('a bad payload comes back as INVALID with field errors and never reaches the handler', async () => {
    const { handlers, calls } = recordingHandlers()
    const result = await createDispatch(handlers)('profile.update', { website: 'ftp://x' })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID')
      expect(result.error.fields?.website?.[0]).toMatch(/http/)
    }
    expect(calls).toEqual([])
  })

  it('an unknown channel is NOT_FOUND', async () => {
    const { handlers, calls } = recordingHandlers()
    const result = await createDispatch(handlers)('db.dropEverything', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(calls).toEqual([])
  })

  it('a typed error passes through; an unexpected one is logged and answered without internals', async () => {
    const { handlers } = recordingHandlers()
    const log = vi.fn()
    const dispatch = createDispatch(handlers, log)
    expect(await dispatch('courses.get', { courseId: 'x' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'There is no course "x".' } })
    const crash = await dispatch('stats.get', undefined)
    expect(crash).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: 'Something went wrong. Please try again.' } })
    expect(JSON.stringify(crash)).not.toMatch(/undefined|TypeError|at /)
    expect(log).toHaveBeenCalledTimes(1)
  })
})
