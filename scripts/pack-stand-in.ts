/**
 * Packs the app the way `npm run dist:linux` would, up to the point where the real Electron binary
 * matters: electron-builder's `--dir` target, Linux x64, around a stand-in Electron distribution.
 *
 * Used where Electron's release zips cannot be downloaded (CI's test run, this sandbox): everything
 * electron-builder adds around the binary (app.asar, the unpacked native modules, the extra
 * resources, app-update.yml) is its genuine output. Fuses are left out of this run only because
 * they are written into the real binary.
 */
import type { Configuration } from 'electron-builder'
import { execFile } from 'node:child_process'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { parse, stringify } from 'yaml'

const run = promisify(execFile)
const require = createRequire(import.meta.url)

/** Electron's Linux distribution as electron-builder sees it: it copies the folder and renames `electron`. */
async function standInElectron(dir: string): Promise<void> {
  await mkdir(join(dir, 'resources'), { recursive: true })
  await mkdir(join(dir, 'locales'), { recursive: true })
  await writeFile(join(dir, 'electron'), '#!/bin/sh\n')
  await chmod(join(dir, 'electron'), 0o755)
  for (const file of ['LICENSE', 'LICENSES.chromium.html', 'chrome-sandbox']) await writeFile(join(dir, file), '')
}

/**
 * Packs `root` (with its electron-builder.yml and an already built out/) into `work`; returns the
 * packaged app's resources folder (app.asar, app.asar.unpacked, courses, migrations, app-update.yml).
 */
export async function packWithStandInElectron(root: string, work: string): Promise<string> {
  const config = parse(await readFile(join(root, 'electron-builder.yml'), 'utf8')) as Configuration
  const electronDist = join(work, 'electron')
  await standInElectron(electronDist)
  const { version: electronVersion } = JSON.parse(await readFile(require.resolve('electron/package.json'), 'utf8')) as { version: string }
  const { electronFuses: _fuses, ...rest } = config
  const trial: Configuration = { ...rest, electronDist, electronVersion, directories: { ...config.directories, output: join(work, 'dist') } }
  const configFile = join(work, 'electron-builder.yml')
  await writeFile(configFile, stringify(trial))
  const cli = require.resolve('electron-builder/cli.js')
  try {
    await run(process.execPath, [cli, '--config', configFile, '--projectDir', root, '--linux', 'dir', '--x64', '--publish', 'never'], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    })
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string }
    throw new Error(`electron-builder failed:\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`, { cause: error })
  }
  return join(work, 'dist', 'linux-unpacked', 'resources')
}
