/** Timing helpers and the results file shared by every benchmark. */
import { writeFile } from 'node:fs/promises'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'

export interface BenchResult {
  name: string
  value: number
  unit: string
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index] as number
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed; returns the sorted durations in ms. */
export async function sample(fn: (i: number) => Promise<unknown>, runs: number, warmup = 20): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i)
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn(warmup + i)
    times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)
}

export const round = (n: number, digits = 3) => Number(n.toFixed(digits))

export async function writeResults(results: readonly BenchResult[], file = 'bench-results.json'): Promise<void> {
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`)
}

export function printTable(results: readonly BenchResult[]): void {
  const width = Math.max(...results.map((r) => r.name.length))
  for (const r of results) console.log(`${r.name.padEnd(width)}  ${String(r.value).padStart(12)} ${r.unit}`)
}

/** Runs `work` under a 1 ms-resolution event-loop delay monitor; p99 and max in ms. */
export async function lagDuring(work: () => Promise<void>): Promise<{ p99: number; max: number; ms: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  const started = performance.now()
  histogram.enable()
  await work()
  histogram.disable()
  return { p99: round(histogram.percentile(99) / 1e6, 1), max: round(histogram.max / 1e6, 1), ms: round(performance.now() - started, 0) }
}
