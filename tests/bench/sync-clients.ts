/**
 * Many learners at once: 200 accounts, each a client looping for 30 s: push one small mutation (time
 * on a real lesson, the next mutation id), then pull from its cursor, then a short pause. Every
 * request's latency is recorded, and every non-2xx answer or network error counted. Before the
 * crowd, one client alone does the same loop: its latencies are the service time the crowd's are
 * compared with.
 *
 * The 200 clients share this one process (and this machine's cores with the server), where 200 real
 * devices would each have their own. So they speak HTTP through node:http with keep-alive
 * connections, which costs a fraction of fetch per request: with fetch, this process needed most of a
 * core and its own queueing showed up as server latency.
 */
import { randomUUID } from 'node:crypto'
import { Agent, request as httpRequest } from 'node:http'
import { performance } from 'node:perf_hooks'
import { loadCatalog } from '../../electron/core/catalog/catalog'
import type { PullAnswer } from '../../electron/core/sync/protocol'
import { COURSES_DIR } from '../helpers/paths'
import { signIn, startServer, type TestServer } from '../helpers/server'
import { percentile, round, type BenchResult } from './measure'
import { note, serverRequests, sleep } from './sync-util'

export const CLIENTS = 200
const DURATION_MS = 30_000
/** A hard stop whatever happens: no run sends more than this many requests. */
const MAX_REQUESTS = 400_000
/** The pause after each push + pull: uniformly random in [PAUSE_MIN_MS, PAUSE_MAX_MS). */
const PAUSE_MIN_MS = 100
const PAUSE_MAX_MS = 300
/** The desktop sync client's own timeout (electron/core/sync/http.ts): a request slower than this fails there too. */
const REQUEST_TIMEOUT_MS = 20_000
const SIGN_IN_CONCURRENCY = 8
const P99_TARGET_MS = 250

interface Client {
  token: string
  clientId: string
  nextId: number
  cursor: string | null
}

interface Tally {
  latencies: number[]
  push: number[]
  pull: number[]
  errors: number
  errorKinds: Map<string, number>
  requests: number
}

const newTally = (): Tally => ({ latencies: [], push: [], pull: [], errors: 0, errorKinds: new Map(), requests: 0 })

/** One keep-alive connection per client at most: each client has one request in flight at a time. */
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS + 1 })

