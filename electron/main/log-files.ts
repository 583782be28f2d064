/**
 * Where main's log lives, readable by the learner only: it names their files and courses. Plain Node
 * (never imports electron), so tests check the modes on real files.
 */
import { join } from 'node:path'
import { ensurePrivateDir, tightenFiles } from '../core/files/private-files'

export const LOG_FILE = 'main.log'
/** The name electron-log gives the previous file when it rotates main.log. */
export const OLD_LOG_FILE = 'main.old.log'

export const logFolder = (dataDir: string) => join(dataDir, 'logs')

/**
 * Creates <data folder>/logs 0700 before electron-log does (it would create it 0755), and tightens a
 * log an older version wrote 0644; new log files are created 0600 (logging.ts's writeOptions).
 */
export function prepareLogFolder(dataDir: string, warn: (message: string) => void): void {
  const folder = logFolder(dataDir)
  ensurePrivateDir(dataDir, { warn })
  ensurePrivateDir(folder, { warn })
  tightenFiles([join(folder, LOG_FILE), join(folder, OLD_LOG_FILE)], { warn })
}
