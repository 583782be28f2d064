import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DatabaseCorrupt, DatabaseReadOnly, DatabaseTooNew, Invalid } from '../../electron/core/errors'
import {
  APP_ENTRY_URL,
  appUrlOf,
  CONTENT_SECURITY_POLICY,
  DEV_CONTENT_SECURITY_POLICY,
  externalUrlToOpen,
  navigationDecision,
  permissionDecision,
  resolveDataDir,
  resolveRendererTarget,
  resolveResourceDirs,
  resolveSyncServerUrl,
  startupFailure,
  windowOpenDecision,
} from '../../electron/main/policy'
import { ROOT } from '../helpers/paths'

describe('links opened in the browser', () => {
  it.each([
    ['https://example.com/lesson?x=1#top', 'https://example.com/lesson?x=1#top'],
    ['http://example.com', 'http://example.com/'],
    ['HTTPS://Example.COM/a', 'https://example.com/a'],
  ])('an http(s) link %s is opened as %s', (raw, expected) => {
    expect(externalUrlToOpen(raw)).toBe(expected)
  })

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'file:///etc/passwd',
    'file://server/share/x.exe',
    'data:text/html,<script>alert(1)</script>',
    'blob:https://example.com/1234',
    'vbscript:msgbox(1)',
    'ms-msdt:/id PCWDiagnostic',
    'smb://attacker/share',
    'mailto:someone@example.com',
    'pathwise://open',
    'ftp://example.com/file',
    'https://user:secret@example.com/',
    '//example.com/no-protocol',
    'not a url',
    '',
  ])('%s is refused', (raw) => {
    expect(externalUrlToOpen(raw)).toBeNull()
  })
})

describe('window navigation', () => {
  const built = APP_ENTRY_URL
  const dev = 'http://localhost:5173/'

  it('the built page is app://pathwise/index.html', () => {
    expect(built).toBe('app://pathwise/index.html')
  })

  it('the built page may reload itself, with any query or hash', () => {
    expect(navigationDecision(built, built)).toBe('allow')
    expect(navigationDecision(`${built}#/courses/git-essentials`, built)).toBe('allow')
    expect(navigationDecision(`${built}?x=1`, built)).toBe('allow')
    expect(navigationDecision('app://pathwise/assets/../index.html', built)).toBe('allow')
  })

  it('the dev server page may navigate within its own origin', () => {
    expect(navigationDecision('http://localhost:5173/#/profile', dev)).toBe('allow')
    expect(navigationDecision('http://localhost:5173/other.html', dev)).toBe('allow')
  })

  it.each([
    'app://pathwise/other.html',
    'app://pathwise/assets/index.js',
    'app://pathwise/',
    'app://other/index.html',
    'app://user:pw@pathwise/index.html',
    'APP://PATHWISE/INDEX.HTML',
    'app://pathwise/%2e%2e/index.html/x',
  ])('another app:// document (%s) is refused', (target) => {
    expect(navigationDecision(target, built)).toBe('deny')
  })

  it('files on disk are never loaded, not even the built page as a file', () => {
    expect(navigationDecision(pathToFileURL(join(ROOT, 'out', 'renderer', 'index.html')).href, built)).toBe('deny')
    expect(navigationDecision('file:///etc/passwd', built)).toBe('deny')
    expect(navigationDecision('file:///etc/passwd', dev)).toBe('deny')
  })

  it('another origin is never loaded in the window; http(s) ones go to the browser', () => {
    expect(navigationDecision('https://example.com/', built)).toBe('external')
    expect(navigationDecision('https://example.com/', dev)).toBe('external')
    expect(navigationDecision('http://localhost:5174/', dev)).toBe('external')
    expect(navigationDecision('http://127.0.0.1:5173/', dev)).toBe('external')
  })

  it('the built page never allows the dev server, nor the dev server the built page', () => {
    expect(navigationDecision(dev, built)).toBe('external')
    expect(navigationDecision(built, dev)).toBe('deny')
  })

  it.each(['javascript:alert(1)', 'data:text/html,hi', 'pathwise://x', 'pathwise://auth/verify?email=a%40b.c&code=123456', 'chrome://gpu', 'about:blank', 'garbage'])(
    'navigating to %s is refused',
    (target) => {
      expect(navigationDecision(target, built)).toBe('deny')
      expect(navigationDecision(target, dev)).toBe('deny')
    },
  )

  it('without a valid app URL everything is refused', () => {
    expect(navigationDecision(built, 'nonsense')).toBe('deny')
  })
})

