/** Starts and stops the real loopback host (`npm run web`) as a child process, on a free port. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { UpdaterEvent } from '../../../electron/core/updates/port'
import { TEST_UPDATER_PREFIX, type TestUpdaterCall } from '../../../scripts/test-updater'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface RunningHost {
  url: string
  dataDir: string
  /** With `testUpdater`: the release feed the host's scripted updater follows (scripts/test-updater.ts). */
  updater: TestUpdater | null
  stop(): Promise<void>
}

export interface TestUpdater {
  /** Makes the host's updater report this, as electron-updater would. */
  emit(event: UpdaterEvent): void
  /** Every call the update controller made on the updater so far, in order. */
  calls(): TestUpdaterCall[]
}

export async function newDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'pathwise-e2e-'))
}

/**
 * Starts the host on `dataDir`; with `syncUrl` the learner can sign in and sync against that server,
 * with `testUpdater` its updates run against a scripted updater the test feeds, and with `testSaveDialog`
 * "Export my data" saves through the core to the path written in that file (both TEST ONLY flags);
 * with `coursesDir` it serves the course packs in that folder instead of the bundled ones.
 */
export async function startHost(
  dataDir: string,
  syncUrl?: string,
  options: { testUpdater?: boolean; testSaveDialog?: string; coursesDir?: string } = {},
): Promise<RunningHost> {
  const args = [
    '--import',
    'tsx',
    'scripts/web.ts',
    '--port',
    '0',
    '--data',
    dataDir,
    ...(syncUrl ? ['--sync-url', syncUrl] : []),
    ...(options.testUpdater ? ['--test-updater'] : []),
    ...(options.testSaveDialog ? ['--test-save-dialog', options.testSaveDialog] : []),
    ...(options.coursesDir ? ['--courses', options.coursesDir] : []),
  ]
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: [options.testUpdater ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const calls: TestUpdaterCall[] = []
  let pending = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) if (line.startsWith(`${TEST_UPDATER_PREFIX} `)) calls.push(line.slice(TEST_UPDATER_PREFIX.length + 1).trim() as TestUpdaterCall)
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 30_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`host exited with ${code}:\n${output}`))
    })
  })
  const stdin = child.stdin
  return {
    url,
    dataDir,
    updater: stdin ? { emit: (event) => void stdin.write(`${JSON.stringify(event)}\n`), calls: () => [...calls] } : null,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        // A host that ignores SIGTERM (stuck on a sync server that vanished) must not hang the suite.
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        child.once('exit', () => {
          clearTimeout(killer)
          resolve()
        })
        child.kill('SIGTERM')
      }),
  }
}

/** The per-run token the host writes into the page. */
export async function tokenOf(hostUrl: string): Promise<string> {
  const html = await (await fetch(hostUrl)).text()
  const token = /name="pathwise-token" content="([^"]+)"/.exec(html)?.[1]
  if (!token) throw new Error('the page carries no token')
  return token
}
