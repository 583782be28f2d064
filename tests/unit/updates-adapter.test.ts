/**
 * electron/main/updater.ts with electron, electron-log and electron-updater replaced by fakes (the real
 * modules are never loaded: requiring electron outside Electron would try to download its binary).
 */
import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { UpdaterEvent } from '../../electron/core/updates/port'

const fake = vi.hoisted(() => ({ online: true, updater: null as unknown as FakeAutoUpdater, cancelled: 0 }))

interface FakeAutoUpdater extends EventEmitter {
  logger: unknown
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  checkResult: unknown
  checkForUpdates: ReturnType<typeof vi.fn>
  downloadUpdate: ReturnType<typeof vi.fn>
  quitAndInstall: ReturnType<typeof vi.fn>
}

vi.mock('electron', () => ({ app: { getVersion: () => '1.0.0' }, net: { isOnline: () => fake.online } }))
vi.mock('electron-log/main', () => ({ default: { info: () => undefined, warn: () => undefined, error: () => undefined } }))
vi.mock('electron-updater', () => ({
  default: {
    get autoUpdater() {
      return fake.updater
    },
    CancellationToken: class {
      cancel() {
        fake.cancelled++
      }
    },
  },
}))

const { createUpdaterPort, wireAutoUpdates } = await import('../../electron/main/updater')
const { UPDATE_STATUS_EVENT } = await import('../../electron/core/contract/messages')

function newAutoUpdater(): FakeAutoUpdater {
  const emitter = new EventEmitter() as FakeAutoUpdater
  emitter.autoDownload = true
  emitter.autoInstallOnAppQuit = false
  emitter.checkResult = { isUpdateAvailable: false }
  emitter.checkForUpdates = vi.fn(async () => emitter.checkResult)
  emitter.downloadUpdate = vi.fn(async () => [])
  emitter.quitAndInstall = vi.fn()
  return emitter
}

beforeEach(() => {
  fake.updater = newAutoUpdater()
  fake.online = true
  fake.cancelled = 0
})

describe('the electron-updater adapter', () => {
  it('is not created in a development build', () => {
    expect(createUpdaterPort({ isPackaged: false })).toBeUndefined()
  })

  it('sets electron-updater up: logs to electron-log, downloads on request, installs on quit', () => {
    const port = createUpdaterPort({ isPackaged: true })
    expect(port?.currentVersion).toBe('1.0.0')
    expect(fake.updater.autoDownload).toBe(false)
    expect(fake.updater.autoInstallOnAppQuit).toBe(true)
    expect(fake.updater.logger).toBeTruthy()
  })

  it("turns electron-updater's events into the port's", () => {
    const port = createUpdaterPort({ isPackaged: true })
    const events: UpdaterEvent[] = []
    port?.onEvent((e) => events.push(e))
    const u = fake.updater
    u.emit('checking-for-update')
    u.emit('update-available', { version: '1.1.0' })
    u.emit('download-progress', { percent: 12.5, bytesPerSecond: 100, transferred: 125, total: 1000, delta: 1 })
    u.emit('update-downloaded', { version: '1.1.0', downloadedFile: '/tmp/x' })
    u.emit('update-not-available', { version: '1.0.0' })
    u.emit('error', new Error('net::ERR_FAILED'), 'details')
    expect(events).toEqual([
      { type: 'checking' },
      { type: 'available', version: '1.1.0' },
      { type: 'progress', percent: 12.5, bytesPerSecond: 100, transferred: 125, total: 1000 },
      { type: 'downloaded', version: '1.1.0' },
      { type: 'not-available' },
      { type: 'error', message: 'net::ERR_FAILED' },
    ])
  })

  it('never lets a rejected check or download escape (the error arrives as an event), and reports an inactive updater', async () => {
    const port = createUpdaterPort({ isPackaged: true })
    const events: UpdaterEvent[] = []
    port?.onEvent((e) => events.push(e))
    fake.updater.checkForUpdates.mockRejectedValueOnce(new Error('offline'))
    await expect(port?.checkForUpdates()).resolves.toBeUndefined()
    fake.updater.downloadUpdate.mockRejectedValueOnce(new Error('offline'))
    await expect(port?.downloadUpdate()).resolves.toBeUndefined()
    expect(events).toEqual([])
    fake.updater.checkResult = null
    await port?.checkForUpdates()
    expect(events).toEqual([{ type: 'error', message: expect.stringMatching(/not active/) }])
  })

  it('cancels the download in progress, restarts into the update and reads the connection', async () => {
    const port = createUpdaterPort({ isPackaged: true })
    await port?.downloadUpdate()
    port?.cancelDownload()
    port?.cancelDownload()
    expect(fake.cancelled).toBe(1)
    port?.quitAndInstall()
    expect(fake.updater.quitAndInstall).toHaveBeenCalledWith(false, true)
    fake.online = false
    expect(port?.isOnline()).toBe(false)
  })
})

describe('wireAutoUpdates', () => {
  it("forwards the core's update status to the window, starts the checks and stops them", () => {
    const subscribed: { listener?: (status: unknown) => void } = {}
    const calls: string[] = []
    const core = {
      updates: {
        subscribe(listener: (status: unknown) => void) {
          subscribed.listener = listener
          return () => {
            calls.push('unsubscribe')
            delete subscribed.listener
          }
        },
        start: () => calls.push('start'),
        stop: () => calls.push('stop'),
      },
    }
    const sent: [string, unknown][] = []
    const stop = wireAutoUpdates(core as unknown as Parameters<typeof wireAutoUpdates>[0], (event, payload) => sent.push([event, payload]))
    expect(calls).toEqual(['start'])
    subscribed.listener?.({ state: 'checking' })
    expect(sent).toEqual([[UPDATE_STATUS_EVENT, { state: 'checking' }]])
    stop()
    expect(calls).toEqual(['start', 'unsubscribe', 'stop'])
    expect(subscribed.listener).toBeUndefined()
  })
})
