/**
 * The app's own updates, as a small state machine over an UpdaterPort: check at start and every few
 * hours while automatic updates are on and the computer is online, download in the background, then
 * wait for the learner to restart. It never restarts by itself and refuses to while a Pressure Room
 * attempt is open (the attempt is timed: a restart would cost the learner their run). A downloaded
 * update is also installed on a normal quit (electron-updater's autoInstallOnAppQuit).
 *
 * Without a port (development builds, the loopback host, tests) it only reports 'unsupported'.
 */
import { systemClock, type Clock } from '../clock'
import type { UpdateStatusView } from '../contract/types'
import { Conflict, Unavailable } from '../errors'
import type { UpdaterEvent, UpdaterPort } from './port'

export interface UpdateTimings {
  /** First check after start, so it does not compete with opening the window and the first sync. */
  startDelayMs: number
  /** Check this often while automatic updates are on. */
  intervalMs: number
  /** While offline, look at the connection again this often; the check happens once it is back. */
  offlineRetryMs: number
  /** After a failed check or download, try again this much later (sooner than the next regular check). */
  errorRetryMs: number
}

export const DEFAULT_UPDATE_TIMINGS: UpdateTimings = {
  startDelayMs: 10_000,
  intervalMs: 4 * 60 * 60_000,
  offlineRetryMs: 60_000,
  errorRetryMs: 30 * 60_000,
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export interface UpdateControllerDeps {
  /** Undefined when this copy cannot update itself. */
  port: UpdaterPort | undefined
  /** The learner's "Install updates automatically" setting at start. */
  enabled: boolean
  /** Whether a Pressure Room attempt is open right now (restarting would end it). */
  isPressureRoomOpen(): Promise<boolean>
  clock?: Clock
  timers?: Timers
  timings?: Partial<UpdateTimings>
  /** Where the updater's raw error messages go (the learner sees them in words). */
  log?: (message: string) => void
}

export const UPDATE_MESSAGES = {
  unsupported: 'Updates are installed by the packaged app only. This copy (a development or test build) does not check for them.',
  disabled: 'Automatic updates are off. Use "Check for updates" to look for a new version.',
  offline: "You're offline. Connect to the internet, then check again.",
  pressureRoom:
    'Finish your Pressure Room first: restarting now would end your attempt. The update will also be installed the next time you quit Pathwise.',
  notReady: 'There is no downloaded update to install yet.',
  retrying: 'Pathwise will try again later.',
} as const

/** An updater error (electron-updater's messages are technical) in words a learner can act on. */
export function describeUpdateError(raw: string): string {
  if (/ENOSPC|no space left/i.test(raw)) return "There isn't enough free disk space to download the update."
  if (/EACCES|EPERM|permission denied|operation not permitted/i.test(raw)) return "Pathwise doesn't have permission to update itself in the folder it is installed in."
  if (/checksum|sha512|signature|not signed|verif/i.test(raw)) return 'The downloaded update could not be verified, so it was not installed.'
  if (/\b404\b|latest[\w-]*\.yml|cannot find channel|no published versions|unable to find latest version/i.test(raw)) return 'The update server has no update information for this version yet.'
  if (/net::ERR_|ENOTFOUND|EAI_AGAIN|ECONN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|socket hang up|timed? ?out|\b5\d\d\b/i.test(raw)) {
    return "Couldn't reach the update server."
  }
  return 'The update could not be checked or downloaded.'
}

const clampPercent = (p: number) => (Number.isFinite(p) ? Math.max(0, Math.min(100, p)) : 0)

export function createUpdateController(deps: UpdateControllerDeps) {
  const { port } = deps
  const clock = deps.clock ?? systemClock
  const timers = deps.timers ?? systemTimers
  const timings = { ...DEFAULT_UPDATE_TIMINGS, ...deps.timings }
  const listeners = new Set<(status: UpdateStatusView) => void>()
  let enabled = deps.enabled
  let started = false
  let timer: unknown = null
  /** A check or download this controller started and still cares about; turning updates off drops it. */
  let active = false
  let lastCheckedAt: number | undefined

  const base = (): Omit<UpdateStatusView, 'state'> => ({
    ...(port ? { currentVersion: port.currentVersion } : {}),
    ...(lastCheckedAt !== undefined ? { lastCheckedAt } : {}),
  })
  const resting = (): UpdateStatusView =>
    !port ? { state: 'unsupported', message: UPDATE_MESSAGES.unsupported } : enabled ? { ...base(), state: 'idle' } : { ...base(), state: 'disabled', message: UPDATE_MESSAGES.disabled }

  let status: UpdateStatusView = resting()

  function set(next: UpdateStatusView): void {
    status = next
    for (const listener of listeners) listener(status)
  }

  const automatic = () => port !== undefined && enabled && started

  function cancelTimer(): void {
    if (timer !== null) timers.clearTimeout(timer)
    timer = null
  }

  function schedule(ms: number): void {
    cancelTimer()
    if (!automatic()) return
    timer = timers.setTimeout(() => {
      timer = null
      void tick()
    }, ms)
  }

  async function tick(): Promise<void> {
    if (!port || !automatic()) return
    // Nothing more to fetch until the learner restarts (or quits, which installs it).
    if (status.state === 'ready') return
    if (active) return schedule(timings.intervalMs)
    if (!port.isOnline()) return schedule(timings.offlineRetryMs)
    schedule(timings.intervalMs)
    await runCheck(port)
  }

  function fail(raw: string): void {
    if (!active) return
    active = false
    deps.log?.(`[pathwise] update failed: ${raw}`)
    const retry = automatic() ? ` ${UPDATE_MESSAGES.retrying}` : ''
    set({ ...base(), state: 'error', message: `${describeUpdateError(raw)}${retry}` })
    if (automatic()) schedule(timings.errorRetryMs)
  }

  const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

  async function runCheck(p: UpdaterPort): Promise<void> {
    active = true
    set({ ...base(), state: 'checking' })
    try {
      await p.checkForUpdates()
    } catch (error) {
      fail(messageOf(error))
    }
  }

  /** Whether restarting now would end an open Pressure Room attempt; shown on the 'ready' status. */
  async function refreshRestartBlock(): Promise<boolean> {
    if (status.state !== 'ready') return false
    const blocked = await deps.isPressureRoomOpen()
    if (status.state === 'ready' && Boolean(status.restartBlockedByPressureRoom) !== blocked) set({ ...status, restartBlockedByPressureRoom: blocked })
    return blocked
  }

  function onEvent(event: UpdaterEvent): void {
    if (!port) return
    switch (event.type) {
      case 'checking':
        if (active && status.state !== 'checking') set({ ...base(), state: 'checking' })
        return
      case 'not-available':
        lastCheckedAt = clock.now()
        if (!active) return
        active = false
        set({ ...base(), state: 'up-to-date' })
        return
      case 'available':
        lastCheckedAt = clock.now()
        if (!active) return
        set({ ...base(), state: 'downloading', version: event.version, percent: 0 })
        port.downloadUpdate().catch((error: unknown) => fail(messageOf(error)))
        return
      case 'progress':
        if (!active) return
        set({ ...base(), state: 'downloading', ...(status.version ? { version: status.version } : {}), percent: clampPercent(event.percent) })
        return
      case 'downloaded':
        // Accepted even when dropped: the file is on disk and will be installed on quit, so say so.
        active = false
        cancelTimer()
        set({ ...base(), state: 'ready', version: event.version, percent: 100 })
        void refreshRestartBlock().catch((error: unknown) => deps.log?.(`[pathwise] could not check for an open Pressure Room: ${messageOf(error)}`))
        return
      case 'error':
        fail(event.message)
        return
    }
  }

  port?.onEvent(onEvent)

  return {
    status: (): UpdateStatusView => status,

    /** The status, with the Pressure Room check made fresh (an attempt may have started or ended since). */
    async currentStatus(): Promise<UpdateStatusView> {
      await refreshRestartBlock()
      return status
    },

    subscribe(listener: (status: UpdateStatusView) => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    /** Starts the automatic checks (a first one shortly, then every few hours). */
    start(): void {
      started = true
      if (status.state !== 'ready') schedule(timings.startDelayMs)
    },

    stop(): void {
      started = false
      cancelTimer()
    },

    /** Turning automatic updates off stops the timer, drops a check in flight and cancels a download. */
    setEnabled(on: boolean): void {
      if (on === enabled) return
      enabled = on
      if (!port) return
      if (!on) {
        cancelTimer()
        if (active) {
          active = false
          port.cancelDownload()
        }
        if (status.state !== 'ready') set(resting())
        return
      }
      if (status.state === 'disabled') set(resting())
      if (status.state !== 'ready') schedule(timings.startDelayMs)
    },

    /** "Check for updates": works with automatic updates off too (the learner asked for it). */
    async check(): Promise<UpdateStatusView> {
      if (!port || active || status.state === 'ready') return status
      if (!port.isOnline()) {
        set({ ...base(), state: 'error', message: UPDATE_MESSAGES.offline })
        if (automatic()) schedule(timings.offlineRetryMs)
        return status
      }
      // A check now stands in for the next regular one.
      if (automatic()) schedule(timings.intervalMs)
      await runCheck(port)
      return status
    },

    /** "Restart to update". Refused while a Pressure Room attempt is open, or when nothing is ready. */
    async restart(): Promise<void> {
      if (!port) throw new Unavailable(UPDATE_MESSAGES.unsupported)
      if (status.state !== 'ready') throw new Conflict(UPDATE_MESSAGES.notReady)
      if (await refreshRestartBlock()) throw new Conflict(UPDATE_MESSAGES.pressureRoom)
      port.quitAndInstall()
    },
  }
}

export type UpdateController = ReturnType<typeof createUpdateController>
