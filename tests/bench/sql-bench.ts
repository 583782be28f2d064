/**
 * The SQL runner (electron/core/sql) on the SQL Fundamentals course's own dataset: warm runs of a few
 * lesson queries through the worker, against the same query on a database rebuilt from dataset.sql on
 * this thread each time (the cost of a runner without the worker's image cache), measured in the same
 * run; grading with the reference kept and not yet kept; a cold start; how far past its time limit a
 * runaway query is answered, and how long the next run waits for the new worker; and this thread's
 * event-loop lag while one runs in the worker, against the lag with nothing running. Time limits are
 * shorter than the app's 2 s (BENCH_TIMEOUT_MS, LAG_TIMEOUT_MS) to keep the group under half a minute.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import initSqlJs from 'sql.js'
import { buildImage, runOnImage } from '../../electron/core/sql/execute'
import { gradeSqlAnswer } from '../../electron/core/sql/grade'
import { createSqlRunner, DEFAULT_ROW_CAP, type SqlRunner } from '../../electron/core/sql/runner'
import type { SqlRun } from '../../electron/core/sql/result'
import { COURSES_DIR } from '../helpers/paths'
import { lagDuring, percentile, round, sample, type BenchResult } from './measure'

const RUNS = 200
const COLD_STARTS = 5
const RUNAWAYS = 3
// Shorter than the app's 2 s (DEFAULT_TIMEOUT_MS) so the group stays quick; the overshoot is what is
// measured, and it does not depend on the limit.
const BENCH_TIMEOUT_MS = 300
// Long enough for a 1 ms-resolution histogram to have a p99 worth reading.
const LAG_TIMEOUT_MS = 1500

// Representative lesson queries, each with the rows it returns on the course dataset (checked, so a
// broken query is not timed as a fast error).
const QUERIES: { name: string; sql: string; rows: number }[] = [
  { name: 'select-where-order', sql: "SELECT title, price FROM books WHERE genre = 'Fiction' ORDER BY price DESC;", rows: 3 },
  {
    name: 'join-group-by',
    sql: 'SELECT c.name, SUM(o.quantity) AS books_bought FROM customers AS c JOIN orders AS o ON o.customer_id = c.id GROUP BY c.id, c.name ORDER BY books_bought DESC;',
    rows: 3,
  },
  { name: 'recursive-cte', sql: 'WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter WHERE n < 5) SELECT n FROM counter;', rows: 5 },
]
const ENDLESS = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r;'
// An exercise reference of lesson 5 and a correct answer written another way (rows in the same order).
const REFERENCE = QUERIES[1]?.sql ?? ''
const ANSWER = 'SELECT name, SUM(quantity) AS books_bought FROM orders JOIN customers ON customers.id = orders.customer_id GROUP BY customers.id ORDER BY 2 DESC;'

function expectRows(run: SqlRun, rows: number, what: string): void {
  if (!run.ok) throw new Error(`${what} failed: ${run.error.kind}: ${run.error.message}`)
  if (run.result?.rows.length !== rows) throw new Error(`${what} returned ${run.result?.rows.length ?? 'no'} rows, ${rows} expected`)
}

const stats = (name: string, times: readonly number[]): BenchResult[] => [
  { name: `${name} p50`, value: round(percentile(times, 50)), unit: 'ms' },
  { name: `${name} p95`, value: round(percentile(times, 95)), unit: 'ms' },
]
const ratio = (name: string, of: readonly number[], to: readonly number[]): BenchResult => ({
  name,
  value: round(percentile(of, 50) / percentile(to, 50), 2),
  unit: 'x',
})

/**
 * Times each of `fns` once per round, `runs` rounds after `warmup` untimed ones: alternating keeps a
 * slow spell of a shared machine from landing on one side of a ratio. Sorted durations in ms, per fn.
 */
async function sampleInterleaved(fns: readonly (() => Promise<unknown>)[], runs: number, warmup = 20): Promise<number[][]> {
  for (let i = 0; i < warmup; i++) for (const fn of fns) await fn()
  const times = fns.map(() => [] as number[])
  for (let i = 0; i < runs; i++) {
    for (const [index, fn] of fns.entries()) {
      const start = performance.now()
      await fn()
      times[index]?.push(performance.now() - start)
    }
  }
  return times.map((t) => t.sort((a, b) => a - b))
}

