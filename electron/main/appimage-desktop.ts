/**
 * Sign-in links for an AppImage. A deb installs pathwise.desktop with MimeType=x-scheme-handler/pathwise,
 * but an AppImage installs nothing and may live anywhere, so without help a pathwise://auth/verify link
 * opens nothing. At start an AppImage writes its own entry into the learner's applications folder
 * (pathwise-appimage.desktop, pointing at $APPIMAGE) and makes it the scheme's default handler.
 *
 * The decisions (whether to write, where, what) are pure functions; registerAppImageHandler does the
 * file and the xdg tools. This module must never import `electron`: it is unit-tested in plain Node
 * (tests/unit/shell-appimage.test.ts).
 */
import { execFile } from 'node:child_process'
import { mkdir, readFile, stat } from 'node:fs/promises'
import { isAbsolute, join, posix } from 'node:path'
import { DEEP_LINK_SCHEME } from './deep-link'
import { writeFileAtomic } from '../core/files/atomic-write'

/**
 * Not pathwise.desktop: that is the deb's entry (package.json desktopName), which this must never
 * overwrite, and a learner who has both keeps both working.
 */
export const DESKTOP_FILE_NAME = 'pathwise-appimage.desktop'

export const SCHEME_MIME_TYPE = `x-scheme-handler/${DEEP_LINK_SCHEME}`

/** How the entry starts; only a file that starts so is ever rewritten (anything else is the learner's own). */
export const WRITTEN_BY_PATHWISE = '# Written by Pathwise'

/**
 * The icon theme name electron-builder gives the app (Icon=<executableName>, package.json "name"); the
 * deb installs it into hicolor. An AppImage's own icon lives in its mount point, which changes on every
 * run, so there is no stable file to point at: a missing theme icon shows the desktop's generic one.
 */
export const ICON_NAME = 'pathwise'

/** The window's app_id (package.json desktopName without .desktop), so docks can match it to this entry. */
export const WINDOW_CLASS = 'pathwise'

/** PATH_MAX on Linux; a longer value is not a path the kernel would have run. */
const MAX_PATH_LENGTH = 4096

export interface AppImageDesktopInput {
  platform: string
  isPackaged: boolean
  env: Readonly<Record<string, string | undefined>>
  homeDir: string
  version: string
}

export interface AppImageDesktopPlan {
  /** The AppImage's absolute path ($APPIMAGE), already checked by appImagePathProblem. */
  appImage: string
  /** The applications folder the entry goes in. */
  dir: string
  /** dir + DESKTOP_FILE_NAME. */
  file: string
  content: string
}

/**
 * The entry to write, or null when there is none: not Linux, a development build, not started from an
 * AppImage (no APPIMAGE), an APPIMAGE value that is not a safe AppImage path, or no applications folder.
 * Whether the file exists is checked where the file is written (registerAppImageHandler).
 */
export function appImageDesktopPlan(input: AppImageDesktopInput): AppImageDesktopPlan | null {
  if (input.platform !== 'linux' || !input.isPackaged) return null
  const appImage = input.env.APPIMAGE
  if (appImage === undefined || appImagePathProblem(appImage) !== null) return null
  const dir = applicationsDir(input.env, input.homeDir)
  if (dir === null) return null
  return { appImage, dir, file: join(dir, DESKTOP_FILE_NAME), content: desktopEntry({ appImage, version: input.version }) }
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/
const LONE_SURROGATE = /\p{Surrogate}/u

/**
 * Why `raw` is not an AppImage path this module will write into a desktop entry, or null when it is
 * one: an absolute, normalised path whose name ends in .AppImage, with no control characters (a
 * newline would start a new key in the entry, e.g. a second Exec) and valid Unicode (the file is UTF-8).
 */
export function appImagePathProblem(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length === 0) return 'APPIMAGE is empty'
  if (raw.length > MAX_PATH_LENGTH) return 'APPIMAGE is too long'
  if (CONTROL_CHARACTERS.test(raw)) return 'APPIMAGE contains control characters'
  if (LONE_SURROGATE.test(raw)) return 'APPIMAGE is not valid Unicode'
  if (!posix.isAbsolute(raw)) return 'APPIMAGE is not an absolute path'
  // `..`, `.`, `//` and a trailing slash: the runtime sets the real path, so anything else is not it.
  if (posix.normalize(raw) !== raw || raw.endsWith('/')) return 'APPIMAGE is not a normalised path'
  const name = posix.basename(raw)
  if (!name.toLowerCase().endsWith('.appimage') || name.length === '.appimage'.length) return 'APPIMAGE does not name an .AppImage file'
  return null
}

