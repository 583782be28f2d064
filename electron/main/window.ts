/** The main window: sandboxed renderer, our preload, our page and nothing else; it remembers where it was. */
import { BrowserWindow, screen } from 'electron'
import type { RendererTarget } from './policy'
import { MIN_WINDOW_SIZE, restoreWindowPlacement, type Rect } from './window-state'
import { loadWindowState, saveWindowState } from './window-state-store'

export interface MainWindowOptions {
  preloadPath: string
  target: RendererTarget
  /** window-state.json: where the window was last time, updated as it moves. */
  stateFile: string
}

/** Moving or resizing fires many events; the file is written once things have settled. */
const SAVE_DELAY_MS = 500

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const primary = screen.getPrimaryDisplay()
  const others = screen.getAllDisplays().filter((display) => display.id !== primary.id)
  const workAreas: Rect[] = [primary, ...others].map((display) => display.workArea)
  const placement = restoreWindowPlacement(loadWindowState(options.stateFile), workAreas)

  const window = new BrowserWindow({
    title: 'Pathwise',
    x: placement.x,
    y: placement.y,
    width: placement.width,
    height: placement.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    backgroundColor: '#f7f7f5',
    autoHideMenuBar: true,
    // Every setting of the Electron security checklist is spelled out, so none rests on a default
    // that a future Electron might change.
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click is also refused by the window-open handler; without auxclick the page never sees it.
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      enableWebSQL: false,
      safeDialogs: true,
    },
  })

  if (placement.maximized) window.maximize()
  rememberPlacement(window, options.stateFile)
  window.once('ready-to-show', () => window.show())

  window.loadURL(options.target.url).catch((error: unknown) => {
    console.error('[pathwise] the window could not load its page:', error instanceof Error ? error.message : error)
    if (!window.isDestroyed()) window.show()
  })

  return window
}

function rememberPlacement(window: BrowserWindow, stateFile: string): void {
  let timer: NodeJS.Timeout | null = null
  const save = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (window.isDestroyed()) return
    // The normal bounds, so that a maximized window comes back maximized over its old place.
    const bounds = window.getNormalBounds()
    saveWindowState(stateFile, { ...bounds, maximized: window.isMaximized() }, (error) => {
      console.warn('[pathwise] could not save the window position:', error instanceof Error ? error.message : error)
    })
  }
  const later = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(save, SAVE_DELAY_MS)
  }
  window.on('resize', later)
  window.on('move', later)
  window.on('maximize', later)
  window.on('unmaximize', later)
  window.on('close', save)
}