describe('new windows', () => {
  it('an http(s) link asked for as a new window goes to the browser; no window is ever opened', () => {
    expect(windowOpenDecision('https://example.com/docs')).toEqual({ action: 'deny', openExternally: 'https://example.com/docs' })
  })

  it.each(['app://pathwise/index.html', 'about:blank', 'javascript:alert(1)', 'file:///etc/passwd', 'pathwise://auth/verify', 'https://u:p@example.com/', ''])(
    'a new window for %s is refused and nothing is opened',
    (url) => {
      expect(windowOpenDecision(url)).toEqual({ action: 'deny', openExternally: null })
    },
  )
})

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'hid', 'serial', 'usb', 'idle-detection', 'unknown'])(
    '%s is refused',
    (permission) => {
      expect(permissionDecision(permission)).toBe(false)
    },
  )
})

describe('data folder', () => {
  const userDataDir = '/home/me/.config/Pathwise'

  it.each([true, false])('PATHWISE_DATA_DIR overrides userData (packaged: %s)', (isPackaged) => {
    expect(resolveDataDir({ env: { PATHWISE_DATA_DIR: '/tmp/pw-data' }, userDataDir, isPackaged })).toBe('/tmp/pw-data')
  })

  it('a relative PATHWISE_DATA_DIR is resolved against the working folder', () => {
    expect(resolveDataDir({ env: { PATHWISE_DATA_DIR: 'data/dev' }, userDataDir, isPackaged: false, cwd: '/work/app' })).toBe(join('/work/app', 'data/dev'))
  })

  it.each([{}, { PATHWISE_DATA_DIR: '' }, { PATHWISE_DATA_DIR: '   ' }])('without an override (%j) the installed app uses userData', (env) => {
    expect(resolveDataDir({ env, userDataDir, isPackaged: true })).toBe(userDataDir)
  })

  it('a development build has a folder of its own beside userData, so its lock and database never touch the installed app\'s', () => {
    const dev = resolveDataDir({ env: {}, userDataDir, isPackaged: false })
    expect(dev).toBe('/home/me/.config/Pathwise (development)')
    expect(dirname(dev)).toBe(dirname(userDataDir))
    expect(dev).not.toBe(userDataDir)
  })
})

describe('bundled resources', () => {
  it('a packaged app reads courses and migrations from its resources folder', () => {
    expect(resolveResourceDirs({ isPackaged: true, appPath: '/opt/Pathwise/resources/app.asar', resourcesPath: '/opt/Pathwise/resources' })).toEqual({
      coursesDir: join('/opt/Pathwise/resources', 'courses'),
      migrationsDir: join('/opt/Pathwise/resources', 'migrations'),
    })
  })

  it('in development they come from the project root', () => {
    expect(resolveResourceDirs({ isPackaged: false, appPath: '/work/main', resourcesPath: '/ignored' })).toEqual({
      coursesDir: join('/work/main', 'resources', 'courses'),
      migrationsDir: join('/work/main', 'migrations'),
    })
  })
})

describe('page the window loads', () => {
  const rendererDir = '/app/out/renderer'
  const built = { kind: 'app', url: 'app://pathwise/index.html', rootDir: rendererDir }

  it('the dev server is used in development', () => {
    expect(resolveRendererTarget({ isPackaged: false, devServerUrl: 'http://localhost:5173', rendererDir })).toEqual({
      kind: 'dev',
      url: 'http://localhost:5173/',
    })
  })

  it('a packaged app always loads its built page over app://, whatever the environment says', () => {
    expect(resolveRendererTarget({ isPackaged: true, devServerUrl: 'http://localhost:5173', rendererDir })).toEqual(built)
  })

  it.each(['https://evil.example/', 'file:///tmp/x.html', 'javascript:alert(1)', 'nonsense', ''])(
    'a dev server URL that is not on this machine (%s) is ignored',
    (devServerUrl) => {
      expect(resolveRendererTarget({ isPackaged: false, devServerUrl, rendererDir })).toEqual(built)
    },
  )

  it('without a dev server the built page is loaded', () => {
    expect(resolveRendererTarget({ isPackaged: false, devServerUrl: undefined, rendererDir })).toEqual(built)
  })

  it('the window page URL is the target URL', () => {
    expect(appUrlOf(resolveRendererTarget({ isPackaged: true, devServerUrl: undefined, rendererDir }))).toBe('app://pathwise/index.html')
    expect(appUrlOf({ kind: 'dev', url: 'http://127.0.0.1:5173/' })).toBe('http://127.0.0.1:5173/')
  })
})