async function benchWarmRuns(runner: SqlRunner, dataset: string): Promise<BenchResult[]> {
  // sql.js on this thread, loaded the way the worker loads it.
  const wasm = await readFile(join(dirname(createRequire(import.meta.url).resolve('sql.js')), 'sql-wasm.wasm'))
  const SQL = await initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) })
  const image = buildImage(SQL, dataset)
  const results: BenchResult[] = []
  for (const query of QUERIES) {
    expectRows(await runner.run(dataset, query.sql), query.rows, query.name)
    expectRows(runOnImage(SQL, buildImage(SQL, dataset), query.sql, DEFAULT_ROW_CAP), query.rows, `${query.name} (rebuilt)`)
    const [warm = [], rebuilt = [], onImage = []] = await sampleInterleaved(
      [
        () => runner.run(dataset, query.sql),
        // The worker's work for one run without its image cache: dataset.sql executed, then the query.
        async () => runOnImage(SQL, buildImage(SQL, dataset), query.sql, DEFAULT_ROW_CAP),
        // The worker's work for one run with it, here without the thread hop: what the messaging costs.
        async () => runOnImage(SQL, image, query.sql, DEFAULT_ROW_CAP),
      ],
      RUNS,
    )
    results.push(...stats(`sql.run warm ${query.name}`, warm))
    results.push(...stats(`baseline rebuild-from-dataset.sql ${query.name}`, rebuilt))
    results.push(ratio(`sql.run warm ${query.name} p50 / baseline p50`, warm, rebuilt))
    results.push({ name: `in-process on the kept image ${query.name} p50 (no worker hop)`, value: round(percentile(onImage, 50)), unit: 'ms' })
  }
  return results
}

async function benchGrading(runner: SqlRunner, dataset: string): Promise<BenchResult[]> {
  const first = await gradeSqlAnswer(runner, dataset, REFERENCE, ANSWER)
  if (!first.correct) throw new Error(`the benchmark's answer is graded wrong: ${first.feedback}`)
  // A reference not yet kept: the same reference under a different comment is a new cache key (the
  // dataset's image is warm either way, so this is the reference's extra run, not a cold worker).
  const firstGrade = await sample((i) => gradeSqlAnswer(runner, dataset, `/* grade ${i} */ ${REFERENCE}`, ANSWER), RUNS, 5)
  const warmGrade = await sample(() => gradeSqlAnswer(runner, dataset, REFERENCE, ANSWER), RUNS)
  return [...stats('gradeSqlAnswer first (reference run)', firstGrade), ...stats('gradeSqlAnswer warm (reference kept)', warmGrade), ratio('gradeSqlAnswer first p50 / warm p50', firstGrade, warmGrade)]
}

// The worker the packaged app runs, when `npm run build` has made it. From the sources each new worker
// registers tsx and compiles sql-worker.ts first, which the app does not: worker starts (a cold start,
// the restart after a timeout) are measured with both where both exist.
const BUILT_WORKER = new URL('../../out/main/sql-worker.js', import.meta.url)

interface WorkerKind {
  label: string
  entry?: URL
}

function workerKinds(): WorkerKind[] {
  if (existsSync(BUILT_WORKER)) return [{ label: 'tsx worker' }, { label: 'built worker', entry: BUILT_WORKER }]
  process.stderr.write('[sql bench] no out/main/sql-worker.js (npm run build): worker starts measured from the sources only\n')
  return [{ label: 'tsx worker' }]
}

const QUICK = QUERIES[0] ?? { name: '', sql: '', rows: 0 }

async function benchColdStart(dataset: string, kinds: readonly WorkerKind[]): Promise<BenchResult[]> {
  const times = kinds.map(() => [] as number[])
  // Alternated, so a busy spell of the shared machine does not land on one kind only.
  for (let i = 0; i < COLD_STARTS; i++) {
    for (const [index, { label, entry }] of kinds.entries()) {
      const started = performance.now()
      const runner = createSqlRunner(entry ? { entry } : {})
      const run = await runner.run(dataset, QUICK.sql)
      times[index]?.push(performance.now() - started)
      expectRows(run, QUICK.rows, `cold start, ${label}`)
      await runner.close()
    }
  }
  return kinds.flatMap(({ label }, index) => {
    const sorted = (times[index] ?? []).sort((a, b) => a - b)
    return [
      { name: `createSqlRunner + first run, ${label} p50 (n=${COLD_STARTS})`, value: round(percentile(sorted, 50), 1), unit: 'ms' },
      { name: `createSqlRunner + first run, ${label} max (n=${COLD_STARTS})`, value: round(percentile(sorted, 100), 1), unit: 'ms' },
    ]
  })
}

