/**
 * Electron main process: a thin shell around the core. It picks the data folder, holds the
 * single-instance lock, opens the core, creates the window and closes the core on quit.
 * All decisions are in ./policy; all learning logic is in electron/core.
 */
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openCore, type Core } from '../core/core'
import { createDispatch } from '../core/api/dispatch'
import { createHandlers } from '../core/api/handlers'
import { registerIpc, trustOwnWindow } from './ipc'
import { watchConnectivity } from './connectivity'
import { createSafeTokenStore } from './token-store'
import { SYNC_STATUS_EVENT } from '../core/contract/messages'
import { resolveDataDir, resolveRendererTarget, resolveResourceDirs, startupFailure, type RendererTarget } from './policy'
import { secureSession, secureWebContents } from './security'
import { appUrlOf, createMainWindow } from './window'

const PRELOAD_PATH = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
const RENDERER_FILE = fileURLToPath(new URL('../renderer/index.html', import.meta.url))

// The data folder must be settled before anything touches userData: the single-instance lock lives
// there too, so two test runs with different PATHWISE_DATA_DIR folders do not block each other.
const dataDir = resolveDataDir(process.env, app.getPath('userData'))
if (dataDir !== app.getPath('userData')) app.setPath('userData', dataDir)

if (process.platform === 'win32') app.setAppUserModelId('app.pathwise.desktop')

if (app.requestSingleInstanceLock()) {
  void start()
} else {
  // Another Pathwise is running on this data folder; it is told to come to the front.
  app.quit()
}

async function start(): Promise<void> {
  let core: Core | null = null
  let mainWindow: BrowserWindow | null = null
  const target: RendererTarget = resolveRendererTarget({
    isPackaged: app.isPackaged,
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    rendererFile: RENDERER_FILE,
  })
  const appUrl = appUrlOf(target)

  app.on('web-contents-created', (_event, contents) => secureWebContents(contents, () => appUrl))

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  app.on('will-quit', () => {
    core?.close()
    core = null
  })

  // Open the database while Electron gets ready; a failure is reported once a dialog can be shown.
  const { coursesDir, migrationsDir } = resolveResourceDirs({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
  })
  const syncUrl = process.env.PATHWISE_SYNC_URL
  const opening = openCore({
    dataDir,
    coursesDir,
    migrationsDir,
    sync: syncUrl ? { serverUrl: syncUrl, tokens: createSafeTokenStore(join(dataDir, 'session-token.bin')) } : undefined,
  }).then(
    (opened) => ({ ok: true as const, core: opened }),
    (error: unknown) => ({ ok: false as const, error }),
  )
  await app.whenReady()
  const opened = await opening
  if (!opened.ok) {
    // The database file is left exactly as it is (DB_CORRUPT / DB_TOO_NEW say so in their message).
    const failure = startupFailure(opened.error)
    console.error('[pathwise] start-up failed:', opened.error)
    dialog.showErrorBox(failure.title, failure.message)
    app.exit(1)
    return
  }
  const ready = opened.core
  core = ready

  secureSession(session.defaultSession, { csp: target.kind === 'file' })
  if (ready.sync) {
    const stopWatching = watchConnectivity(ready.sync)
    ready.sync.subscribe((status) => mainWindow?.webContents.send(SYNC_STATUS_EVENT, status))
    ready.sync.start()
    app.on('will-quit', stopWatching)
  }
  registerIpc(ipcMain, createDispatch(createHandlers(() => ready.services)), trustOwnWindow(() => mainWindow?.webContents.id ?? null, appUrl))

  const openWindow = () => {
    mainWindow = createMainWindow({ preloadPath: PRELOAD_PATH, target })
    mainWindow.on('closed', () => {
      mainWindow = null
    })
  }
  openWindow()

  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open brings one back.
    if (BrowserWindow.getAllWindows().length === 0) openWindow()
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
