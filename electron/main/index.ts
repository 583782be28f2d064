/**
 * Electron main process: a thin shell around the core. It picks the data folder, holds the
 * single-instance lock, opens the core, serves the renderer on app://, creates the window and the
 * menu, takes sign-in links, and closes the core on quit.
 * All decisions are in pure modules beside this one (policy, deep-link, renderer-files, window-state,
 * menu-template); all learning logic is in electron/core.
 */
import { app, BrowserWindow, dialog, ipcMain, session, type WebContents } from 'electron'
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AppError } from '../core/errors'
import { startCoreWorker, type CoreWorker } from '../core/worker/client'
import { DEEP_LINK_EVENT, SYNC_STATUS_EVENT } from '../core/contract/messages'
import { registerAppImageDesktopEntry } from './appimage-desktop'
import { registerAppScheme, serveRenderer } from './app-protocol'
import { watchConnectivity } from './connectivity'
import { answerDeepLink, createDeepLinkInbox, deepLinkFromArgv, parseDeepLink, protocolToRegister, type DeepLink, type DeepLinkInbox, type LinkCore } from './deep-link'
import { registerIpc, trustOwnWindow } from './ipc'
import { setUpLogging } from './logging'
import { installAppMenu } from './menu'
import { appUrlOf, resolveDataDir, resolveRendererTarget, resolveResourceDirs, resolveSyncServerUrl, startupFailure } from './policy'
import { secureSession, secureWebContents } from './security'
import { createSafeTokenStore } from './token-store'
import { createUpdaterPort, wireAutoUpdates } from './updater'
import { createSaveDialogPort } from './save-dialog'
import { createMainWindow } from './window'
import { windowStateFile } from './window-state-store'

const PRELOAD_PATH = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
// The core's worker thread, built beside this file (electron.vite.config.ts).
const CORE_WORKER = new URL('./core-worker.js', import.meta.url)
const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url))

// The data folder must be settled before anything touches userData: the single-instance lock lives
// there too, so two test runs with different PATHWISE_DATA_DIR folders do not block each other, and a
// development build does not block (or migrate the database of) the installed app.
const dataDir = resolveDataDir({ env: process.env, userDataDir: app.getPath('userData'), isPackaged: app.isPackaged })
if (dataDir !== app.getPath('userData')) app.setPath('userData', dataDir)

if (process.platform === 'win32') app.setAppUserModelId('app.pathwise.desktop')

/** Shows the main window; does nothing until the window exists (it then shows itself). */
let bringToFront: () => void = () => undefined

if (app.requestSingleInstanceLock()) {
  main()
} else {
  // Another Pathwise runs on this data folder: it gets our command line (with a sign-in link, if one
  // started us) through 'second-instance' and comes to the front.
  app.quit()
}

/** Everything that must happen before the app is ready, then the asynchronous start. */
function main(): void {
  setUpLogging({ dataDir, isDev: !app.isPackaged })
  console.info(`[pathwise] starting ${app.getVersion()}`)
  registerAppScheme()
  const scheme = protocolToRegister({ isPackaged: app.isPackaged })
  if (scheme) app.setAsDefaultProtocolClient(scheme)
  // An AppImage has no installed .desktop file for the line above to name: it writes its own and
  // registers it (after Electron's call, which would otherwise point the scheme at pathwise.desktop).
  void registerAppImageDesktopEntry({ platform: process.platform, isPackaged: app.isPackaged, env: process.env, homeDir: homedir(), version: app.getVersion(), log: console })

  const links = createDeepLinkInbox((error) => console.error('[pathwise] a sign-in link could not be handled:', error))
  const receiveLink = (raw: string) => {
    const link = parseDeepLink(raw)
    // Never the link itself: it carries the learner's address and a sign-in code.
    console.info(`[pathwise] a pathwise: link arrived: ${link ? 'a valid sign-in link' : 'refused'}`)
    if (link) links.push(link)
  }
  // macOS hands links over as open-url, the one that launches the app even before 'ready'.
  app.on('open-url', (event, url) => {
    event.preventDefault()
    receiveLink(url)
  })
  // Linux and Windows start a second process with the link; it hands its command line over and quits.
  // Listened for at once: a link may come while the core is still opening.
  app.on('second-instance', (_event, argv) => {
    bringToFront()
    const raw = deepLinkFromArgv(argv)
    if (raw) receiveLink(raw)
  })
  const launchLink = deepLinkFromArgv(process.argv)
  if (launchLink) receiveLink(launchLink)

  void start(links)
}

