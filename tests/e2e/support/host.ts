/** Starts and stops the real loopback host (`npm run web`) as a child process, on a free port. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface RunningHost {
  url: string
  dataDir: string
  stop(): Promise<void>
}

export async function newDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'pathwise-e2e-'))
}

/** Starts the host on `dataDir`; with `syncUrl` the learner can sign in and sync against that server. */
export async function startHost(dataDir: string, syncUrl?: string): Promise<RunningHost> {
  const args = ['--import', 'tsx', 'scripts/web.ts', '--port', '0', '--data', dataDir, ...(syncUrl ? ['--sync-url', syncUrl] : [])]
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
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
  return {
    url,
    dataDir,
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
