import { describe, expect, it } from 'vitest'
import { describeAppMenu, type MenuItemSpec, type MenuOptions, type MenuSpec } from '../../electron/main/menu-template'

const options = (overrides: Partial<MenuOptions> = {}): MenuOptions => ({ platform: 'linux', isDev: false, appName: 'Pathwise', hasHomepage: true, ...overrides })

const labels = (menus: MenuSpec[]) => menus.map((m) => m.label)
const menu = (menus: MenuSpec[], label: string) => menus.find((m) => m.label === label)
const roles = (items: MenuItemSpec[] | undefined) => (items ?? []).flatMap((i) => ('role' in i ? [i.role] : []))
const commands = (items: MenuItemSpec[] | undefined) => (items ?? []).flatMap((i) => ('command' in i ? [i.command] : []))
const allRoles = (menus: MenuSpec[]) => menus.flatMap((m) => roles(m.items))

describe('application menu', () => {
  it.each(['linux', 'win32'] as const)('on %s: File, Edit, View, Window, Help', (platform) => {
    expect(labels(describeAppMenu(options({ platform })))).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
  })

  it('on macOS the app menu comes first and holds About, Hide and Quit', () => {
    const menus = describeAppMenu(options({ platform: 'darwin' }))
    expect(labels(menus)).toEqual(['Pathwise', 'File', 'Edit', 'View', 'Window', 'Help'])
    const appMenu = menus[0]
    expect(commands(appMenu?.items)).toEqual(['about'])
    expect(roles(appMenu?.items)).toEqual(['services', 'hide', 'hideOthers', 'unhide', 'quit'])
    // File closes the window there; quitting is in the app menu only.
    expect(roles(menu(menus, 'File')?.items)).toEqual(['close'])
    expect(commands(menu(menus, 'Help')?.items)).toEqual(['homepage'])
  })

  it('File opens the data folder and quits', () => {
    const file = menu(describeAppMenu(options()), 'File')
    expect(commands(file?.items)).toEqual(['open-data-folder'])
    expect(roles(file?.items)).toEqual(['quit'])
  })

  it('Edit has the standard editing roles', () => {
    expect(roles(menu(describeAppMenu(options()), 'Edit')?.items)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll'])
  })

  it('an installed app offers neither reload nor the developer tools', () => {
    const menus = describeAppMenu(options({ isDev: false }))
    expect(roles(menu(menus, 'View')?.items)).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen'])
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const all = allRoles(describeAppMenu(options({ platform, isDev: false })))
      expect(all).not.toContain('reload')
      expect(all).not.toContain('forceReload')
      expect(all).not.toContain('toggleDevTools')
    }
  })

  it('development adds reload and the developer tools', () => {
    expect(roles(menu(describeAppMenu(options({ isDev: true })), 'View')?.items)).toEqual([
      'reload',
      'forceReload',
      'toggleDevTools',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ])
  })

  it('Help links to the website and shows About', () => {
    const help = menu(describeAppMenu(options()), 'Help')
    expect(help?.role).toBe('help')
    expect(commands(help?.items)).toEqual(['homepage', 'about'])
    expect(help?.items.find((i) => 'command' in i && i.command === 'about')).toMatchObject({ label: 'About Pathwise' })
  })

  it('without a homepage there is no website item', () => {
    expect(commands(menu(describeAppMenu(options({ hasHomepage: false })), 'Help')?.items)).toEqual(['about'])
    expect(labels(describeAppMenu(options({ platform: 'darwin', hasHomepage: false })))).not.toContain('Help')
  })

  it('no menu starts or ends with a separator, and no two separators touch', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      for (const isDev of [false, true]) {
        for (const hasHomepage of [false, true]) {
          for (const m of describeAppMenu(options({ platform, isDev, hasHomepage }))) {
            const kinds = m.items.map((i) => ('type' in i ? 'sep' : 'item'))
            expect(kinds[0], `${platform} ${m.label}`).toBe('item')
            expect(kinds.at(-1), `${platform} ${m.label}`).toBe('item')
            expect(kinds.join(',')).not.toContain('sep,sep')
          }
        }
      }
    }
  })
})
