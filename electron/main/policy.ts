/**
 * The decisions the Electron shell makes, as pure functions: where the data lives, which folders hold
 * the bundled courses and migrations, what the window may load or navigate to, which links may be
 * handed to the operating system, and what the learner is told when start-up fails.
 *
 * This module must never import `electron`: it is unit-tested in plain Node
 * (tests/unit/shell-policy.test.ts) and imported by electron.vite.config.ts.
 */
import { isAbsolute, join, resolve } from 'node:path'

/** Environment variable that overrides Electron's userData folder (see DESIGN §5). */
export const DATA_DIR_ENV = 'PATHWISE_DATA_DIR'

/**
 * The data folder: `PATHWISE_DATA_DIR` when set (resolved against `cwd` if relative), otherwise
 * Electron's userData folder. Blank values are ignored so `PATHWISE_DATA_DIR=` does not mean "here".
 */
export function resolveDataDir(env: Readonly<Record<string, string | undefined>>, userDataDir: string, cwd = process.cwd()): string {
  const override = env[DATA_DIR_ENV]?.trim()
  if (!override) return userDataDir
  return isAbsolute(override) ? override : resolve(cwd, override)
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

/** What the main window loads: the dev server (development only) or the built page. */
export type RendererTarget = { kind: 'url'; url: string } | { kind: 'file'; path: string }

/** Dev-server hosts we accept from ELECTRON_RENDERER_URL: this machine only. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * The page to load. The dev server URL (set by `electron-vite dev`) is honoured only when the app is
 * not packaged and the URL is http(s) on a loopback host, so an inherited environment variable can
 * never make an installed Pathwise load remote content.
 */
export function resolveRendererTarget(options: { isPackaged: boolean; devServerUrl: string | undefined; rendererFile: string }): RendererTarget {
  const dev = options.isPackaged ? undefined : parseUrl(options.devServerUrl)
  if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && LOOPBACK_HOSTS.has(dev.hostname)) {
    return { kind: 'url', url: dev.href }
  }
  return { kind: 'file', path: options.rendererFile }
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
 * - `allow`: it is our own page (same dev-server origin, or the same built file ignoring query and hash);
 * - `external`: an http(s) link (e.g. in a lesson) that belongs in the learner's browser;
 * - `deny`: anything else.
 */
export function navigationDecision(target: string, appUrl: string): 'allow' | 'external' | 'deny' {
  const to = parseUrl(target)
  const app = parseUrl(appUrl)
  if (!to || !app) return 'deny'
  if (isSameAppPage(to, app)) return 'allow'
  return externalUrlToOpen(target) ? 'external' : 'deny'
}

function isSameAppPage(to: URL, app: URL): boolean {
  if (app.protocol === 'file:') {
    // file: URLs have an opaque ("null") origin: compare the document itself.
    const path = filePathOf(to)
    return to.protocol === 'file:' && to.host === app.host && path !== null && path === filePathOf(app)
  }
  if (app.protocol === 'http:' || app.protocol === 'https:') return to.origin === app.origin
  return false
}

/** The decoded path of a file: URL (the URL parser has already resolved `.` and `..`). */
function filePathOf(url: URL): string | null {
  try {
    return decodeURIComponent(url.pathname)
  } catch {
    return null
  }
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
 * <meta> (a test keeps them equal) and is sent as a header by the main process.
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

/** Codes of start-up errors that concern the learner's database file, which must be left untouched. */
const DATABASE_ERROR_CODES = new Set(['DB_CORRUPT', 'DB_TOO_NEW'])

export interface StartupFailure {
  title: string
  message: string
}

/**
 * What to tell the learner when the core cannot be opened. Database problems carry their own readable
 * message (which names the file and says it was left unchanged); anything else gets a short,
 * non-technical explanation plus the error's message, never a stack trace.
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
