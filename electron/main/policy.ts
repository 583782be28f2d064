/**
 * The decisions the Electron shell makes, as pure functions: where the data lives, which folders hold
 * the bundled courses and migrations, what the window may load or navigate to, which links may be
 * handed to the operating system, and what the learner is told when start-up fails.
 *
 * This module must never import `electron`: it is unit-tested in plain Node
 * (tests/unit/shell-policy.test.ts) and imported by electron.vite.config.ts.
 */
import { isAbsolute, join, resolve } from 'node:path'

/** Environment variable that overrides Electron's userData folder. */
export const DATA_DIR_ENV = 'PATHWISE_DATA_DIR'

/** The name a development build adds to userData's folder name (`Pathwise` → `Pathwise (development)`). */
export const DEVELOPMENT_DATA_SUFFIX = ' (development)'

/**
 * The data folder: `PATHWISE_DATA_DIR` when set (resolved against `cwd` if relative), otherwise
 * Electron's userData folder for the installed app, and a folder beside it for a development build
 * (`npm start`, `npm run dev`). The single-instance lock lives in the data folder too, so a
 * development build neither quits because the installed app runs, nor migrates the learner's real
 * database to a version the installed app would refuse as too new. Blank values are ignored so
 * `PATHWISE_DATA_DIR=` does not mean "here".
 */
export function resolveDataDir(options: { env: Readonly<Record<string, string | undefined>>; userDataDir: string; isPackaged: boolean; cwd?: string }): string {
  const override = options.env[DATA_DIR_ENV]?.trim()
  if (override) return isAbsolute(override) ? override : resolve(options.cwd ?? process.cwd(), override)
  return options.isPackaged ? options.userDataDir : `${options.userDataDir}${DEVELOPMENT_DATA_SUFFIX}`
}

/** Environment variable naming the sync server, over the address built into the release. */
export const SYNC_URL_ENV = 'PATHWISE_SYNC_URL'

/**
 * The sync server this app signs in and syncs with: `PATHWISE_SYNC_URL` when set (development, tests,
 * self-hosting), otherwise the address built into the release (PATHWISE_DEFAULT_SYNC_URL when it was
 * built; empty means the build syncs nowhere and works offline only). Only https, or http to this
 * machine: the session token travels with every request.
 */
export function resolveSyncServerUrl(env: Readonly<Record<string, string | undefined>>, builtIn: string): { url: string | null; problem?: string } {
  const raw = env[SYNC_URL_ENV]?.trim() || builtIn.trim()
  if (!raw) return { url: null }
  const url = parseUrl(raw)
  const secure = url && (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)))
  if (!url || !secure || url.username || url.password) {
    return { url: null, problem: 'The sync server address must be an https:// URL (or http:// to this computer); syncing is off.' }
  }
  return { url: url.href }
}

export interface ResourceDirs {
  coursesDir: string
  migrationsDir: string
}

/**
 * Bundled course packs and migrations. In a packaged app electron-builder copies them next to the
 * asar as extraResources (`<resources>/courses`, `<resources>/migrations`); in development they are
 * read from the project root (`resources/courses`, `migrations`).
 */
export function resolveResourceDirs(options: { isPackaged: boolean; appPath: string; resourcesPath: string }): ResourceDirs {
  if (options.isPackaged) {
    return { coursesDir: join(options.resourcesPath, 'courses'), migrationsDir: join(options.resourcesPath, 'migrations') }
  }
  return { coursesDir: join(options.appPath, 'resources', 'courses'), migrationsDir: join(options.appPath, 'migrations') }
}

/**
 * The built renderer is served by the app's own protocol, `app://pathwise/…` (registered as a
 * standard, secure scheme, so the page has a real origin and CSP 'self' means exactly these files).
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'pathwise'
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/**
 * What the main window loads: the dev server (development only) or the built renderer, served from
 * `rootDir` through the app's own `app://` protocol (see ./renderer-files), never from file: URLs.
 */
export type RendererTarget = { kind: 'dev'; url: string } | { kind: 'app'; url: string; rootDir: string }

/** Dev-server hosts we accept from ELECTRON_RENDERER_URL: this machine only. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * The page to load. The dev server URL (set by `electron-vite dev`) is honoured only when the app is
 * not packaged and the URL is http(s) on a loopback host, so an inherited environment variable can
 * never make an installed Pathwise load remote content.
 */
