/** Small helpers of the sync benchmarks: timing the client's HTTP calls and reading the server's request log. */
import { performance } from 'node:perf_hooks'
import { requestLog, type RequestLogLine, type TestServer } from '../helpers/server'

export interface PathTiming {
  count: number
  /** Wall time from sending the request to having the whole answer body, summed. */
  ms: number
  bytes: number
}

const NULL_BODY_STATUS = new Set([101, 204, 205, 304])

/**
 * Replaces the global fetch with one that records, per URL path, the time until the whole body has
 * arrived. The sync client binds `fetch` when a core opens, so call this before opening the device.
 */
export function timeFetch(): { byPath: Map<string, PathTiming>; restore(): void } {
  const original = globalThis.fetch
  const byPath = new Map<string, PathTiming>()
  const timed: typeof fetch = async (input, init) => {
    const start = performance.now()
    const response = await original(input, init)
    const body = NULL_BODY_STATUS.has(response.status) ? null : await response.arrayBuffer()
    const url = input instanceof Request ? input.url : String(input)
    const path = new URL(url).pathname
    const entry = byPath.get(path) ?? { count: 0, ms: 0, bytes: 0 }
    entry.count++
    entry.ms += performance.now() - start
    entry.bytes += body?.byteLength ?? 0
    byPath.set(path, entry)
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  }
  globalThis.fetch = timed
  return {
    byPath,
    restore() {
      globalThis.fetch = original
    },
  }
}

/** The request log lines the server printed from stdout line `from` on (give the pipe a moment first). */
export async function serverRequests(server: TestServer, from: number, path?: string): Promise<RequestLogLine[]> {
  await new Promise((resolve) => setTimeout(resolve, 200))
  return requestLog(server, from, path)
}

export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0)

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Progress on stderr, so the table on stdout stays clean. */
export const note = (message: string) => process.stderr.write(`[sync bench] ${message}\n`)
