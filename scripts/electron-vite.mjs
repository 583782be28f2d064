#!/usr/bin/env node
// `npm start` and `npm run dev`: make sure Electron's binary is here (downloading it once with
// Electron's own installer), then run `electron-vite <command>` on it. electron-vite 6 only reads
// node_modules/electron/path.txt and never downloads, so without this a fresh clone cannot start.
//
//   node scripts/electron-vite.mjs preview|dev [electron-vite options]
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { electronMissingMessage, electronPackageDir, electronStatus, runElectronInstaller } from './electron-install.mjs'

const PROJECT_DIR = fileURLToPath(new URL('..', import.meta.url))
const LOG_FILE = join(PROJECT_DIR, '.tmp', 'electron-install.log')

const args = process.argv.slice(2)
if (args.length === 0) {
  console.error('usage: node scripts/electron-vite.mjs preview|dev [electron-vite options]')
  process.exit(2)
}

const packageDir = electronPackageDir()
const where = { packageDir, env: process.env, platform: process.platform }
let status = electronStatus(where)
if (!status.ok && status.missing === 'download') {
  console.log(`Downloading Electron ${status.version} for ${process.platform}-${process.arch} (once, about 100 MB)…`)
  const installed = runElectronInstaller({ packageDir, env: process.env, logFile: LOG_FILE })
  status = installed.ok ? electronStatus(where) : { ...status, reason: installed.reason, logFile: LOG_FILE }
}
if (!status.ok) {
  console.error(`\n${electronMissingMessage({ ...status, platform: process.platform, arch: process.arch })}\n`)
  process.exit(1)
}

// electron-vite takes the binary from ELECTRON_EXEC_PATH before looking for path.txt, so an
// ELECTRON_OVERRIDE_DIST_PATH binary is the one it starts too. Its CLI runs in this process (it reads
// process.argv), which spares a second Node start-up: the whole check costs about a millisecond.
process.env.ELECTRON_EXEC_PATH = status.binary
const electronVite = join(dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js')
process.argv = [process.argv[0], electronVite, ...args]
await import(pathToFileURL(electronVite).href)
