/** npm run bench: every benchmark, one table, and bench-results.json (DESIGN.md §5). */
import { benchCore } from './core-bench'
import { benchRenderer } from './renderer-bench'
import { benchSync } from './sync-bench'
import { printTable, writeResults, type BenchResult } from './measure'

const results: BenchResult[] = [...(await benchCore()), ...(await benchRenderer()), ...(await benchSync())]
printTable(results)
await writeResults(results)
console.log('\nwrote bench-results.json')