/**
 * `$XDG_DATA_HOME/applications`, or `~/.local/share/applications` when it is unset, empty or relative
 * (the Base Directory spec says a relative value is invalid and must be ignored). Null without either.
 */
export function applicationsDir(env: Readonly<Record<string, string | undefined>>, homeDir: string): string | null {
  const dataHome = env.XDG_DATA_HOME
  if (dataHome && isAbsolute(dataHome)) return join(dataHome, 'applications')
  if (!homeDir || !isAbsolute(homeDir)) return null
  return join(homeDir, '.local', 'share', 'applications')
}

/** A version as package.json has it; anything else is left out of the entry rather than escaped. */
const PLAIN_VERSION = /^[0-9A-Za-z.+~-]{1,64}$/

/**
 * The desktop entry for the AppImage at `appImage`. NoDisplay=true: the entry exists to receive links
 * (the spec's own use of NoDisplay, "associate this application with MIME types"), so it never adds a
 * second Pathwise to the menu beside the deb's or one made by AppImageLauncher. TryExec makes desktops
 * ignore the entry once the AppImage is deleted, instead of offering a handler that cannot start.
 * Exec passes %U so the link arrives in argv (deep-link.ts deepLinkFromArgv); no --no-sandbox, the
 * AppImage's own AppRun adds it where the sandbox cannot work.
 */
export function desktopEntry(options: { appImage: string; version: string }): string {
  const keys: [string, string][] = [
    ['Type', 'Application'],
    ['Name', 'Pathwise'],
    ['Comment', 'Opens Pathwise sign-in links'],
    ['Exec', execLine(options.appImage)],
    ['TryExec', options.appImage],
    ['Icon', ICON_NAME],
    ['Terminal', 'false'],
    ['NoDisplay', 'true'],
    ['Categories', 'Education;'],
    ['MimeType', `${SCHEME_MIME_TYPE};`],
    ['StartupWMClass', WINDOW_CLASS],
  ]
  if (PLAIN_VERSION.test(options.version)) keys.push(['X-AppImage-Version', options.version])
  const lines = [
    `${WRITTEN_BY_PATHWISE} so that pathwise: sign-in links open this AppImage.`,
    '# Pathwise updates it whenever the AppImage starts; once the AppImage is deleted, desktops ignore it.',
    '[Desktop Entry]',
  ]
  for (const [key, value] of keys) lines.push(`${key}=${escapeDesktopString(value)}`)
  return `${lines.join('\n')}\n`
}

/** Starts "$0" with the links: the program for paths GLib would not take as one (see execLine). */
const SH_LAUNCH = ['/bin/sh', '-c', 'exec "$0" "$@"'] as const

/**
 * The Exec value (before string escaping): the AppImage, then %U. GLib (GNOME, `gio open`) checks that
 * Exec's first word is a program before it turns %% back into %, so an AppImage path with a % in it
 * would make GLib drop the whole entry; such a path is handed to /bin/sh as $0 instead, as an argument
 * (never as part of the script), which GLib, KDE and the spec all read the same way.
 */
export function execLine(appImage: string): string {
  const program = appImage.includes('%') ? [...SH_LAUNCH, appImage] : [appImage]
  return `${program.map(quoteExecArg).join(' ')} %U`
}

/** Characters that may stand unquoted in an Exec argument (none of the spec's reserved characters). */
const UNQUOTED_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/

/**
 * One Exec argument by the Desktop Entry spec's quoting rules: quoted in double quotes unless every
 * character is plainly safe, with `"`, `` ` ``, `$` and `\` escaped by a backslash inside the quotes,
 * and every `%` doubled (a single one would start a field code such as %U). The Exec value is then a
 * string like any other, so escapeDesktopString applies on top: a literal backslash in a quoted
 * argument ends up as four in the file, as the spec says.
 */
