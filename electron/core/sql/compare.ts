/**
 * Compares a learner's result table with the reference query's (spec: "sql" kind). Same number of
 * columns, same multiset of rows; row order only when the reference orders. Column names are not
 * compared (aliases are free). The feedback says what is off in counts only, never a value, so it
 * cannot give the answer away.
 */
import type { SqlTable, SqlValue } from './result'

export interface Comparison {
  same: boolean
  feedback: string
}

// Numbers are compared by value (2 and 2.0 are one number: SQLite's INTEGER and REAL), fractions to
// 12 significant digits, so two sums that differ only in their last bits (SUM(price) * 0.9 against
// SUM(price * 0.9)) are the same answer. Integers stay exact: ids and timestamps differ by 1.
const SIGNIFICANT_DIGITS = 12

function numberKey(value: number): string {
  if (Number.isInteger(value)) return String(value + 0)
  return String(Number(value.toPrecision(SIGNIFICANT_DIGITS)))
}

function valueKey(value: SqlValue): string {
  if (value === null) return 'null'
  if (typeof value === 'number') return `n:${numberKey(value)}`
  return `s:${value}`
}

function rowKey(row: SqlValue[]): string {
  return JSON.stringify(row.map(valueKey))
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`
}

export const SAME_FEEDBACK = 'Your query returns the expected rows.'

export function compareResults(reference: SqlTable, learner: SqlTable, ordered: boolean): Comparison {
  const expectedColumns = reference.columns.length
  const learnerColumns = learner.columns.length
  if (expectedColumns !== learnerColumns) {
    return { same: false, feedback: `${plural(expectedColumns, 'column', 'columns')} expected, yours has ${learnerColumns}` }
  }
  const expectedRows = reference.rows.length
  const learnerRows = learner.rows.length
  if (expectedRows !== learnerRows) {
    return { same: false, feedback: `${plural(expectedRows, 'row', 'rows')} expected, yours returns ${learnerRows}` }
  }

  const expectedKeys = reference.rows.map(rowKey)
  const learnerKeys = learner.rows.map(rowKey)
  const unmatched = new Map<string, number>()
  for (const key of expectedKeys) unmatched.set(key, (unmatched.get(key) ?? 0) + 1)
  let differing = 0
  for (const key of learnerKeys) {
    const left = unmatched.get(key) ?? 0
    if (left > 0) unmatched.set(key, left - 1)
    else differing += 1
  }
  if (differing > 0) {
    const differ = differing === 1 ? '1 of them differs' : `${differing} of them differ`
    return { same: false, feedback: `Right number of rows, but ${differ} from the expected ones` }
  }
  if (ordered && learnerKeys.some((key, index) => key !== expectedKeys[index])) {
    return { same: false, feedback: 'Right rows, but not in the order asked for' }
  }
  return { same: true, feedback: SAME_FEEDBACK }
}