describe('content security policy', () => {
  it('renderer/index.html carries exactly the production policy', () => {
    const html = readFileSync(join(ROOT, 'renderer', 'index.html'), 'utf8')
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY)
  })

  it('the production policy allows no inline script, eval, remote origin or websocket', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|wss?:|\*/)
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'")
  })

  it('the development policy opens only the loopback dev server', () => {
    const remote = DEV_CONTENT_SECURITY_POLICY.match(/(?:https?|wss?):\/\/[^\s;]+/g) ?? []
    expect(remote.length).toBeGreaterThan(0)
    for (const origin of remote) expect(origin).toMatch(/^(?:https?|wss?):\/\/(?:localhost|127\.0\.0\.1):\*$/)
  })
})

describe('start-up failures', () => {
  it('a damaged database is reported with its own message', () => {
    const error = new DatabaseCorrupt('/data/pathwise.db')
    expect(startupFailure(error)).toEqual({ title: 'Pathwise cannot open your learning data', message: error.message })
  })

  it('a database from a newer version is reported with its own message', () => {
    const error = new DatabaseTooNew('/data/pathwise.db', 9, 3)
    expect(startupFailure(error)).toEqual({ title: 'Pathwise cannot open your learning data', message: error.message })
  })

  it('a data file or folder Pathwise cannot write is reported with its own message, which names it and says what to do', () => {
    for (const error of [new DatabaseReadOnly('/data/pathwise.db', 'file'), new DatabaseReadOnly('/data', 'folder')]) {
      expect(startupFailure(error)).toEqual({ title: 'Pathwise cannot open your learning data', message: error.message })
      expect(error.message).toMatch(/^Pathwise cannot write to its data (file \/data\/pathwise\.db|folder \/data)\. Check that you own it/)
    }
  })

  it('a database error is recognised by its code, not its class', () => {
    expect(startupFailure({ code: 'DB_TOO_NEW', message: 'x' }).title).toBe('Pathwise cannot open your learning data')
  })

  it('any other failure says Pathwise could not start, without a stack trace', () => {
    const error = new Invalid('course.json is broken')
    const failure = startupFailure(error)
    expect(failure.title).toBe('Pathwise could not start')
    expect(failure.message).toContain('course.json is broken')
    expect(failure.message).not.toContain('    at ')
  })

  it('a thrown non-error is still described', () => {
    expect(startupFailure('disk full').message).toContain('disk full')
  })
})

describe('the sync server address', () => {
  it('is the one built into the release, unless PATHWISE_SYNC_URL names another', () => {
    expect(resolveSyncServerUrl({}, 'https://sync.pathwise.example/')).toEqual({ url: 'https://sync.pathwise.example/' })
    expect(resolveSyncServerUrl({ PATHWISE_SYNC_URL: 'https://self-hosted.example:8443' }, 'https://sync.pathwise.example/')).toEqual({
      url: 'https://self-hosted.example:8443/',
    })
    expect(resolveSyncServerUrl({ PATHWISE_SYNC_URL: '  ' }, 'https://sync.pathwise.example')).toEqual({ url: 'https://sync.pathwise.example/' })
  })

  it('is none when neither names one: the app works offline only', () => {
    expect(resolveSyncServerUrl({}, '')).toEqual({ url: null })
  })

  it('takes plain http only to this computer', () => {
    expect(resolveSyncServerUrl({ PATHWISE_SYNC_URL: 'http://127.0.0.1:8787' }, '')).toEqual({ url: 'http://127.0.0.1:8787/' })
    expect(resolveSyncServerUrl({ PATHWISE_SYNC_URL: 'http://localhost:8787/' }, '')).toEqual({ url: 'http://localhost:8787/' })
  })

  it.each([
    ['plain http to another machine', 'http://sync.example.com/'],
    ['credentials in the address', 'https://user:secret@sync.example.com/'],
    ['another scheme', 'file:///etc/passwd'],
    ['not an address', 'sync server'],
  ])('refuses %s, with a reason, and syncs nowhere', (_what, raw) => {
    const resolved = resolveSyncServerUrl({ PATHWISE_SYNC_URL: raw }, 'https://sync.pathwise.example/')
    expect(resolved.url).toBeNull()
    expect(resolved.problem).toMatch(/https:\/\//)
  })
})
