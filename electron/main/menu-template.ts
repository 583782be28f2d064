/**
 * The application menu as plain data: which menus and items exist on which platform, in development
 * or in an installed app. ./menu turns it into Electron's Menu and binds the commands.
 *
 * This module must never import `electron`: it is unit-tested in plain Node
 * (tests/unit/shell-menu.test.ts).
 */

/** Electron's built-in menu roles this menu uses (./menu checks at compile time that each is one). */
export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'front'
  | 'window'
  | 'help'

/** What the app itself does for an item. */
export type MenuCommand = 'open-data-folder' | 'about' | 'homepage'

export type MenuItemSpec = { type: 'separator' } | { role: MenuRole } | { command: MenuCommand; label: string; accelerator?: string }

export interface MenuSpec {
  label: string
  /** Lets macOS put its own items into the Window and Help menus. */
  role?: 'window' | 'help'
  items: MenuItemSpec[]
}

export interface MenuOptions {
  platform: NodeJS.Platform
  /** Development (not packaged): reload and developer tools are offered. */
  isDev: boolean
  appName: string
  /** Whether there is a website to link to (package.json "homepage"). */
  hasHomepage: boolean
}

const separator: MenuItemSpec = { type: 'separator' }
const role = (name: MenuRole): MenuItemSpec => ({ role: name })

export function describeAppMenu(options: MenuOptions): MenuSpec[] {
  const mac = options.platform === 'darwin'
  const about: MenuItemSpec = { command: 'about', label: `About ${options.appName}` }
  const menus: MenuSpec[] = []

  if (mac) {
    menus.push({
      label: options.appName,
      items: [about, separator, role('services'), separator, role('hide'), role('hideOthers'), role('unhide'), separator, role('quit')],
    })
  }

  menus.push({
    label: 'File',
    items: [
      { command: 'open-data-folder', label: 'Open Data Folder', accelerator: 'CmdOrCtrl+Shift+D' },
      separator,
      // On macOS quitting lives in the app menu; File closes the window.
      mac ? role('close') : role('quit'),
    ],
  })

  menus.push({
    label: 'Edit',
    items: [
      role('undo'),
      role('redo'),
      separator,
      role('cut'),
      role('copy'),
      role('paste'),
      ...(mac ? [role('pasteAndMatchStyle')] : []),
      role('delete'),
      separator,
      role('selectAll'),
    ],
  })

  menus.push({
    label: 'View',
    items: [
      // Reloading throws away a half-written note or a running Pressure Room's screen state, and the
      // developer tools can call every channel: neither is offered to learners.
      ...(options.isDev ? [role('reload'), role('forceReload'), role('toggleDevTools'), separator] : []),
      role('resetZoom'),
      role('zoomIn'),
      role('zoomOut'),
      separator,
      role('togglefullscreen'),
    ],
  })

  menus.push({
    label: 'Window',
    role: 'window',
    items: mac ? [role('minimize'), role('zoom'), separator, role('front')] : [role('minimize'), role('close')],
  })

  const help: MenuItemSpec[] = []
  if (options.hasHomepage) help.push({ command: 'homepage', label: `${options.appName} Website` })
  if (!mac) {
    if (help.length > 0) help.push(separator)
    help.push(about)
  }
  if (help.length > 0) menus.push({ label: 'Help', role: 'help', items: help })

  return menus
}
