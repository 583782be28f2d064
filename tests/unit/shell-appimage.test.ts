import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  appImageDesktopPlan,
  appImagePathProblem,
  applicationsDir,
  DESKTOP_FILE_NAME,
  desktopEntry,
  escapeDesktopString,
  execFileRunner,
  quoteExecArg,
  registerAppImageDesktopEntry,
  registerAppImageHandler,
  toolEnvironment,
  WRITTEN_BY_PATHWISE,
  type AppImageDesktopInput,
  type AppImageLog,
  type RunCommand,
} from '../../electron/main/appimage-desktop'

// ---------------------------------------------------------------------------------------------------
// A reader of desktop entries written from the Desktop Entry spec (not from the module under test):
// lines, then string unescaping, then the Exec quoting rules, then field codes.

interface ParsedEntry {
  comments: string[]
  groups: string[]
  keys: Map<string, string>
}

function parseEntry(text: string): ParsedEntry {
  expect(text.endsWith('\n')).toBe(true)
  const entry: ParsedEntry = { comments: [], groups: [], keys: new Map() }
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('#')) entry.comments.push(line)
    else if (/^\[[^\]]+\]$/.test(line)) entry.groups.push(line)
    else {
      const match = /^([A-Za-z0-9-]+)=(.*)$/.exec(line)
      if (!match) throw new Error(`not a desktop entry line: ${JSON.stringify(line)}`)
      const [, key, value] = match as unknown as [string, string, string]
      if (entry.keys.has(key)) throw new Error(`key ${key} twice`)
      entry.keys.set(key, unescapeString(value))
    }
  }
  return entry
}

/** "The escape sequences \s, \n, \t, \r, and \\ are supported for values of type string". */
function unescapeString(value: string): string {
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (c !== '\\') {
      out += c
      continue
    }
    const next = value[++i]
    const map: Record<string, string> = { s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' }
    if (next === undefined || map[next] === undefined) throw new Error(`bad string escape in ${JSON.stringify(value)}`)
    out += map[next]
  }
  return out
}

const RESERVED = new Set([' ', '\t', '\n', '"', "'", '\\', '>', '<', '~', '|', '&', ';', '$', '*', '?', '#', '(', ')', '`'])
type ExecArg = string | { field: string }

/**
 * The Exec key's arguments: reserved characters only inside double quotes, where `"`, `` ` ``, `$`
 * and `\` are escaped by a backslash; `%%` is a literal percent and `%X` a field code, which may only
 * stand alone, outside quotes.
 */
function parseExec(exec: string): ExecArg[] {
  const args: ExecArg[] = []
  let i = 0
  while (i < exec.length) {
    if (exec[i] === ' ') throw new Error('two spaces, or a leading one')
    let raw = ''
    let quoted = false
    if (exec[i] === '"') {
      quoted = true
      i++
      for (;;) {
        const c = exec[i++]
        if (c === undefined) throw new Error('unterminated quote')
        if (c === '"') break
        if (c === '\\') {
          const next = exec[i++]
          if (next === undefined || !'"`$\\'.includes(next)) throw new Error(`undefined escape \\${next}`)
          raw += next
        } else if (c === '`' || c === '$') throw new Error(`unescaped ${c} in quotes`)
        else raw += c
      }
      if (i < exec.length && exec[i] !== ' ') throw new Error('text right after a closing quote')
    } else {
      while (i < exec.length && exec[i] !== ' ') {
        const c = exec[i++] as string
        if (RESERVED.has(c)) throw new Error(`reserved ${JSON.stringify(c)} outside quotes`)
        raw += c
      }
    }
    if (i < exec.length) i++ // the separating space
    if (!quoted && /^%[a-zA-Z]$/.test(raw)) {
      args.push({ field: raw.slice(1) })
      continue
    }
    let value = ''
    for (let j = 0; j < raw.length; j++) {
      if (raw[j] !== '%') value += raw[j]
      else if (raw[j + 1] === '%') {
        value += '%'
        j++
      } else throw new Error(`a field code inside an argument: ${raw}`)
    }
    args.push(value)
  }
  return args
}

