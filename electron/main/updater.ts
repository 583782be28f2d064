/**
 * electron-updater behind the core's UpdaterPort, and the wiring that forwards update status to the
 * window. All decisions (when to check, when a restart is allowed) are in electron/core/updates.
 *
 * main/index.ts:
 *   openCore({ …, updater: createUpdaterPort({ isPackaged: app.isPackaged }) })
 *   app.on('will-quit', wireAutoUpdates(core, (event, payload) => mainWindow?.webContents.send(event, payload)))
 */
import { app, net } from 'electron'
import log from 'electron-log/main'
// electron-updater is CommonJS and defines autoUpdater as a lazy getter, which Node's ES-module
// loader cannot see as a named export: take it from the module object.
import electronUpdater, { type CancellationToken, type ProgressInfo, type UpdateDownloadedEvent, type UpdateInfo } from 'electron-updater'
import type { Core } from '../core/core'
import { UPDATE_STATUS_EVENT } from '../core/contract/messages'
import type { UpdaterEvent, UpdaterPort } from '../core/updates/port'

/** The packaged app's updater; undefined in development, where there is no release to update from. */
export function createUpdaterPort(options: { isPackaged: boolean }): UpdaterPort | undefined {
  if (!options.isPackaged) return undefined
  const updater = electronUpdater.autoUpdater
  updater.logger = log
  // The controller starts downloads itself, so turning automatic updates off can stop one.
  updater.autoDownload = false
  // A downloaded update is installed on a normal quit too: no prompt ever interrupts the learner.
  updater.autoInstallOnAppQuit = true

  const listeners = new Set<(event: UpdaterEvent) => void>()
  const emit = (event: UpdaterEvent) => {
    for (const listener of listeners) listener(event)
  }
  updater.on('checking-for-update', () => emit({ type: 'checking' }))
  updater.on('update-available', (info: UpdateInfo) => emit({ type: 'available', version: info.version }))
  updater.on('update-not-available', () => emit({ type: 'not-available' }))
  updater.on('download-progress', (p: ProgressInfo) =>
    emit({ type: 'progress', percent: p.percent, bytesPerSecond: p.bytesPerSecond, transferred: p.transferred, total: p.total }),
  )
  updater.on('update-downloaded', (info: UpdateDownloadedEvent) => emit({ type: 'downloaded', version: info.version }))
  updater.on('error', (error: unknown) => emit({ type: 'error', message: error instanceof Error ? error.message : String(error) }))

  let download: CancellationToken | null = null
  return {
    currentVersion: app.getVersion(),
    async checkForUpdates() {
      // A failure is also emitted as an 'error' event, which the controller handles; the rejection adds nothing.
      const result = await updater.checkForUpdates().catch(() => undefined)
      // null: electron-updater considers itself inactive and emits nothing; the controller must not wait forever.
      if (result === null) emit({ type: 'error', message: 'The updater is not active in this copy of Pathwise.' })
    },
    async downloadUpdate() {
      download = new electronUpdater.CancellationToken()
      await updater.downloadUpdate(download).catch(() => undefined)
    },
    cancelDownload() {
      download?.cancel()
      download = null
    },
    quitAndInstall() {
      // Not silent (Windows shows the installer's progress), and start Pathwise again afterwards.
      updater.quitAndInstall(false, true)
    },
    isOnline: () => net.isOnline(),
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** Forwards every update status to the window and starts the automatic checks; returns the stop function. */
export function wireAutoUpdates(core: { updates: Pick<Core['updates'], 'subscribe' | 'start' | 'stop'> }, send: (event: string, payload: unknown) => void): () => void {
  const unsubscribe = core.updates.subscribe((status) => send(UPDATE_STATUS_EVENT, status))
  core.updates.start()
  return () => {
    unsubscribe()
    core.updates.stop()
  }
}