export function quoteExecArg(arg: string): string {
  const percent = arg.replace(/%/g, '%%')
  if (UNQUOTED_SAFE.test(arg)) return percent
  return `"${percent.replace(/["`$\\]/g, '\\$&')}"`
}

/**
 * A value of type string: backslash, newline, tab and carriage return as \\, \n, \t, \r, and a leading
 * space as \s (it would be trimmed). Paths with control characters are refused before they get here;
 * this keeps any other value from breaking the line.
 */
export function escapeDesktopString(value: string): string {
  const escaped = value.replace(/[\\\n\t\r]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' })[c] ?? c)
  return escaped.startsWith(' ') ? `\\s${escaped.slice(1)}` : escaped
}

/** Variables the AppImage's AppRun prefixes with its own mount ($APPDIR) for Pathwise itself. */
const APPDIR_LISTS = ['PATH', 'LD_LIBRARY_PATH', 'XDG_DATA_DIRS', 'GSETTINGS_SCHEMA_DIR'] as const

/**
 * The environment for the system's xdg tools: the AppImage's own entries removed from the search paths
 * AppRun extended, so xdg-mime (a shell script calling gio, kbuildsycoca, …) runs the system's programs
 * against the system's libraries rather than those bundled for Electron.
 */
export function toolEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value
  const appDir = env.APPDIR
  if (!appDir || !isAbsolute(appDir)) return result
  const inAppDir = (entry: string) => entry === appDir || entry.startsWith(appDir.endsWith('/') ? appDir : `${appDir}/`)
  for (const name of APPDIR_LISTS) {
    const value = result[name]
    if (value === undefined) continue
    const kept = value.split(':').filter((entry) => entry !== '' && !inAppDir(entry))
    if (kept.length > 0) result[name] = kept.join(':')
    else delete result[name]
  }
  return result
}

/** Runs a program without a shell; rejects on a non-zero exit, a timeout, or when it is not installed. */
export type RunCommand = (command: string, args: readonly string[]) => Promise<{ stdout: string }>

export interface AppImageLog {
  info(message: string): void
  warn(message: string): void
}

/** xdg-mime can hang on a broken desktop session (it may start a D-Bus service); start-up never waits. */
export const TOOL_TIMEOUT_MS = 10_000

export function execFileRunner(env: Readonly<Record<string, string | undefined>>): RunCommand {
  const toolEnv = toolEnvironment(env)
  return (command, args) =>
    new Promise((resolve, reject) => {
      execFile(command, [...args], { env: toolEnv, timeout: TOOL_TIMEOUT_MS, encoding: 'utf8', maxBuffer: 64 * 1024 }, (error, stdout) => {
        if (error) reject(error)
        else resolve({ stdout })
      })
    })
}

export interface AppImageRegistration {
  /** written: new or changed; unchanged: already this content; foreign: a file Pathwise did not write, left alone. */
  entry: 'written' | 'unchanged' | 'foreign' | 'failed'
  /** set: made the default now; already: it was; failed: xdg-mime missing or failing; skipped: no entry to point at. */
  handler: 'set' | 'already' | 'failed' | 'skipped'
}

/**
 * Writes the entry when its content differs from the file's (atomically: a temporary file beside it,
 * mode 0644, renamed over it) and refreshes the folder's MIME cache when it did. A new or moved entry
 * is then made the scheme's default. An unchanged one is made the default only when `xdg-mime query`
 * names another, so a start from the same place rewrites neither file nor mimeapps.list, yet takes the
 * scheme back from another handler (the deb's, or Electron's own registration under pathwise.desktop):
 * the AppImage running now is the copy the learner uses. Never throws: failures are logged.
 */