const SH_LAUNCH = ['/bin/sh', '-c', 'exec "$0" "$@"']

// ---------------------------------------------------------------------------------------------------

const HOME = '/home/learner'
const APP = '/home/learner/Applications/Pathwise-0.1.0-x86_64.AppImage'

function input(overrides: Partial<AppImageDesktopInput> & { env?: Record<string, string | undefined> } = {}): AppImageDesktopInput {
  return { platform: 'linux', isPackaged: true, homeDir: HOME, version: '0.1.0', ...overrides, env: { APPIMAGE: APP, ...overrides.env } }
}

describe('the desktop entry', () => {
  const entry = parseEntry(desktopEntry({ appImage: APP, version: '0.1.0' }))

  it('is one [Desktop Entry] group with the keys a link handler needs', () => {
    expect(entry.groups).toEqual(['[Desktop Entry]'])
    expect(Object.fromEntries(entry.keys)).toEqual({
      Type: 'Application',
      Name: 'Pathwise',
      Comment: 'Opens Pathwise sign-in links',
      Exec: `${APP} %U`,
      TryExec: APP,
      Icon: 'pathwise',
      Terminal: 'false',
      NoDisplay: 'true',
      Categories: 'Education;',
      MimeType: 'x-scheme-handler/pathwise;',
      StartupWMClass: 'pathwise',
      'X-AppImage-Version': '0.1.0',
    })
  })

  it('starts with the comment that marks it as written by Pathwise', () => {
    const text = desktopEntry({ appImage: APP, version: '0.1.0' })
    expect(text.startsWith(WRITTEN_BY_PATHWISE)).toBe(true)
    expect(entry.comments[0]).toMatch(/^# Written by Pathwise/)
  })

  it('starts the AppImage with the link as an argument (%U), nothing else', () => {
    expect(parseExec(entry.keys.get('Exec') ?? '')).toEqual([APP, { field: 'U' }])
  })

  it('leaves out a version that is not a plain version rather than escaping it', () => {
    const odd = parseEntry(desktopEntry({ appImage: APP, version: '1.0\nExec=/bin/evil' }))
    expect(odd.keys.has('X-AppImage-Version')).toBe(false)
    expect(odd.keys.get('Exec')).toBe(`${APP} %U`)
    expect(parseEntry(desktopEntry({ appImage: APP, version: '2.1.0-beta.3+build.7' })).keys.get('X-AppImage-Version')).toBe('2.1.0-beta.3+build.7')
  })

  it.each([
    ['spaces and parentheses', '/home/learner/My Apps/Pathwise (1).AppImage'],
    ['double and single quotes', `/home/o'brien/"quoted"/Pathwise.AppImage`],
    ['a dollar sign and backticks', '/home/learner/$HOME/`id`/Pathwise.AppImage'],
    ['backslashes', '/home/learner/back\\slash\\\\two/Pathwise.AppImage'],
    ['shell operators', '/home/learner/a;b&c|d>e<f~g*h?i#j/Pathwise.AppImage'],
    ['a leading space in a name', '/home/learner/ lead/Pathwise.AppImage'],
    ['non-ASCII letters', '/home/jos\u00e9/\u00fcnic\u00f8de/\u30d1\u30b9.AppImage'],
    ['= and other unreserved punctuation', '/home/learner/a=b,c:d@e+f/Pathwise.AppImage'],
  ])('Exec and TryExec give back a path with %s exactly', (_what, appImage) => {
    const parsed = parseEntry(desktopEntry({ appImage, version: '0.1.0' }))
    expect(parseExec(parsed.keys.get('Exec') ?? '')).toEqual([appImage, { field: 'U' }])
    expect(parsed.keys.get('TryExec')).toBe(appImage)
  })

  it.each([
    ['a percent sign', '/home/learner/100%/Pathwise.AppImage'],
    ['what looks like a field code', '/home/learner/%U %f %%/Pathwise.AppImage'],
    ['every special character at once', `/home/learner/a "b' $c \`d\` \\e %f/Pathwise.AppImage`],
  ])('a path with %s is started through /bin/sh, as an argument, and comes back exactly', (_what, appImage) => {
    const parsed = parseEntry(desktopEntry({ appImage, version: '0.1.0' }))
    expect(parseExec(parsed.keys.get('Exec') ?? '')).toEqual([...SH_LAUNCH, appImage, { field: 'U' }])
    expect(parsed.keys.get('TryExec')).toBe(appImage)
  })
})

describe('quoting one Exec argument', () => {
  it('leaves a plain path as it is', () => {
    expect(quoteExecArg('/opt/Pathwise/pathwise')).toBe('/opt/Pathwise/pathwise')
    expect(quoteExecArg('-c')).toBe('-c')
  })

  it('quotes reserved characters and escapes ", `, $ and \\ inside the quotes', () => {
    expect(quoteExecArg('/a b')).toBe('"/a b"')
    expect(quoteExecArg(`/a'b`)).toBe(`"/a'b"`)
    expect(quoteExecArg('/a"b')).toBe('"/a\\"b"')
    expect(quoteExecArg('/a$b`c`')).toBe('"/a\\$b\\`c\\`"')
    expect(quoteExecArg('/a\\b')).toBe('"/a\\\\b"')
  })

  it('doubles every %, quoted or not', () => {
    expect(quoteExecArg('/100%')).toBe('/100%%')
    expect(quoteExecArg('/a %U')).toBe('"/a %%U"')
  })

  it('in the file, a literal backslash in a quoted argument is four backslashes and $ is \\\\$ (as the spec says)', () => {
    const line = desktopEntry({ appImage: '/a b/c\\d$e.AppImage', version: '0.1.0' })
      .split('\n')
      .find((l) => l.startsWith('Exec='))
    expect(line).toBe('Exec="/a b/c\\\\\\\\d\\\\$e.AppImage" %U')
  })

  it('string values escape backslash, control characters and a leading space', () => {
    expect(escapeDesktopString('a\\b')).toBe('a\\\\b')
    expect(escapeDesktopString('a\nb\tc\rd')).toBe('a\\nb\\tc\\rd')
    expect(escapeDesktopString(' a ')).toBe('\\sa ')
    expect(unescapeString(escapeDesktopString(' x\\\n\t\ry '))).toBe(' x\\\n\t\ry ')
  })
})

describe('when an entry is written', () => {
  it('a packaged app started from an AppImage on Linux gets one in ~/.local/share/applications', () => {
    const plan = appImageDesktopPlan(input())
    expect(plan).toEqual({
      appImage: APP,
      dir: '/home/learner/.local/share/applications',
      file: `/home/learner/.local/share/applications/${DESKTOP_FILE_NAME}`,
      content: desktopEntry({ appImage: APP, version: '0.1.0' }),
    })
  })

  it('never under the name of the deb entry', () => {
    expect(DESKTOP_FILE_NAME).toBe('pathwise-appimage.desktop')
  })

  it('$XDG_DATA_HOME/applications when it is set to an absolute path', () => {
    expect(appImageDesktopPlan(input({ env: { XDG_DATA_HOME: '/data/xdg' } }))?.file).toBe(`/data/xdg/applications/${DESKTOP_FILE_NAME}`)
    expect(applicationsDir({ XDG_DATA_HOME: '/data/xdg' }, HOME)).toBe('/data/xdg/applications')
  })

  it('the default folder when XDG_DATA_HOME is empty or relative (the Base Directory spec ignores those)', () => {
    expect(applicationsDir({ XDG_DATA_HOME: '' }, HOME)).toBe('/home/learner/.local/share/applications')
    expect(applicationsDir({ XDG_DATA_HOME: 'relative/data' }, HOME)).toBe('/home/learner/.local/share/applications')
  })

  it('none without a home folder or XDG_DATA_HOME', () => {
    expect(applicationsDir({}, '')).toBeNull()
    expect(appImageDesktopPlan(input({ homeDir: '' }))).toBeNull()
    expect(appImageDesktopPlan(input({ homeDir: 'relative' }))).toBeNull()
  })

  it('accepts the extension in any case', () => {
    expect(appImageDesktopPlan(input({ env: { APPIMAGE: '/opt/pathwise.appimage' } }))?.appImage).toBe('/opt/pathwise.appimage')
    expect(appImageDesktopPlan(input({ env: { APPIMAGE: '/opt/PATHWISE.APPIMAGE' } }))?.appImage).toBe('/opt/PATHWISE.APPIMAGE')
  })

  it.each([
    ['on macOS', input({ platform: 'darwin' })],
    ['on Windows', input({ platform: 'win32' })],
    ['in a development build', input({ isPackaged: false })],
    ['without APPIMAGE (a deb, or a plain unpacked build)', input({ env: { APPIMAGE: undefined } })],
    ['with an empty APPIMAGE', input({ env: { APPIMAGE: '' } })],
    ['with a relative path', input({ env: { APPIMAGE: 'Applications/Pathwise.AppImage' } })],
    ['with a ./ path', input({ env: { APPIMAGE: './Pathwise.AppImage' } })],
    ['with a newline that would add a key', input({ env: { APPIMAGE: '/tmp/x.AppImage\nExec=/bin/evil' } })],
    ['with a newline before the extension', input({ env: { APPIMAGE: '/tmp/x\nExec=/bin/evil #.AppImage' } })],
    ['with a carriage return', input({ env: { APPIMAGE: '/tmp/x\r.AppImage' } })],
    ['with a tab', input({ env: { APPIMAGE: '/tmp/x\t.AppImage' } })],
    ['with a NUL', input({ env: { APPIMAGE: '/tmp/x\u0000.AppImage' } })],
    ['with a C1 control character', input({ env: { APPIMAGE: '/tmp/x\u0085.AppImage' } })],
    ['with invalid Unicode', input({ env: { APPIMAGE: '/tmp/x\ud800.AppImage' } })],
    ['with another extension', input({ env: { APPIMAGE: '/usr/bin/pathwise' } })],
    ['with .AppImage not at the end', input({ env: { APPIMAGE: '/tmp/Pathwise.AppImage.sh' } })],
    ['with only the extension as its name', input({ env: { APPIMAGE: '/tmp/.AppImage' } })],
    ['with a folder path', input({ env: { APPIMAGE: '/tmp/Pathwise.AppImage/' } })],
    ['with .. in it', input({ env: { APPIMAGE: '/tmp/a/../Pathwise.AppImage' } })],
    ['with // in it', input({ env: { APPIMAGE: '/tmp//Pathwise.AppImage' } })],
    ['with a path longer than PATH_MAX', input({ env: { APPIMAGE: `/${'a'.repeat(4100)}.AppImage` } })],
  ])('none %s', (_what, given) => {
    expect(appImageDesktopPlan(given)).toBeNull()
  })

  it('says why an APPIMAGE value is refused', () => {
    expect(appImagePathProblem(APP)).toBeNull()
    expect(appImagePathProblem('/tmp/x.AppImage\nExec=/bin/evil')).toMatch(/control characters/)
    expect(appImagePathProblem('x.AppImage')).toMatch(/absolute/)
    expect(appImagePathProblem('/usr/bin/pathwise')).toMatch(/\.AppImage/)
    expect(appImagePathProblem('/tmp/../x.AppImage')).toMatch(/normalised/)
  })
})

describe('the environment of the xdg tools', () => {
  const appDir = '/tmp/.mount_PathwiX1'

  it("drops the AppImage's own entries that AppRun put in front of the search paths", () => {
    const env = toolEnvironment({
      APPDIR: appDir,
      HOME,
      PATH: `${appDir}:${appDir}/usr/sbin:/usr/local/bin:/usr/bin:/bin`,
      LD_LIBRARY_PATH: `${appDir}/usr/lib`,
      XDG_DATA_DIRS: `${appDir}/usr/share/::/usr/share/gnome:/usr/local/share/:/usr/share/`,
      GSETTINGS_SCHEMA_DIR: `${appDir}/usr/share/glib-2.0/schemas:/opt/schemas`,
      UNSET: undefined,
    })
    expect(env).toEqual({
      APPDIR: appDir,
      HOME,
      PATH: '/usr/local/bin:/usr/bin:/bin',
      XDG_DATA_DIRS: '/usr/share/gnome:/usr/local/share/:/usr/share/',
      GSETTINGS_SCHEMA_DIR: '/opt/schemas',
    })
  })

  it('keeps a folder that only starts with the same letters, and everything when there is no APPDIR', () => {
    expect(toolEnvironment({ APPDIR: appDir, PATH: `${appDir}x/bin:/usr/bin` }).PATH).toBe(`${appDir}x/bin:/usr/bin`)
    expect(toolEnvironment({ PATH: `${appDir}:/usr/bin`, LD_LIBRARY_PATH: '/x' })).toEqual({ PATH: `${appDir}:/usr/bin`, LD_LIBRARY_PATH: '/x' })
  })
})

// ---------------------------------------------------------------------------------------------------
// Writing and registering, in a temporary folder.

interface Recorder {
  run: RunCommand
  calls: [string, readonly string[]][]
}

/** A runner that records each call; `answer` gives a command's stdout, or throws to fail it. */
function recorder(answer: (command: string, args: readonly string[]) => string = () => ''): Recorder {
  const calls: [string, readonly string[]][] = []
  return {
    calls,
    run: async (command, args) => {
      calls.push([command, args])
      return { stdout: answer(command, args) }
    },
  }
}

function notInstalled(command: string): Error {
  return Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT' })
}

function logger(): AppImageLog & { infos: string[]; warnings: string[] } {
  const infos: string[] = []
  const warnings: string[] = []
  return { infos, warnings, info: (m) => infos.push(m), warn: (m) => warnings.push(m) }
}

const QUERY = ['xdg-mime', ['query', 'default', 'x-scheme-handler/pathwise']]
const SET_DEFAULT = ['xdg-mime', ['default', 'pathwise-appimage.desktop', 'x-scheme-handler/pathwise']]

describe('registering the AppImage', () => {
  let root: string
  let appImage: string
  let dataHome: string
  let appsDir: string
  let entryFile: string

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pathwise-appimage-'))
    appImage = join(root, 'My Apps', 'Pathwise 0.1.0.AppImage')
    await mkdir(join(root, 'My Apps'))
    await writeFile(appImage, '#!/bin/sh\n', { mode: 0o755 })
    dataHome = join(root, 'data')
    appsDir = join(dataHome, 'applications')
    entryFile = join(appsDir, DESKTOP_FILE_NAME)
  })

  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  const start = (run: RunCommand, log: AppImageLog, overrides: { appImage?: string; version?: string } = {}) =>
    registerAppImageDesktopEntry({
      platform: 'linux',
      isPackaged: true,
      env: { APPIMAGE: overrides.appImage ?? appImage, XDG_DATA_HOME: dataHome },
      homeDir: join(root, 'home'),
      version: overrides.version ?? '0.1.0',
      log,
      run,
    })

  it('the first start writes the entry (mode 0644, atomically) and makes it the default handler', async () => {
    const runner = recorder()
    const log = logger()
    const previousUmask = process.umask(0o077)
    try {
      expect(await start(runner.run, log)).toEqual({ entry: 'written', handler: 'set' })
    } finally {
      process.umask(previousUmask)
    }
    const text = await readFile(entryFile, 'utf8')
    expect(text).toBe(desktopEntry({ appImage, version: '0.1.0' }))
    expect(parseExec(parseEntry(text).keys.get('Exec') ?? '')).toEqual([appImage, { field: 'U' }])
    expect((await stat(entryFile)).mode & 0o777).toBe(0o644)
    expect(await readdir(appsDir)).toEqual([DESKTOP_FILE_NAME])
    // A new entry is made the default outright: no query first.
    expect(runner.calls).toEqual([['update-desktop-database', [appsDir]], SET_DEFAULT])
    expect(log.warnings).toEqual([])
  })

  it('a second start with the same AppImage writes nothing and leaves a default that is already its own', async () => {
    await start(recorder().run, logger())
    const past = new Date('2020-01-02T03:04:05Z')
    await utimes(entryFile, past, past)

    const runner = recorder((command, args) => (command === 'xdg-mime' && args[0] === 'query' ? `${DESKTOP_FILE_NAME}\n` : ''))
    expect(await start(runner.run, logger())).toEqual({ entry: 'unchanged', handler: 'already' })
    expect((await stat(entryFile)).mtimeMs).toBe(past.getTime())
    // No cache refresh (nothing changed) and no rewrite of mimeapps.list.
    expect(runner.calls).toEqual([QUERY])
  })

  it('a second start takes the scheme back when another entry has it (the deb, or Electron under pathwise.desktop)', async () => {
    await start(recorder().run, logger())
    const before = (await stat(entryFile)).mtimeMs
    const runner = recorder((command, args) => (command === 'xdg-mime' && args[0] === 'query' ? 'pathwise.desktop\n' : ''))
    expect(await start(runner.run, logger())).toEqual({ entry: 'unchanged', handler: 'set' })
    expect((await stat(entryFile)).mtimeMs).toBe(before)
    expect(runner.calls).toEqual([QUERY, SET_DEFAULT])
  })

  it('an AppImage started from another place rewrites the entry', async () => {
    await start(recorder().run, logger())
    const moved = join(root, 'Pathwise-0.2.0.AppImage')
    await writeFile(moved, '#!/bin/sh\n', { mode: 0o755 })
    const runner = recorder()
    expect(await start(runner.run, logger(), { appImage: moved, version: '0.2.0' })).toEqual({ entry: 'written', handler: 'set' })
    const keys = parseEntry(await readFile(entryFile, 'utf8')).keys
    expect(parseExec(keys.get('Exec') ?? '')).toEqual([moved, { field: 'U' }])
    expect(keys.get('X-AppImage-Version')).toBe('0.2.0')
    expect(runner.calls).toEqual([['update-desktop-database', [appsDir]], SET_DEFAULT])
    expect(await readdir(appsDir)).toEqual([DESKTOP_FILE_NAME])
  })

  it('a missing xdg-mime is logged, not thrown, and the entry is still written', async () => {
    const log = logger()
    const run: RunCommand = async (command) => {
      throw notInstalled(command)
    }
    expect(await start(run, log)).toEqual({ entry: 'written', handler: 'failed' })
    expect(existsSync(entryFile)).toBe(true)
    expect(log.warnings).toEqual([expect.stringMatching(/xdg-mime is not installed/)])
    expect(log.infos).toContainEqual(expect.stringMatching(/update-desktop-database is not installed/))

    // On an unchanged start the failed query says nothing of its own: one warning, not two.
    const again = logger()
    expect(await start(run, again)).toEqual({ entry: 'unchanged', handler: 'failed' })
    expect(again.warnings).toEqual([expect.stringMatching(/xdg-mime is not installed/)])
  })

  it('the real runner reports a program that is not on PATH as not installed', async () => {
    const emptyBin = join(root, 'empty-bin')
    await mkdir(emptyBin)
    const log = logger()
    const plan = appImageDesktopPlan({ platform: 'linux', isPackaged: true, env: { APPIMAGE: appImage, XDG_DATA_HOME: dataHome }, homeDir: root, version: '0.1.0' })
    expect(plan).not.toBeNull()
    if (!plan) return
    expect(await registerAppImageHandler(plan, { run: execFileRunner({ PATH: emptyBin }), log })).toEqual({ entry: 'written', handler: 'failed' })
    expect(log.warnings).toEqual([expect.stringMatching(/xdg-mime is not installed/)])
  })

  it('a failing xdg-mime is logged with its message', async () => {
    const log = logger()
    const run: RunCommand = async (command, args) => {
      if (command === 'xdg-mime' && args[0] === 'default') throw new Error('Command failed: xdg-mime default')
      return { stdout: '' }
    }
    expect(await start(run, log)).toEqual({ entry: 'written', handler: 'failed' })
    expect(log.warnings).toEqual([expect.stringMatching(/xdg-mime default failed: Command failed/)])
  })

  it('a file of the same name that Pathwise did not write is left alone, and not made the default', async () => {
    await mkdir(appsDir, { recursive: true })
    const own = '[Desktop Entry]\nType=Application\nName=My Pathwise\nExec=/opt/mine %U\n'
    await writeFile(entryFile, own)
    const runner = recorder()
    const log = logger()
    expect(await start(runner.run, log)).toEqual({ entry: 'foreign', handler: 'skipped' })
    expect(await readFile(entryFile, 'utf8')).toBe(own)
    expect(runner.calls).toEqual([])
    expect(log.warnings).toEqual([expect.stringMatching(/not written by Pathwise/)])
  })

  it('an APPIMAGE that does not exist, or is a folder, writes and registers nothing', async () => {
    for (const path of [join(root, 'Gone.AppImage'), join(root, 'Folder.AppImage')]) {
      if (path.endsWith('Folder.AppImage')) await mkdir(path)
      const runner = recorder()
      const log = logger()
      expect(await start(runner.run, log, { appImage: path })).toEqual({ entry: 'failed', handler: 'skipped' })
      expect(runner.calls).toEqual([])
      expect(log.warnings).toHaveLength(1)
    }
    expect(existsSync(appsDir)).toBe(false)
  })

  it('a refused APPIMAGE value is logged without the value and touches nothing', async () => {
    const runner = recorder()
    const log = logger()
    expect(await start(runner.run, log, { appImage: `${appImage}\nExec=/bin/evil` })).toBeNull()
    expect(runner.calls).toEqual([])
    expect(existsSync(appsDir)).toBe(false)
    expect(log.warnings).toEqual([expect.stringMatching(/not registered for this AppImage: APPIMAGE contains control characters$/)])
    expect(log.warnings[0]).not.toContain('evil')
  })

  it('not an AppImage, or a development build: nothing is written, run or logged', async () => {
    const runner = recorder()
    const log = logger()
    const base = { homeDir: root, version: '0.1.0', log, run: runner.run }
    expect(await registerAppImageDesktopEntry({ ...base, platform: 'linux', isPackaged: true, env: { XDG_DATA_HOME: dataHome } })).toBeNull()
    expect(await registerAppImageDesktopEntry({ ...base, platform: 'linux', isPackaged: false, env: { APPIMAGE: appImage, XDG_DATA_HOME: dataHome } })).toBeNull()
    expect(await registerAppImageDesktopEntry({ ...base, platform: 'darwin', isPackaged: true, env: { APPIMAGE: appImage, XDG_DATA_HOME: dataHome } })).toBeNull()
    expect(runner.calls).toEqual([])
    expect([...log.infos, ...log.warnings]).toEqual([])
    expect(existsSync(appsDir)).toBe(false)
  })

  it('an applications folder that cannot be made is logged, not thrown, and leaves no temporary file', async () => {
    await writeFile(join(root, 'not-a-folder'), '')
    const runner = recorder()
    const log = logger()
    const result = await registerAppImageDesktopEntry({
      platform: 'linux',
      isPackaged: true,
      env: { APPIMAGE: appImage, XDG_DATA_HOME: join(root, 'not-a-folder') },
      homeDir: root,
      version: '0.1.0',
      log,
      run: runner.run,
    })
    expect(result).toEqual({ entry: 'failed', handler: 'skipped' })
    expect(runner.calls).toEqual([])
    expect(log.warnings).toEqual([expect.stringMatching(/could not write/)])
    expect((await readdir(root)).sort()).toEqual(['My Apps', 'not-a-folder'])
  })
})

