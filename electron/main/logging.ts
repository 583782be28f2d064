/**
 * The main process's log: <data folder>/logs/main.log, rotated to main.old.log beyond about 1 MB, so
 * a learner can send it with a bug report and it never grows without bound. console.* of the main
 * process (the core logs through it) goes there too; secrets are removed on the way (./log-redact).
 */
import { ipcMain } from 'electron'
import log from 'electron-log/main'
import { join } from 'node:path'
import { LOG_FILE, logFolder, prepareLogFolder } from './log-files'
import { redactLogValue } from './log-redact'

export const LOG_MAX_BYTES = 1024 * 1024

/** electron-log's channel for renderer-side logging, which this app does not use. */
const ELECTRON_LOG_CHANNEL = '__ELECTRON_LOG__'

export function setUpLogging(options: { dataDir: string; isDev: boolean }): void {
  // Before electron-log's first write, which would create the folder 0755; what it could not tighten
  // is logged once the log is there.
  const warnings: string[] = []
  prepareLogFolder(options.dataDir, (message) => warnings.push(message))
  log.transports.file.resolvePathFn = () => join(logFolder(options.dataDir), LOG_FILE)
  log.transports.file.maxSize = LOG_MAX_BYTES
  log.transports.file.level = options.isDev ? 'debug' : 'info'
  // Logs name files and courses of this learner: readable by them only.
  log.transports.file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' }
  log.transports.console.level = options.isDev ? 'debug' : 'warn'
  // In development electron-log mirrors main's log into every window's console; the page sees
  // nothing of main's internals, in development too.
  // (electron-log leaves the transport out where it finds no Electron.)
  if (log.transports.ipc) log.transports.ipc.level = false

  // Importing electron-log/main listens for log messages from renderers. Our preload exposes no way
  // to send them, but nothing should listen on a channel the contract does not declare.
  ipcMain.removeAllListeners(ELECTRON_LOG_CHANNEL)
  ipcMain.removeHandler(ELECTRON_LOG_CHANNEL)

  log.hooks.push((message) => ({ ...message, data: message.data.map(redactLogValue) }))
  log.errorHandler.startCatching({ showDialog: false })
  Object.assign(console, log.functions)
  for (const warning of warnings) console.warn(warning)
}
