/** The application menu: ./menu-template decides what is in it; this file binds the commands. */
import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron'
import { describeAppMenu, type MenuCommand, type MenuItemSpec, type MenuRole } from './menu-template'
import { externalUrlToOpen } from './policy'
import { openExternalLink } from './security'

// Fails to compile if menu-template names a role Electron does not have.
type ElectronRole = NonNullable<MenuItemConstructorOptions['role']>
const asElectronRole = (role: MenuRole): ElectronRole => role

export interface AppMenuOptions {
  dataDir: string
  /** package.json "homepage"; the Help menu links to it when it is an http(s) URL. */
  homepage: string | null
}

export function installAppMenu(options: AppMenuOptions): void {
  const homepage = options.homepage ? externalUrlToOpen(options.homepage) : null
  app.setAboutPanelOptions({
    applicationName: app.getName(),
    applicationVersion: app.getVersion(),
    copyright: 'Copyright © Pathwise contributors',
    ...(homepage ? { website: homepage } : {}),
  })

  const commands: Record<MenuCommand, () => void> = {
    'open-data-folder': () => {
      void shell.openPath(options.dataDir).then((problem) => {
        if (problem) console.warn(`[pathwise] could not open the data folder: ${problem}`)
      })
    },
    about: () => app.showAboutPanel(),
    homepage: () => {
      if (homepage) openExternalLink(homepage)
    },
  }

  const toItem = (item: MenuItemSpec): MenuItemConstructorOptions => {
    if ('type' in item) return { type: 'separator' }
    if ('role' in item) return { role: asElectronRole(item.role) }
    return { label: item.label, accelerator: item.accelerator, click: commands[item.command] }
  }

  const spec = describeAppMenu({ platform: process.platform, isDev: !app.isPackaged, appName: app.getName(), hasHomepage: homepage !== null })
  const template: MenuItemConstructorOptions[] = spec.map((menu) => ({ label: menu.label, role: menu.role, submenu: menu.items.map(toItem) }))
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