// ---------------------------------------------------------------------------------------------------
// The same entry read by the real tools, where they are installed (GLib's gio, xdg-utils,
// desktop-file-utils; .ci/run installs them).

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, program)))
}

function exec(command: string, args: string[], env: Record<string, string | undefined>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: 10_000, encoding: 'utf8' }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)))
  })
}

/** The environment with no desktop named, so xdg-mime works on the files alone. */
function plainEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, ...extra }
  for (const name of ['XDG_CURRENT_DESKTOP', 'DESKTOP_SESSION', 'KDE_FULL_SESSION', 'GNOME_DESKTOP_SESSION_ID', 'XDG_DATA_DIRS', 'XDG_CONFIG_DIRS']) delete env[name]
  return env
}

describe('with the real desktop tools', () => {
  let root: string

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pathwise-appimage-real-'))
  })

  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it.skipIf(!onPath('gio')).each([
    ['spaces, quotes, $ and a backslash', `a "b' $c \`d\` \\e`],
    ['a percent sign and field-code look-alikes', '100% %U %f'],
  ])('GLib starts the AppImage in a folder with %s, with the link as its argument', async (_what, folder) => {
    const dir = join(root, folder)
    await mkdir(dir)
    const appImage = join(dir, 'Pathwise.AppImage')
    const out = join(root, 'argv.txt')
    // Written aside and renamed, so the test never reads a half-written file.
    await writeFile(appImage, '#!/bin/sh\nprintf "%s\\n" "$0" "$@" > "$PATHWISE_TEST_OUT.tmp" && mv "$PATHWISE_TEST_OUT.tmp" "$PATHWISE_TEST_OUT"\n')
    await chmod(appImage, 0o755)
    const file = join(root, DESKTOP_FILE_NAME)
    await writeFile(file, desktopEntry({ appImage, version: '0.1.0' }))

    const link = 'pathwise://auth/verify?email=learner%40example.com&code=123456'
    await exec('gio', ['launch', file, link], plainEnv({ PATHWISE_TEST_OUT: out }))
    for (let i = 0; i < 100 && !existsSync(out); i++) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await readFile(out, 'utf8')).toBe(`${appImage}\n${link}\n`)
  })

  it.skipIf(!onPath('desktop-file-validate'))('desktop-file-validate finds nothing to report in the entry', async () => {
    const file = join(root, DESKTOP_FILE_NAME)
    await writeFile(file, desktopEntry({ appImage: join(root, 'with space', 'Pathwise.AppImage'), version: '0.1.0' }))
    expect((await exec('desktop-file-validate', [file], process.env)).trim()).toBe('')
  })

  it.skipIf(!onPath('xdg-mime'))('xdg-mime then names the entry as the pathwise: handler', async () => {
    const appImage = join(root, 'Pathwise.AppImage')
    await writeFile(appImage, '#!/bin/sh\n', { mode: 0o755 })
    const env = plainEnv({ APPIMAGE: appImage, XDG_DATA_HOME: join(root, 'data'), XDG_CONFIG_HOME: join(root, 'config'), HOME: root })
    const log = logger()
    const result = await registerAppImageDesktopEntry({ platform: 'linux', isPackaged: true, env, homeDir: root, version: '0.1.0', log })
    expect(result).toEqual({ entry: 'written', handler: 'set' })
    expect((await exec('xdg-mime', ['query', 'default', 'x-scheme-handler/pathwise'], env)).trim()).toBe(DESKTOP_FILE_NAME)
    const again = await registerAppImageDesktopEntry({ platform: 'linux', isPackaged: true, env, homeDir: root, version: '0.1.0', log })
    expect(again).toEqual({ entry: 'unchanged', handler: 'already' })
  })
})