/** POSTs `body` as JSON; resolves with the status and the whole answer's text. */
function post(url: URL, token: string, body: unknown): Promise<{ status: number; text: string }> {
  const payload = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${token}` },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })))
    req.on('error', reject)
    req.end(payload)
  })
}

/** One request; its latency goes to the tally, a non-2xx answer or a failure counts as an error. */
async function request<T>(server: TestServer, tally: Tally, kind: 'push' | 'pull', token: string, body: unknown): Promise<T | null> {
  tally.requests++
  const start = performance.now()
  let failure: string | null = null
  let parsed: T | null = null
  try {
    const { status, text } = await post(new URL(`/v1/sync/${kind}`, server.url), token, body)
    if (status >= 200 && status < 300) parsed = JSON.parse(text) as T
    else failure = `${kind} ${status}`
  } catch (e) {
    // The system's code where there is one (ECONNRESET, …): it says which side gave up.
    failure = `${kind} ${e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.name) : 'error'}`
  }
  const ms = performance.now() - start
  tally.latencies.push(ms)
  tally[kind].push(ms)
  if (failure) {
    tally.errors++
    tally.errorKinds.set(failure, (tally.errorKinds.get(failure) ?? 0) + 1)
  }
  return parsed
}

async function signInAll(server: TestServer, count: number): Promise<Client[]> {
  const clients: Client[] = []
  const stamp = Date.now()
  let next = 0
  await Promise.all(
    Array.from({ length: SIGN_IN_CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++
        const { token } = await signIn(server, `crowd-${stamp}-${i}@example.com`)
        clients.push({ token, clientId: randomUUID(), nextId: 1, cursor: null })
      }
    }),
  )
  return clients
}

export async function benchConcurrentClients(): Promise<BenchResult[]> {
  // Every simulated device connects from 127.0.0.1: the per-address connection cap (20) is off here.
  const server = await startServer({ env: { RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_EMAIL: '1000', MAX_CONNECTIONS_PER_ADDRESS: '0' } })
  try {
    const catalog = await loadCatalog(COURSES_DIR)
    const lessons = catalog.courses.flatMap((c) => c.lessons.map((l) => ({ courseId: c.id, lessonId: l.id })))
    const signInStart = performance.now()
    const clients = await signInAll(server, CLIENTS + 1)
    note(`clients: ${clients.length} accounts signed in in ${Math.round(performance.now() - signInStart)} ms`)
    const solo = clients.pop() as Client

    let stop = false
    const loop = async (client: Client, tally: Tally, deadline: number, pause: () => number) => {
      await sleep(pause()) // the clients do not start in lockstep
      while (!stop && performance.now() < deadline && tally.requests < MAX_REQUESTS) {
        const lesson = lessons[Math.floor(Math.random() * lessons.length)] as (typeof lessons)[number]
        const at = Math.floor(Date.now() / 1000)
        const mutation = { id: client.nextId++, name: 'lesson.addTime', args: { ...lesson, seconds: 5 + Math.floor(Math.random() * 55), at, tz: 'UTC' }, createdAt: at }
        await request(server, tally, 'push', client.token, { clientId: client.clientId, mutations: [mutation] })
        const page = await request<PullAnswer>(server, tally, 'pull', client.token, { clientId: client.clientId, cursor: client.cursor })
        if (page) client.cursor = page.cursor
        await sleep(pause())
      }
    }

    // One client alone: the service time without queueing.
    const alone = newTally()
    await loop(solo, alone, performance.now() + 5_000, () => 20)

    // The crowd.
    const tally = newTally()
    const logFrom = server.stdout.length
    const started = performance.now()
    const deadline = started + DURATION_MS
    const guard = setTimeout(() => (stop = true), DURATION_MS + REQUEST_TIMEOUT_MS)
    await Promise.all(clients.map((c) => loop(c, tally, deadline, () => PAUSE_MIN_MS + Math.random() * (PAUSE_MAX_MS - PAUSE_MIN_MS))))
    clearTimeout(guard)
    const elapsed = performance.now() - started
    const log = await serverRequests(server, logFrom)
    const serverMs = (path: string) => log.filter((l) => l.path === path).map((l) => l.ms).sort((a, b) => a - b)

    const all = [...tally.latencies].sort((a, b) => a - b)
    const push = [...tally.push].sort((a, b) => a - b)
    const pull = [...tally.pull].sort((a, b) => a - b)
    const soloPush = [...alone.push].sort((a, b) => a - b)
    const soloPull = [...alone.pull].sort((a, b) => a - b)
    const serverPush = serverMs('/v1/sync/push')
    const serverPull = serverMs('/v1/sync/pull')
    note(
      `clients: ${tally.requests} requests in ${Math.round(elapsed)} ms, p50 ${round(percentile(all, 50), 1)} ms, p99 ${round(percentile(all, 99), 1)} ms, errors ${tally.errors} ${JSON.stringify(Object.fromEntries(tally.errorKinds))}`,
    )
    note(`clients: one client alone: push p50 ${round(percentile(soloPush, 50), 2)} ms, pull p50 ${round(percentile(soloPull, 50), 2)} ms`)
    const p99 = percentile(all, 99)
    return [
      { name: 'sync 200 clients requests', value: tally.requests, unit: 'requests' },
      { name: 'sync 200 clients throughput', value: Math.round(tally.requests / (elapsed / 1000)), unit: 'requests/s' },
      { name: 'sync 200 clients p50', value: round(percentile(all, 50), 1), unit: 'ms' },
      { name: 'sync 200 clients p99', value: round(p99, 1), unit: 'ms' },
      { name: 'sync 200 clients errors', value: tally.errors, unit: 'errors' },
      { name: 'sync 200 clients target met (p99 <= 250 ms, 0 errors)', value: p99 <= P99_TARGET_MS && tally.errors === 0 ? 1 : 0, unit: 'bool' },
      { name: 'sync 200 clients push p50', value: round(percentile(push, 50), 1), unit: 'ms' },
      { name: 'sync 200 clients push p99', value: round(percentile(push, 99), 1), unit: 'ms' },
      { name: 'sync 200 clients pull p50', value: round(percentile(pull, 50), 1), unit: 'ms' },
      { name: 'sync 200 clients pull p99', value: round(percentile(pull, 99), 1), unit: 'ms' },
      { name: 'sync 200 clients server push p50 (request log)', value: round(percentile(serverPush, 50), 1), unit: 'ms' },
      { name: 'sync 200 clients server push p99 (request log)', value: round(percentile(serverPush, 99), 1), unit: 'ms' },
      { name: 'sync 200 clients server pull p50 (request log)', value: round(percentile(serverPull, 50), 1), unit: 'ms' },
      { name: 'sync 200 clients server pull p99 (request log)', value: round(percentile(serverPull, 99), 1), unit: 'ms' },
      { name: 'sync 1 client alone push p50', value: round(percentile(soloPush, 50), 2), unit: 'ms' },
      { name: 'sync 1 client alone pull p50', value: round(percentile(soloPull, 50), 2), unit: 'ms' },
    ]
  } finally {
    agent.destroy()
    await server.stop()
  }
}
