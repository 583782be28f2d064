/**
 * The learner's files are theirs alone: the data folder is 0700 and what Pathwise writes in it 0600,
 * as the session token always was (other local users could read pathwise.db, notes and all, at 0644).
 * An older version's looser folder and files are tightened when the app opens them; a chmod the system
 * refuses (a folder owned by someone else, a read-only disk) is logged and start-up goes on.
 *
 * Synchronous on purpose: a few stat calls at start-up, from callers (logging, the window state) that
 * are synchronous themselves. Windows has no such modes (the user profile's ACLs guard the folder),
 * so nothing is changed there.
 */
import { chmodSync, closeSync, constants, mkdirSync, openSync, statSync } from 'node:fs'

export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/** Group and other permission bits, and the sticky bit of a shared folder such as /tmp. */
const SHARED_BITS = 0o077
const STICKY_BIT = 0o1000

export interface PrivateOptions {
  /** Where a refused chmod is reported; console.warn by default (main's log in the desktop app). */
  warn?: (message: string) => void
  /** Tests stand in for a system that refuses; the real one is fs.chmodSync. */
  chmod?: (path: string, mode: number) => void
  platform?: NodeJS.Platform
}

/** Creates the folder (and any missing parent) 0700, or takes group and other access off an existing one. */
export function ensurePrivateDir(dir: string, options: PrivateOptions = {}): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  tighten(dir, options)
}

/**
 * Creates an empty file 0600 where there is none (O_CREAT|O_EXCL: never through one already there),
 * so what opens it next keeps that mode: SQLite gives a database's -wal and -shm the main file's mode.
 * True when it created the file.
 */
export function createPrivateFile(file: string): boolean {
  try {
    closeSync(openSync(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, PRIVATE_FILE_MODE))
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return false
  }
}

/** Takes group and other access off each of these files that exists; a missing one is skipped. */
export function tightenFiles(files: readonly string[], options: PrivateOptions = {}): void {
  for (const file of files) tighten(file, options)
}

function tighten(path: string, options: PrivateOptions): void {
  if ((options.platform ?? process.platform) === 'win32') return
  const warn = options.warn ?? ((message: string) => console.warn(message))
  let mode: number
  try {
    mode = statSync(path).mode
  } catch {
    return
  }
  if ((mode & SHARED_BITS) === 0) return
  if (mode & STICKY_BIT) {
    // A folder meant to be shared (/tmp given as --data): changing it would break everyone else's use.
    warn(`[pathwise] ${path} is a shared folder; its permissions are left as they are`)
    return
  }
  try {
    ;(options.chmod ?? chmodSync)(path, mode & 0o700)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    warn(`[pathwise] could not make ${path} readable by its owner only (${code}): ${(error as Error).message}`)
  }
}
