/**
 * Grades an answer to an SQL exercise: the learner's query and the reference run on fresh copies of
 * the dataset, and their result tables are compared (compare.ts), with row order only when the
 * reference orders (result-order.ts). The feedback tells the learner what went wrong in their own
 * query (SQLite's message, the time limit, counts) and never a value of the expected result.
 */
import { compareResults } from './compare'
import { referenceOrders } from './result-order'
import type { SqlRunner } from './runner'
import type { SqlTable } from './result'

export interface SqlGrade {
  correct: boolean
  feedback: string
}

/** The reference query does not run, or returns no table: the exercise is broken, not the answer. */
export class SqlReferenceError extends Error {
  override readonly name = 'SqlReferenceError'
}

interface Reference {
  table: SqlTable
  ordered: boolean
}

// Reference results per runner, by dataset and reference text: a reference is run once, then every
// answer to its exercise is compared with the kept table. Bounded, oldest first out.
const REFERENCES_KEPT = 200
const references = new WeakMap<SqlRunner, Map<string, Promise<Reference>>>()

async function runReference(runner: SqlRunner, dataset: string, reference: string): Promise<Reference> {
  const run = await runner.run(dataset, reference)
  if (!run.ok) throw new SqlReferenceError(`The reference query failed (${run.error.kind}): ${run.error.message}`)
  if (!run.result) throw new SqlReferenceError('The reference query returns no rows: its last row-returning statement is what answers are compared with.')
  if (run.truncated) throw new SqlReferenceError(`The reference query returns more than ${runner.rowCap} rows, the runner's row cap.`)
  return { table: run.result, ordered: referenceOrders(reference) }
}

function referenceOf(runner: SqlRunner, dataset: string, reference: string): Promise<Reference> {
  let kept = references.get(runner)
  if (!kept) references.set(runner, (kept = new Map()))
  const key = `${dataset}\u0000${reference}`
  const cached = kept.get(key)
  if (cached) return cached
  const running = runReference(runner, dataset, reference)
  kept.set(key, running)
  // A failed reference is not kept: the error comes again, and a fixed course is read afresh.
  running.catch(() => kept.delete(key))
  for (const oldest of kept.keys()) {
    if (kept.size <= REFERENCES_KEPT) break
    kept.delete(oldest)
  }
  return running
}

export const NO_TABLE_FEEDBACK = 'Your query ran but returned no table of rows: end it with a SELECT.'

export async function gradeSqlAnswer(runner: SqlRunner, dataset: string, reference: string, query: string): Promise<SqlGrade> {
  const expected = await referenceOf(runner, dataset, reference)
  const run = await runner.run(dataset, query)
  if (!run.ok) {
    const { kind, message } = run.error
    return { correct: false, feedback: kind === 'syntax' || kind === 'runtime' ? `Your query failed: ${message}` : message }
  }
  if (!run.result) return { correct: false, feedback: NO_TABLE_FEEDBACK }
  if (run.truncated) {
    const expectedRows = expected.table.rows.length
    return {
      correct: false,
      feedback: `Your query returns more than ${run.result.rows.length} rows; ${expectedRows} ${expectedRows === 1 ? 'row' : 'rows'} expected`,
    }
  }
  const { same, feedback } = compareResults(expected.table, run.result, expected.ordered)
  return { correct: same, feedback }
}