async function start(links: DeepLinkInbox): Promise<void> {
  let core: CoreWorker | null = null
  let mainWindow: BrowserWindow | null = null
  const target = resolveRendererTarget({
    isPackaged: app.isPackaged,
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    rendererDir: RENDERER_DIR,
  })
  const appUrl = appUrlOf(target)

  app.on('web-contents-created', (_event, contents) => secureWebContents(contents, () => appUrl))

  // The core closes on its own thread (a running sync finishes first): the quit waits for it, once.
  app.on('will-quit', (event) => {
    const closing = core
    if (!closing) return
    core = null
    event.preventDefault()
    void closing.close().finally(() => app.quit())
  })

  // Open the database while Electron gets ready; a failure is reported once a dialog can be shown.
  const { coursesDir, migrationsDir } = resolveResourceDirs({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
  })
  const sync = resolveSyncServerUrl(process.env, __PATHWISE_DEFAULT_SYNC_URL__)
  if (sync.problem) console.warn(`[pathwise] ${sync.problem}`)
  const syncUrl = sync.url
  const opening = startCoreWorker({
    entry: CORE_WORKER,
    dataDir,
    coursesDir,
    migrationsDir,
    sync: syncUrl ? { serverUrl: syncUrl, tokens: createSafeTokenStore(join(dataDir, 'session-token.bin')) } : undefined,
    updater: createUpdaterPort({ isPackaged: app.isPackaged }),
    saveDialog: createSaveDialogPort(() => mainWindow),
  }).then(
    (opened) => ({ ok: true as const, core: opened }),
    (error: unknown) => ({ ok: false as const, error }),
  )
  await app.whenReady()
  const opened = await opening
  if (!opened.ok) {
    // The database file is left exactly as it is (DB_CORRUPT / DB_TOO_NEW / DB_READ_ONLY say so in their message).
    const failure = startupFailure(opened.error)
    console.error('[pathwise] start-up failed:', opened.error)
    dialog.showErrorBox(failure.title, failure.message)
    app.exit(1)
    return
  }
  const ready = opened.core
  core = ready

  secureSession(session.defaultSession)
  if (target.kind === 'app') serveRenderer(target.rootDir)
  installAppMenu({ dataDir, homepage: packageHomepage() })

  const send = (event: string, payload: unknown) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(event, payload)
  }
  if (ready.syncs) {
    const stopWatching = watchConnectivity({ notifyOnline: () => ready.control('sync.notifyOnline') })
    ready.on('sync.status', (status) => send(SYNC_STATUS_EVENT, status))
    ready.control('sync.start')
    app.on('will-quit', stopWatching)
  }
  // Every renderer call is relayed to the worker, whose dispatch checks channel and payload.
  registerIpc(ipcMain, ready.dispatch, trustOwnWindow(() => mainWindow?.webContents.id ?? null, appUrl))

  const openWindow = (): BrowserWindow => {
    const window = createMainWindow({ preloadPath: PRELOAD_PATH, target, stateFile: windowStateFile(dataDir) })
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null
    })
    mainWindow = window
    return window
  }
  /** The window, created if it was closed (macOS), restored and in front. */
  const showWindow = (): BrowserWindow => {
    const window = mainWindow && !mainWindow.isDestroyed() ? mainWindow : openWindow()
    if (window.isMinimized()) window.restore()
    // A window still loading its page shows itself (and takes focus) once it is ready to be seen.
    if (!window.webContents.isLoading()) {
      window.show()
      window.focus()
    }
    return window
  }
  openWindow()

  bringToFront = showWindow

  links.open(async (link: DeepLink) => {
    const window = showWindow()
    const outcome = await answerDeepLink(linkCoreOf(ready), link)
    console.info(`[pathwise] sign-in link ${outcome.ok ? 'accepted' : 'not accepted'}`)
    if (!window.isDestroyed()) sendWhenLoaded(window.webContents, DEEP_LINK_EVENT, outcome)
  })

  // The worker's core stops its update checks when it closes; main only stops listening.
  const updates = { subscribe: ready.on.bind(ready, 'updates.status'), start: () => ready.control('updates.start'), stop: () => undefined }
  app.on('will-quit', wireAutoUpdates({ updates }, send))

  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open brings one back.
    if (BrowserWindow.getAllWindows().length === 0) openWindow()
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}

/** answerDeepLink's view of the core, over the worker: a refused link throws its typed error, as the service does. */
function linkCoreOf(core: CoreWorker): LinkCore {
  return {
    sync: core.syncs ? true : null,
    services: {
      account: {
        async verifyLink(input) {
          const result = await core.verifyLink(input)
          if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.fields)
          return result.value
        },
      },
    },
  }
}

/** A message sent while the page is still loading would reach no listener: wait for the load. */
function sendWhenLoaded(contents: WebContents, channel: string, payload: unknown): void {
  if (contents.isLoading()) contents.once('did-finish-load', () => contents.send(channel, payload))
  else contents.send(channel, payload)
}

/** package.json "homepage", if the app has one (the Help menu links to it). */
function packageHomepage(): string | null {
  try {
    const pkg = JSON.parse(readFileSync(join(app.getAppPath(), 'package.json'), 'utf8')) as { homepage?: unknown }
    return typeof pkg.homepage === 'string' ? pkg.homepage : null
  } catch {
    return null
  }
}
