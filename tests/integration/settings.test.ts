import { afterEach, describe, expect, it } from 'vitest'
import { createDispatch } from '../../electron/core/api/dispatch'
import { createHandlers } from '../../electron/core/api/handlers'
import { openCore } from '../../electron/core/core'
import { DEADLINE_GRACE_SECONDS } from '../../electron/core/services/pressure-room'
import { UPDATE_MESSAGES } from '../../electron/core/updates/controller'
import { fakeClock } from '../helpers/clock'
import { openTestCore } from '../helpers/core'
import { COURSES_DIR, MIGRATIONS_DIR } from '../helpers/paths'
import { fakeUpdater, settle } from '../helpers/updater'

type TestCore = Awaited<ReturnType<typeof openTestCore>>
let core: TestCore | null = null
afterEach(async () => {
  await core?.dispose()
  core = null
})

const dispatchOf = (c: TestCore) => createDispatch(createHandlers(() => c.services), () => undefined)

describe('settings', () => {
  it('automatic updates are on by default, and turning them off survives a restart', async () => {
    core = await openTestCore()
    expect(await core.services.settings.get()).toEqual({ autoUpdate: true })
    expect(await core.services.settings.update({ autoUpdate: false })).toEqual({ autoUpdate: false })
    core.close()
    const again = await openCore({ dataDir: core.dataDir, coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR })
    try {
      expect(await again.services.settings.get()).toEqual({ autoUpdate: false })
    } finally {
      again.close()
    }
  })

  it.each<[string, unknown]>([
    ['an empty patch', {}],
    ['no patch', undefined],
    ['a value that is not true or false', { autoUpdate: 'no' }],
    ['an unknown setting', { theme: 'dark' }],
  ])('settings.update refuses %s, and nothing changes', async (_what, payload) => {
    core = await openTestCore()
    const result = await dispatchOf(core)('settings.update', payload)
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID' } })
    expect(await core.services.settings.get()).toEqual({ autoUpdate: true })
  })

  it('the setting drives the update controller: off stops it, and it starts off after a restart', async () => {
    const updater = fakeUpdater()
    core = await openTestCore({ updater: updater.port })
    const dispatch = dispatchOf(core)
    expect(await dispatch('updates.status', null)).toEqual({ ok: true, value: { state: 'idle', currentVersion: '1.0.0' } })
    await dispatch('settings.update', { autoUpdate: false })
    expect(await dispatch('updates.status', null)).toMatchObject({ ok: true, value: { state: 'disabled', message: UPDATE_MESSAGES.disabled } })
    core.close()
    const again = await openCore({ dataDir: core.dataDir, coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR, updater: fakeUpdater().port })
    try {
      expect(again.updates.status().state).toBe('disabled')
    } finally {
      again.close()
    }
  })
})

describe('updates through the contract', () => {
  it('without an updater (loopback host, development) updates are unsupported and never checked', async () => {
    core = await openTestCore()
    const dispatch = dispatchOf(core)
    expect(await dispatch('updates.status', {})).toEqual({ ok: true, value: { state: 'unsupported', message: UPDATE_MESSAGES.unsupported } })
    expect(await dispatch('updates.check', {})).toMatchObject({ ok: true, value: { state: 'unsupported' } })
    expect(await dispatch('updates.restart', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
  })

  it('"Restart to update" is refused while a Pressure Room attempt is open, and allowed once it is submitted or over', async () => {
    const clock = fakeClock('2026-06-10T18:00:00Z')
    const updater = fakeUpdater()
    core = await openTestCore({ updater: updater.port, clock })
    const dispatch = dispatchOf(core)
    const c = core

    expect(await dispatch('updates.restart', null)).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: UPDATE_MESSAGES.notReady } })
    await dispatch('updates.check', null)
    updater.emit({ type: 'available', version: '1.1.0' })
    updater.emit({ type: 'downloaded', version: '1.1.0' })
    await settle()

    const attempt = await c.services.pressureRoom.start({ courseId: 'sql-fundamentals' })
    expect(await dispatch('updates.status', null)).toMatchObject({ ok: true, value: { state: 'ready', version: '1.1.0', restartBlockedByPressureRoom: true } })
    expect(await dispatch('updates.restart', null)).toEqual({ ok: false, error: { code: 'CONFLICT', message: UPDATE_MESSAGES.pressureRoom } })
    expect(updater.calls.install).toBe(0)

    await c.services.pressureRoom.submit({ attemptId: attempt.attemptId, answers: {} })
    expect(await dispatch('updates.status', null)).toMatchObject({ ok: true, value: { restartBlockedByPressureRoom: false } })
    expect(await dispatch('updates.restart', null)).toEqual({ ok: true, value: { restarting: true } })
    expect(updater.calls.install).toBe(1)

    // An attempt left open (the window was closed mid-run) stops blocking once its time is up.
    const abandoned = await c.services.pressureRoom.start({ courseId: 'sql-fundamentals' })
    expect(await dispatch('updates.restart', null)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    clock.advance(abandoned.timeLimitSeconds + DEADLINE_GRACE_SECONDS + 1)
    expect(await dispatch('updates.restart', null)).toEqual({ ok: true, value: { restarting: true } })
    expect(updater.calls.install).toBe(2)
  })
})
