import { describe, expect, it } from 'vitest'
import type { UpdateStatusView } from '../../electron/core/contract/types'
import { createUpdateController, DEFAULT_UPDATE_TIMINGS, describeUpdateError, UPDATE_MESSAGES, type UpdateControllerDeps } from '../../electron/core/updates/controller'
import { expectAppError } from '../helpers/errors'
import { fakeTimers, fakeUpdater, settle } from '../helpers/updater'

const { startDelayMs, intervalMs, offlineRetryMs, errorRetryMs } = DEFAULT_UPDATE_TIMINGS
const HOUR = 3_600_000

function setup(options: { enabled?: boolean; online?: boolean; packaged?: boolean; pressureRoomOpen?: boolean } = {}) {
  const updater = fakeUpdater({ online: options.online ?? true })
  const time = fakeTimers()
  const room = { open: options.pressureRoomOpen ?? false }
  const logged: string[] = []
  const deps: UpdateControllerDeps = {
    port: options.packaged === false ? undefined : updater.port,
    enabled: options.enabled ?? true,
    isPressureRoomOpen: async () => room.open,
    clock: time.clock,
    timers: time.timers,
    log: (m) => logged.push(m),
  }
  const controller = createUpdateController(deps)
  const seen: UpdateStatusView[] = []
  controller.subscribe((s) => seen.push(s))
  return { controller, updater, time, room, seen, logged }
}

/** Starts the controller and lets the first check happen. */
async function startAndCheck(t: ReturnType<typeof setup>) {
  t.controller.start()
  await t.time.advance(startDelayMs)
  expect(t.updater.calls.check).toBe(1)
  expect(t.controller.status().state).toBe('checking')
}

/** From a running check to a downloaded update. */
async function downloadVersion(t: ReturnType<typeof setup>, version = '1.1.0') {
  t.updater.emit({ type: 'available', version })
  await settle()
  t.updater.emit({ type: 'downloaded', version })
  await settle()
}

