/**
 * window-state.json in the data folder. Plain Node, synchronous on purpose: the file is a few dozen
 * bytes, and the last save happens while the window closes, when an unfinished asynchronous write
 * would be cut off by the quit. Never imports `electron` (tested in tests/integration).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { PRIVATE_DIR_MODE } from '../core/files/private-files'
import type { SavedWindowState } from './window-state'

export const WINDOW_STATE_FILE = 'window-state.json'

export const windowStateFile = (dataDir: string) => join(dataDir, WINDOW_STATE_FILE)

/** The parsed file, or null when it is missing or not JSON; its content is checked by restoreWindowPlacement. */
export function loadWindowState(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown
  } catch {
    return null
  }
}

/**
 * Writes the state to a temporary file beside it, then renames it over the old one: a crash or a full
 * disk leaves the previous state (or none), never half a file. Failures are reported, not thrown:
 * losing the window position is not worth interrupting anything.
 */
export function saveWindowState(file: string, state: SavedWindowState, onError: (error: unknown) => void = () => undefined): void {
  const temp = `${file}.${process.pid}.tmp`
  try {
    // A folder of the learner's only; the file itself is written 0600 (and the rename keeps that).
    mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE })
    writeFileSync(temp, `${JSON.stringify(state)}\n`, { mode: 0o600 })
    renameSync(temp, file)
  } catch (error) {
    try {
      rmSync(temp, { force: true })
    } catch {
      // The temp file stays behind; the next save overwrites it.
    }
    onError(error)
  }
}