export function resolveRendererTarget(options: { isPackaged: boolean; devServerUrl: string | undefined; rendererDir: string }): RendererTarget {
  const dev = options.isPackaged ? undefined : parseUrl(options.devServerUrl)
  if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && LOOPBACK_HOSTS.has(dev.hostname)) {
    return { kind: 'dev', url: dev.href }
  }
  return { kind: 'app', url: APP_ENTRY_URL, rootDir: options.rendererDir }
}

/** The URL the window's page lives at (what navigation and IPC sender checks compare against). */
export function appUrlOf(target: RendererTarget): string {
  return target.url
}

/**
 * A link the app may hand to `shell.openExternal`: only http: and https: URLs without embedded
 * credentials. Returns the normalised URL to open, or null to refuse (javascript:, file:, data:,
 * custom protocols such as ms-msdt: or smb:, malformed input).
 */
export function externalUrlToOpen(raw: string): string | null {
  const url = parseUrl(raw)
  if (!url) return null
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
  if (!url.hostname || url.username || url.password) return null
  return url.href
}

/**
 * What to do when the window tries to navigate to `target`, given the app's own page `appUrl`:
 * - `allow`: it is our own page (the same app:// document ignoring query and hash, or the same
 *   dev-server origin in development);
 * - `external`: an http(s) link (e.g. in a lesson) that belongs in the learner's browser;
 * - `deny`: anything else (other app:// files, file:, data:, javascript:, custom protocols, …).
 */
export function navigationDecision(target: string, appUrl: string): 'allow' | 'external' | 'deny' {
  const to = parseUrl(target)
  const app = parseUrl(appUrl)
  if (!to || !app) return 'deny'
  if (isSameAppPage(to, app)) return 'allow'
  return externalUrlToOpen(target) ? 'external' : 'deny'
}

function isSameAppPage(to: URL, app: URL): boolean {
  if (app.protocol === 'http:' || app.protocol === 'https:') return to.origin === app.origin
  // A custom scheme has an opaque origin in the WHATWG parser ("null" for every app:// URL), so the
  // document itself is compared; the parser has already resolved `.`, `..` and their %2e forms.
  return to.protocol === app.protocol && to.host === app.host && !to.username && !to.password && to.pathname === app.pathname
}

/**
 * What happens when the page asks for a new window (window.open, target=_blank, middle-click):
 * never a new Electron window; an http(s) link is handed to the learner's browser instead.
 */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: string | null } {
  return { action: 'deny', openExternally: externalUrlToOpen(url) }
}

/**
 * Whether a web permission (camera, microphone, notifications, geolocation, clipboard, MIDI, …) is
 * granted. Pathwise needs none, so both the request and the check handler refuse everything; one
 * function keeps the two handlers from ever disagreeing.
 */
export function permissionDecision(_permission: string): false {
  return false
}

function parseUrl(raw: string | undefined): URL | null {
  if (typeof raw !== 'string' || raw.length === 0) return null
  try {
    return new URL(raw)
  } catch {
    return null
  }
}

/**
 * The Content-Security-Policy of the built renderer. The same string is in renderer/index.html as a
 * <meta> (a test keeps them equal) and is sent as a header with every app:// response.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The policy while `electron-vite dev` serves the renderer: Vite's HMR client connects over a
 * websocket to the loopback dev server, and @vitejs/plugin-react injects an inline module script
 * (the React Refresh preamble). Never used for a built page.
 */
export const DEV_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws://localhost:* ws://127.0.0.1:* http://localhost:* http://127.0.0.1:*",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Codes of start-up errors that concern the learner's database file or its folder, which must be left untouched. */
const DATABASE_ERROR_CODES = new Set(['DB_CORRUPT', 'DB_TOO_NEW', 'DB_READ_ONLY'])

export interface StartupFailure {
  title: string
  message: string
}

/**
 * What to tell the learner when the core cannot be opened. Database problems carry their own readable
 * message (which names the file or folder, says what to do and that it was left unchanged); anything
 * else gets a short, non-technical explanation plus the error's message, never a stack trace.
 */
export function startupFailure(error: unknown): StartupFailure {
  const code = errorCode(error)
  const message = error instanceof Error ? error.message : String(error)
  if (code && DATABASE_ERROR_CODES.has(code)) {
    return { title: 'Pathwise cannot open your learning data', message }
  }
  return {
    title: 'Pathwise could not start',
    message: `Something went wrong while opening your learning data, so Pathwise has to close.\n\nDetails: ${message}`,
  }
}

function errorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null
  const { code } = error as { code: unknown }
  return typeof code === 'string' ? code : null
}