async function benchRunaway(dataset: string, { label, entry }: WorkerKind): Promise<BenchResult[]> {
  const runner = createSqlRunner({ timeoutMs: BENCH_TIMEOUT_MS, ...(entry ? { entry } : {}) })
  try {
    expectRows(await runner.run(dataset, QUICK.sql), QUICK.rows, 'warm-up')
    const overshoot: number[] = []
    const recovery: number[] = []
    for (let i = 0; i < RUNAWAYS; i++) {
      let started = performance.now()
      const run = await runner.run(dataset, ENDLESS)
      overshoot.push(performance.now() - started - BENCH_TIMEOUT_MS)
      if (run.ok || run.error.kind !== 'timeout') throw new Error(`the endless query was not stopped by the time limit: ${JSON.stringify(run)}`)
      // The next run is answered by the worker started in place of the stopped one.
      started = performance.now()
      expectRows(await runner.run(dataset, QUICK.sql), QUICK.rows, 'the run after a timeout')
      recovery.push(performance.now() - started)
    }
    overshoot.sort((a, b) => a - b)
    recovery.sort((a, b) => a - b)
    return [
      { name: `endless WITH RECURSIVE, answer past timeoutMs=${BENCH_TIMEOUT_MS}, ${label} p50 (n=${RUNAWAYS})`, value: round(percentile(overshoot, 50), 1), unit: 'ms' },
      { name: `endless WITH RECURSIVE, answer past timeoutMs=${BENCH_TIMEOUT_MS}, ${label} max (n=${RUNAWAYS})`, value: round(percentile(overshoot, 100), 1), unit: 'ms' },
      { name: `run right after a timeout (worker restart), ${label} p50 (n=${RUNAWAYS})`, value: round(percentile(recovery, 50), 1), unit: 'ms' },
      { name: `run right after a timeout (worker restart), ${label} max (n=${RUNAWAYS})`, value: round(percentile(recovery, 100), 1), unit: 'ms' },
    ]
  } finally {
    await runner.close()
  }
}

async function benchLag(dataset: string, { label, entry }: WorkerKind): Promise<BenchResult[]> {
  const runner = createSqlRunner({ timeoutMs: LAG_TIMEOUT_MS, ...(entry ? { entry } : {}) })
  try {
    expectRows(await runner.run(dataset, QUICK.sql), QUICK.rows, 'warm-up')
    // The runaway until its limit; then the worker replaced and a run answered by the new one.
    const runaway = await lagDuring(async () => {
      const run = await runner.run(dataset, ENDLESS)
      if (run.ok || run.error.kind !== 'timeout') throw new Error('the endless query was not stopped by the time limit')
    })
    const restart = await lagDuring(async () => expectRows(await runner.run(dataset, QUICK.sql), QUICK.rows, 'the run after a timeout'))
    const idle = await lagDuring(() => sleep(runaway.ms + restart.ms))
    process.stderr.write(`[sql bench] lag windows, ${label}: runaway ${runaway.ms} ms (timeoutMs=${LAG_TIMEOUT_MS}), restart and first run ${restart.ms} ms, nothing running ${idle.ms} ms\n`)
    return [
      { name: `event-loop lag p99, nothing running (baseline for the ${label})`, value: idle.p99, unit: 'ms' },
      { name: `event-loop lag max, nothing running (baseline for the ${label})`, value: idle.max, unit: 'ms' },
      { name: `event-loop lag p99, runaway query in the ${label}`, value: runaway.p99, unit: 'ms' },
      { name: `event-loop lag max, runaway query in the ${label}`, value: runaway.max, unit: 'ms' },
      { name: `event-loop lag p99, ${label} restarting after the timeout`, value: restart.p99, unit: 'ms' },
      { name: `event-loop lag max, ${label} restarting after the timeout`, value: restart.max, unit: 'ms' },
    ]
  } finally {
    await runner.close()
  }
}

export async function benchSql(): Promise<BenchResult[]> {
  const dataset = await readFile(join(COURSES_DIR, 'sql-fundamentals', 'dataset.sql'), 'utf8')
  const results: BenchResult[] = []
  // Warm runs do not depend on how the worker was started: the worker from the sources, always there.
  const runner = createSqlRunner()
  try {
    results.push(...(await benchWarmRuns(runner, dataset)), ...(await benchGrading(runner, dataset)))
  } finally {
    await runner.close()
  }
  const kinds = workerKinds()
  results.push(...(await benchColdStart(dataset, kinds)))
  for (const kind of kinds) results.push(...(await benchRunaway(dataset, kind)))
  for (const kind of kinds) results.push(...(await benchLag(dataset, kind)))
  return results
}
