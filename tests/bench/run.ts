/**
 * npm run bench: every benchmark, one table, and bench-results.json.
 * `npm run bench -- push pull` runs only the named groups (core, renderer, push, pull, clients, lag, sql).
 */
import { benchCore } from './core-bench'
import { benchEventLoopLag } from './event-loop'
import { benchRenderer } from './renderer-bench'
import { benchSql } from './sql-bench'
import { benchConcurrentClients } from './sync-clients'
import { benchInitialPull } from './sync-pull'
import { benchPush } from './sync-push'
import { printTable, writeResults, type BenchResult } from './measure'

const GROUPS: Record<string, () => Promise<BenchResult[]>> = {
  core: benchCore,
  renderer: benchRenderer,
  push: benchPush,
  pull: benchInitialPull,
  clients: benchConcurrentClients,
  lag: benchEventLoopLag,
  sql: benchSql,
}

const asked = process.argv.slice(2)
const unknown = asked.filter((name) => !Object.hasOwn(GROUPS, name))
if (unknown.length > 0) throw new Error(`unknown benchmark group(s) ${unknown.join(', ')}; known: ${Object.keys(GROUPS).join(', ')}`)

const results: BenchResult[] = []
for (const [name, run] of Object.entries(GROUPS)) if (asked.length === 0 || asked.includes(name)) results.push(...(await run()))
printTable(results)
await writeResults(results)
console.log('\nwrote bench-results.json')