describe('update controller', () => {
  it('in a development build (no updater) it says so, never checks and refuses to restart', async () => {
    const t = setup({ packaged: false })
    t.controller.start()
    await t.time.advance(24 * HOUR)
    expect(t.controller.status()).toEqual({ state: 'unsupported', message: UPDATE_MESSAGES.unsupported })
    expect(t.time.nextIn()).toBeNull()
    expect((await t.controller.check()).state).toBe('unsupported')
    t.controller.setEnabled(false)
    t.controller.setEnabled(true)
    expect(t.controller.status().state).toBe('unsupported')
    await expectAppError(t.controller.restart(), 'UNAVAILABLE')
    expect(t.updater.calls).toEqual({ check: 0, download: 0, cancel: 0, install: 0 })
  })

  it('checks shortly after start, then every interval, while enabled and online', async () => {
    const t = setup()
    expect(t.controller.status()).toEqual({ state: 'idle', currentVersion: '1.0.0' })
    t.controller.start()
    await t.time.advance(startDelayMs - 1)
    expect(t.updater.calls.check).toBe(0)
    await t.time.advance(1)
    expect(t.updater.calls.check).toBe(1)
    t.updater.emit({ type: 'not-available' })
    expect(t.controller.status()).toEqual({ state: 'up-to-date', currentVersion: '1.0.0', lastCheckedAt: t.time.clock.now() })

    await t.time.advance(intervalMs - 1)
    expect(t.updater.calls.check).toBe(1)
    await t.time.advance(1)
    expect(t.updater.calls.check).toBe(2)
    t.updater.emit({ type: 'not-available' })
    await t.time.advance(intervalMs)
    expect(t.updater.calls.check).toBe(3)
    expect(intervalMs).toBe(4 * HOUR)
  })

  it('never checks by itself while automatic updates are off', async () => {
    const t = setup({ enabled: false })
    t.controller.start()
    await t.time.advance(48 * HOUR)
    expect(t.updater.calls.check).toBe(0)
    expect(t.controller.status()).toMatchObject({ state: 'disabled', message: UPDATE_MESSAGES.disabled })
    expect(t.time.nextIn()).toBeNull()
  })

  it('turning updates off stops the timer; turning them on checks again soon', async () => {
    const t = setup()
    t.controller.start()
    expect(t.time.nextIn()).toBe(startDelayMs)
    t.controller.setEnabled(false)
    expect(t.time.nextIn()).toBeNull()
    expect(t.controller.status().state).toBe('disabled')
    await t.time.advance(48 * HOUR)
    expect(t.updater.calls.check).toBe(0)

    t.controller.setEnabled(true)
    expect(t.controller.status().state).toBe('idle')
    await t.time.advance(startDelayMs)
    expect(t.updater.calls.check).toBe(1)
  })

  it('turning updates off during a download cancels it and ignores what the updater says afterwards', async () => {
    const t = setup()
    await startAndCheck(t)
    t.updater.emit({ type: 'available', version: '1.1.0' })
    await settle()
    expect(t.updater.calls.download).toBe(1)
    t.controller.setEnabled(false)
    expect(t.updater.calls.cancel).toBe(1)
    expect(t.controller.status().state).toBe('disabled')
    t.updater.emit({ type: 'progress', percent: 50, bytesPerSecond: 1, transferred: 1, total: 2 })
    t.updater.emit({ type: 'error', message: 'cancelled' })
    expect(t.controller.status().state).toBe('disabled')
    expect(t.time.nextIn()).toBeNull()
  })

  it('while offline it waits for the connection and checks once it is back', async () => {
    const t = setup({ online: false })
    t.controller.start()
    await t.time.advance(startDelayMs)
    expect(t.updater.calls.check).toBe(0)
    expect(t.time.nextIn()).toBe(offlineRetryMs)
    await t.time.advance(offlineRetryMs * 5)
    expect(t.updater.calls.check).toBe(0)
    t.updater.state.online = true
    await t.time.advance(offlineRetryMs)
    expect(t.updater.calls.check).toBe(1)
  })

  it('downloads in the background with its progress, then is ready to install', async () => {
    const t = setup()
    await startAndCheck(t)
    t.updater.emit({ type: 'available', version: '1.1.0' })
    await settle()
    expect(t.updater.calls.download).toBe(1)
    expect(t.controller.status()).toMatchObject({ state: 'downloading', version: '1.1.0', percent: 0 })
    t.updater.emit({ type: 'progress', percent: 42.5, bytesPerSecond: 1000, transferred: 425, total: 1000 })
    expect(t.controller.status()).toMatchObject({ state: 'downloading', version: '1.1.0', percent: 42.5 })
    t.updater.emit({ type: 'progress', percent: 140, bytesPerSecond: 1000, transferred: 1400, total: 1000 })
    expect(t.controller.status().percent).toBe(100)
    t.updater.emit({ type: 'downloaded', version: '1.1.0' })
    await settle()
    expect(t.controller.status()).toMatchObject({ state: 'ready', version: '1.1.0', percent: 100 })
    expect(t.controller.status().restartBlockedByPressureRoom).toBeFalsy()
    expect(t.seen.map((s) => s.state)).toEqual(['checking', 'downloading', 'downloading', 'downloading', 'ready'])
    // Nothing more to fetch: no further checks until the learner restarts.
    await t.time.advance(24 * HOUR)
    expect(t.updater.calls.check).toBe(1)
    expect(t.updater.calls.install).toBe(0)
  })

  it('restarts to install only when no Pressure Room attempt is open', async () => {
    const t = setup({ pressureRoomOpen: true })
    await startAndCheck(t)
    await downloadVersion(t)
    expect(t.controller.status()).toMatchObject({ state: 'ready', restartBlockedByPressureRoom: true })

    const refused = await expectAppError(t.controller.restart(), 'CONFLICT')
    expect(refused.message).toBe(UPDATE_MESSAGES.pressureRoom)
    expect(t.updater.calls.install).toBe(0)

    t.room.open = false
    expect((await t.controller.currentStatus()).restartBlockedByPressureRoom).toBe(false)
    await t.controller.restart()
    expect(t.updater.calls.install).toBe(1)
  })

  it('refuses to restart before an update is ready', async () => {
    const t = setup()
    await expectAppError(t.controller.restart(), 'CONFLICT')
    await startAndCheck(t)
    t.updater.emit({ type: 'available', version: '1.1.0' })
    await expectAppError(t.controller.restart(), 'CONFLICT')
    expect(t.updater.calls.install).toBe(0)
  })

  it('an error becomes words for the learner, and a retry sooner than the next regular check', async () => {
    const t = setup()
    await startAndCheck(t)
    t.updater.emit({ type: 'error', message: 'net::ERR_INTERNET_DISCONNECTED at SimpleURLLoaderWrapper.<anonymous>' })
    expect(t.controller.status()).toMatchObject({ state: 'error', message: "Couldn't reach the update server. Pathwise will try again later." })
    expect(t.logged.join()).toMatch(/ERR_INTERNET_DISCONNECTED/)
    expect(t.time.nextIn()).toBe(errorRetryMs)
    await t.time.advance(errorRetryMs)
    expect(t.updater.calls.check).toBe(2)
    t.updater.emit({ type: 'not-available' })
    expect(t.controller.status().state).toBe('up-to-date')
    expect(t.time.nextIn()).toBe(intervalMs)
  })

  it('a failed download is an error too, and a check that rejects is handled once', async () => {
    const t = setup()
    t.updater.state.checkError = new Error('HttpError: 404 Not Found "method: GET url: https://example.org/latest-linux.yml"')
    t.controller.start()
    await t.time.advance(startDelayMs)
    expect(t.updater.calls.check).toBe(1)
    expect(t.controller.status()).toMatchObject({ state: 'error', message: 'The update server has no update information for this version yet. Pathwise will try again later.' })
    // electron-updater also emits the same failure as an event: still one error, one retry.
    t.updater.emit({ type: 'error', message: 'HttpError: 404' })
    expect(t.seen.filter((s) => s.state === 'error')).toHaveLength(1)
    expect(t.time.nextIn()).toBe(errorRetryMs)

    t.updater.state.checkError = null
    await t.time.advance(errorRetryMs)
    t.updater.emit({ type: 'available', version: '2.0.0' })
    await settle()
    t.updater.emit({ type: 'error', message: 'sha512 checksum mismatch, expected abc, got def' })
    expect(t.controller.status()).toMatchObject({ state: 'error', message: 'The downloaded update could not be verified, so it was not installed. Pathwise will try again later.' })
  })

  it('"Check for updates" works with automatic updates off, and says when the computer is offline', async () => {
    const t = setup({ enabled: false, online: false })
    t.controller.start()
    expect((await t.controller.check()).state).toBe('error')
    expect(t.controller.status().message).toBe(UPDATE_MESSAGES.offline)
    expect(t.updater.calls.check).toBe(0)

    t.updater.state.online = true
    const checking = t.controller.check()
    t.updater.emit({ type: 'not-available' })
    expect((await checking).state).toBe('up-to-date')
    expect(t.updater.calls.check).toBe(1)
    // Still no automatic checks afterwards, and no retry after an error either.
    await t.time.advance(48 * HOUR)
    expect(t.updater.calls.check).toBe(1)
    await t.controller.check()
    t.updater.emit({ type: 'error', message: 'boom' })
    expect(t.controller.status()).toMatchObject({ state: 'error', message: 'The update could not be checked or downloaded.' })
    expect(t.time.nextIn()).toBeNull()
  })

  it('a manual check stands in for the next regular one, and is ignored while one is running', async () => {
    const t = setup()
    t.controller.start()
    await t.time.advance(2 * HOUR)
    t.updater.emit({ type: 'not-available' })
    await t.controller.check()
    expect(t.updater.calls.check).toBe(2)
    await t.controller.check()
    expect(t.updater.calls.check).toBe(2)
    t.updater.emit({ type: 'not-available' })
    expect(t.time.nextIn()).toBe(intervalMs)
  })

  it('stop() ends the automatic checks', async () => {
    const t = setup()
    t.controller.start()
    t.controller.stop()
    await t.time.advance(48 * HOUR)
    expect(t.updater.calls.check).toBe(0)
  })
})

describe('describeUpdateError', () => {
  it.each([
    ['net::ERR_NAME_NOT_RESOLVED', "Couldn't reach the update server."],
    ['getaddrinfo ENOTFOUND github.com', "Couldn't reach the update server."],
    ['HttpError: 503 Service Unavailable', "Couldn't reach the update server."],
    ['Cannot find channel "latest.yml" update info: HttpError: 404', 'The update server has no update information for this version yet.'],
    ['New version 1.2.0 is not signed by the application owner', 'The downloaded update could not be verified, so it was not installed.'],
    ['ENOSPC: no space left on device, write', "There isn't enough free disk space to download the update."],
    ["EACCES: permission denied, open '/opt/Pathwise/x'", "Pathwise doesn't have permission to update itself in the folder it is installed in."],
    ['something odd', 'The update could not be checked or downloaded.'],
  ])('%s', (raw, words) => {
    expect(describeUpdateError(raw)).toBe(words)
  })
})
