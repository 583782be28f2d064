// Electron's binary, for the start commands. Electron 45 no longer downloads it when `npm ci` installs
// the package (so `npm ci` works offline); its own `install-electron` fetches it on demand, and
// electron-vite's dev/preview never do. This module says whether the binary is there and, if not,
// runs Electron's own installer and turns a failure into a short message with the ways out.
// Plain JavaScript (no tsx): the check runs before every `npm start` and must cost nothing.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** The installed electron package's folder. */
export function electronPackageDir() {
  return dirname(createRequire(import.meta.url).resolve('electron/package.json'))
}

/** The executable inside Electron's dist folder, per platform (as electron/install.js names it). */
export function executableInDist(platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron'
  if (platform === 'win32') return 'electron.exe'
  return 'electron'
}

/**
 * Where the binary is, or why it is not usable. ELECTRON_OVERRIDE_DIST_PATH (a folder holding an
 * Electron the learner already has) wins over the package's own dist/, as it does for `require('electron')`.
 * @param {{ packageDir: string, env: Record<string, string | undefined>, platform: string }} options
 * @returns {{ ok: true, binary: string } | { ok: false, missing: 'override' | 'download', binary: string, version: string }}
 */
export function electronStatus({ packageDir, env, platform }) {
  const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version
  const relative = executableInDist(platform)
  const override = env.ELECTRON_OVERRIDE_DIST_PATH?.trim()
  if (override) {
    const binary = join(override, relative)
    return existsSync(binary) ? { ok: true, binary } : { ok: false, missing: 'override', binary, version }
  }
  const binary = join(packageDir, 'dist', relative)
  const installedVersion = readText(join(packageDir, 'dist', 'version'))?.replace(/^v/, '')
  const recorded = readText(join(packageDir, 'path.txt'))
  const complete = installedVersion === version && recorded === relative && existsSync(binary)
  return complete ? { ok: true, binary } : { ok: false, missing: 'download', binary, version }
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8').trim()
  } catch {
    return null
  }
}

/**
 * Runs Electron's own installer (node_modules/electron/install.js, the `install-electron` bin). Its
 * output is kept in `logFile`; the first line of its error is the reason shown to the learner.
 * @returns {{ ok: true } | { ok: false, reason: string }}
 */
export function runElectronInstaller({ packageDir, env, logFile }) {
  const result = spawnSync(process.execPath, [join(packageDir, 'install.js')], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
  mkdirSync(dirname(logFile), { recursive: true })
  writeFileSync(logFile, output)
  if (result.status === 0) return { ok: true }
  const line = firstErrorLine(output) ?? result.error?.message ?? `the installer exited with code ${result.status}`
  // undici says only "fetch failed" when it reaches no server at all.
  return { ok: false, reason: /fetch failed$/.test(line) ? `no connection to the download server (${line})` : line }
}

/** The error's own line, without the stack frames under it. */
export function firstErrorLine(output) {
  return output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line.length > 0 && !line.startsWith('at ')) ?? null
}

/**
 * What the learner reads when Electron is not there and cannot be had: what failed, then the ways out.
 * @param {{ missing: 'override' | 'download', binary: string, version: string, reason?: string, logFile?: string, platform: string, arch: string }} failure
 */
export function electronMissingMessage(failure) {
  if (failure.missing === 'override') {
    return [
      `Pathwise cannot start: ELECTRON_OVERRIDE_DIST_PATH is set, but there is no Electron at ${failure.binary}.`,
      `Point it at the folder that holds Electron ${failure.version}'s ${executableInDist(failure.platform)}, or unset it to download Electron.`,
    ].join('\n')
  }
  return [
    `Pathwise cannot start: Electron ${failure.version} (${failure.platform}-${failure.arch}, about 100 MB) is not installed here, and downloading it failed.`,
    `  Reason: ${failure.reason ?? 'unknown'}${failure.logFile ? ` (full output: ${failure.logFile})` : ''}`,
    'Ways out:',
    '  - Connect to the internet and run the command again; Electron is downloaded once, into node_modules/electron/dist.',
    '  - Behind a proxy: set HTTPS_PROXY and ELECTRON_GET_USE_PROXY=true. Where the download site is blocked: set ELECTRON_MIRROR',
    "    to a mirror of Electron's releases.",
    `  - Use an Electron ${failure.version} you already have: set ELECTRON_OVERRIDE_DIST_PATH to the folder that holds its ${executableInDist(failure.platform)}.`,
    '  - Without Electron, the same app runs in a browser: npm run web -- --port 5180 --data ./data (see the README).',
  ].join('\n')
}
