/**
 * `npm start` and `npm run dev` (scripts/electron-vite.mjs): Electron's binary is fetched first, a
 * failed fetch ends in a short message with the ways out and exit code 1, and a binary that is there
 * is the one electron-vite starts. Real processes; the download goes to a closed port on this machine,
 * so no test here ever downloads Electron.
 */
import { spawn } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { electronPackageDir, electronStatus, executableInDist, firstErrorLine } from '../../scripts/electron-install.mjs'
import { ROOT } from '../helpers/paths'

const installed = electronStatus({ packageDir: electronPackageDir(), env: {}, platform: process.platform }).ok
const version = (JSON.parse(await readFile(join(electronPackageDir(), 'package.json'), 'utf8')) as { version: string }).version
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'

interface Run {
  code: number | null
  output: string
}

function run(command: string, args: string[], env: Record<string, string>, cwd = ROOT): Promise<Run> {
  return new Promise((resolve, reject) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'ELECTRON_OVERRIDE_DIST_PATH' && name !== 'ELECTRON_EXEC_PATH'))
    const child = spawn(command, args, { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output }))
  })
}

/** A loopback port with nothing listening: the download is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

const temps: string[] = []
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pathwise-start-'))
  temps.push(dir)
  return dir
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

function expectNoStackTrace(output: string) {
  expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  expect(output).not.toContain('Electron uninstall')
}

describe.skipIf(installed)('without Electron and without a way to download it', () => {
  if (installed) console.warn('[start-commands] SKIPPED the failed-download test: Electron is installed here, so `npm start` would start it')

  for (const script of ['start', 'run dev']) {
    test(`npm ${script} says what failed and the ways out, and exits 1`, async () => {
      const env = { ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`, electron_config_cache: await tempDir() }
      const { code, output } = await run(NPM, script.split(' '), env)
      expect(code).toBe(1)
      expect(output).toContain(`Downloading Electron ${version} for ${process.platform}-${process.arch}`)
      expect(output).toContain(`Pathwise cannot start: Electron ${version} (${process.platform}-${process.arch}, about 100 MB) is not installed here, and downloading it failed.`)
      expect(output).toMatch(/Reason: no connection to the download server \(TypeError: fetch failed\)/)
      for (const wayOut of ['Connect to the internet', 'HTTPS_PROXY', 'ELECTRON_GET_USE_PROXY=true', 'ELECTRON_MIRROR', 'ELECTRON_OVERRIDE_DIST_PATH', 'npm run web']) {
        expect(output).toContain(wayOut)
      }
      expectNoStackTrace(output)
      // Nothing half-installed is left behind to be taken for a binary next time.
      expect(electronStatus({ packageDir: electronPackageDir(), env: {}, platform: process.platform }).ok).toBe(false)
      // The installer's own output, with its stack, is kept for whoever wants it.
      expect(await readFile(join(ROOT, '.tmp', 'electron-install.log'), 'utf8')).toContain('fetch failed')
    })
  }
})

describe('with ELECTRON_OVERRIDE_DIST_PATH', () => {
  test('a folder without Electron in it is named, with exit code 1 and no download', async () => {
    const empty = await tempDir()
    const { code, output } = await run(NPM, ['start'], { ELECTRON_OVERRIDE_DIST_PATH: empty })
    expect(code).toBe(1)
    expect(output).toContain(`ELECTRON_OVERRIDE_DIST_PATH is set, but there is no Electron at ${join(empty, executableInDist(process.platform))}`)
    expect(output).not.toContain('Downloading Electron')
    expectNoStackTrace(output)
  })

  // The stand-in is a shell script; on Windows Electron is an .exe.
  test.skipIf(process.platform === 'win32')('a binary that is there is the one electron-vite starts, and its exit code comes back', async () => {
    const dist = await tempDir()
    const app = await tempDir()
    const record = join(app, 'started.txt')
    const binary = join(dist, executableInDist(process.platform))
    await mkdir(join(binary, '..'), { recursive: true })
    await writeFile(binary, `#!/bin/sh\nprintf '%s\\n' "$PWD" "$@" > '${record}'\nexit 7\n`)
    await chmod(binary, 0o755)
    // electron-vite checks the app's entry file before it starts Electron.
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'stand-in', main: 'main.js' }))
    await writeFile(join(app, 'main.js'), '')

    const { code, output } = await run(process.execPath, [join(ROOT, 'scripts', 'electron-vite.mjs'), 'preview', '--skipBuild', app], { ELECTRON_OVERRIDE_DIST_PATH: dist }, app)
    expect(output).not.toContain('Downloading Electron')
    expect(code).toBe(7)
    const [cwd, ...args] = (await readFile(record, 'utf8')).trim().split('\n')
    expect(await realpath(cwd ?? '')).toBe(await realpath(app))
    expect(args).toEqual(['.'])
  })
})

test('npm ci stays offline: the project runs nothing at install time, and the start commands fetch Electron instead', async () => {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[hook], hook).toBeUndefined()
  expect(pkg.scripts.start).toBe('node scripts/electron-vite.mjs preview')
  expect(pkg.scripts.dev).toBe('node scripts/electron-vite.mjs dev')
})

test('the reason shown is the error line, never a stack frame', () => {
  expect(firstErrorLine('\nTypeError: fetch failed\n    at node:internal/deps/undici:1:1\n')).toBe('TypeError: fetch failed')
  expect(firstErrorLine('   at x (y.js:1:2)\n')).toBeNull()
})
