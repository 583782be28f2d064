/** The main window: sandboxed renderer, our preload, our page and nothing else. */
import { BrowserWindow } from 'electron'
import { pathToFileURL } from 'node:url'
import type { RendererTarget } from './policy'

export interface MainWindowOptions {
  preloadPath: string
  target: RendererTarget
}

/** The URL the window's page is allowed to live at (used by the navigation guard). */
export function appUrlOf(target: RendererTarget): string {
  return target.kind === 'url' ? target.url : pathToFileURL(target.path).href
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Pathwise',
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 520,
    show: false,
    backgroundColor: '#f7f7f5',
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    },
  })

  window.once('ready-to-show', () => window.show())

  const load = options.target.kind === 'url' ? window.loadURL(options.target.url) : window.loadFile(options.target.path)
  load.catch((error: unknown) => {
    console.error('[pathwise] the window could not load its page:', error instanceof Error ? error.message : error)
    if (!window.isDestroyed()) window.show()
  })

  return window
}