export async function registerAppImageHandler(plan: AppImageDesktopPlan, deps: { run: RunCommand; log: AppImageLog }): Promise<AppImageRegistration> {
  const { run, log } = deps
  try {
    const info = await stat(plan.appImage)
    if (!info.isFile()) {
      log.warn(`[pathwise] APPIMAGE is not a regular file (${plan.appImage}); pathwise: links are not registered`)
      return { entry: 'failed', handler: 'skipped' }
    }
  } catch {
    log.warn(`[pathwise] APPIMAGE does not exist (${plan.appImage}); pathwise: links are not registered`)
    return { entry: 'failed', handler: 'skipped' }
  }

  const entry = await writeEntry(plan, log)
  if (entry === 'foreign' || entry === 'failed') return { entry, handler: 'skipped' }
  if (entry === 'written') await refreshMimeCache(plan.dir, run, log)
  if (entry === 'unchanged' && (await isDefault(run, log))) return { entry, handler: 'already' }
  return { entry, handler: await makeDefault(run, log) }
}

async function writeEntry(plan: AppImageDesktopPlan, log: AppImageLog): Promise<AppImageRegistration['entry']> {
  const current = await readFile(plan.file, 'utf8').catch(() => null)
  if (current === plan.content) return 'unchanged'
  if (current !== null && !current.startsWith(WRITTEN_BY_PATHWISE)) {
    log.warn(`[pathwise] ${plan.file} was not written by Pathwise; it is left as it is`)
    return 'foreign'
  }
  try {
    await mkdir(plan.dir, { recursive: true })
    // Readable by everyone (desktops read the entry), replaced in one rename.
    await writeFileAtomic(plan.file, plan.content, { mode: 0o644 })
    log.info(`[pathwise] wrote ${plan.file} for pathwise: links`)
    return 'written'
  } catch (error) {
    log.warn(`[pathwise] could not write ${plan.file}: ${describe(error)}`)
    return 'failed'
  }
}

/** Optional: desktops read the entries themselves, the cache only makes some of them notice sooner. */
async function refreshMimeCache(dir: string, run: RunCommand, log: AppImageLog): Promise<void> {
  try {
    await run('update-desktop-database', [dir])
  } catch (error) {
    if (isNotInstalled(error)) log.info('[pathwise] update-desktop-database is not installed; the MIME cache was not refreshed')
    else log.warn(`[pathwise] update-desktop-database failed: ${describe(error)}`)
  }
}

async function isDefault(run: RunCommand, log: AppImageLog): Promise<boolean> {
  try {
    const { stdout } = await run('xdg-mime', ['query', 'default', SCHEME_MIME_TYPE])
    return stdout.trim() === DESKTOP_FILE_NAME
  } catch (error) {
    // A failing query is no reason not to try setting it; a missing xdg-mime is reported once, there.
    if (!isNotInstalled(error)) log.warn(`[pathwise] xdg-mime query failed: ${describe(error)}`)
    return false
  }
}

async function makeDefault(run: RunCommand, log: AppImageLog): Promise<AppImageRegistration['handler']> {
  try {
    await run('xdg-mime', ['default', DESKTOP_FILE_NAME, SCHEME_MIME_TYPE])
    log.info(`[pathwise] ${DESKTOP_FILE_NAME} now opens pathwise: links`)
    return 'set'
  } catch (error) {
    if (isNotInstalled(error)) log.warn('[pathwise] xdg-mime is not installed (xdg-utils); pathwise: links may not open Pathwise')
    else log.warn(`[pathwise] xdg-mime default failed: ${describe(error)}`)
    return 'failed'
  }
}

/**
 * The one call main makes at start: does nothing unless this is a packaged app started from an
 * AppImage on Linux; explains a refused APPIMAGE value in the log. Never throws.
 */
export async function registerAppImageDesktopEntry(
  input: AppImageDesktopInput & { log: AppImageLog; run?: RunCommand },
): Promise<AppImageRegistration | null> {
  const plan = appImageDesktopPlan(input)
  if (plan === null) {
    const appImage = input.env.APPIMAGE
    if (input.platform === 'linux' && input.isPackaged && appImage !== undefined) {
      const problem = appImagePathProblem(appImage) ?? 'no applications folder (HOME and XDG_DATA_HOME are unset)'
      input.log.warn(`[pathwise] pathwise: links are not registered for this AppImage: ${problem}`)
    }
    return null
  }
  try {
    return await registerAppImageHandler(plan, { run: input.run ?? execFileRunner(input.env), log: input.log })
  } catch (error) {
    input.log.warn(`[pathwise] registering pathwise: links failed: ${describe(error)}`)
    return null
  }
}

function isNotInstalled(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'ENOENT'
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
