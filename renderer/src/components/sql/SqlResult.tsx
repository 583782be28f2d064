/**
 * What a run answered: the result table (NULL shown as NULL, muted), a note when the row cap cut it,
 * what a statement without rows changed, or the error in an alert.
 */
import type { SqlRun, SqlValue } from '../../../../electron/core/contract/types'
import { ErrorNotice } from '../States'

/** "1 000": the digits grouped with a space, as the lessons print counts. */
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')
const plural = (n: number, one: string, many: string) => `${grouped(n)} ${n === 1 ? one : many}`

function Cell({ value }: { value: SqlValue }) {
  if (value === null) return <span className="sql-null">NULL</span>
  return <>{String(value)}</>
}

export function SqlResult({ run, error, label }: { run: SqlRun | undefined; error: Error | null; label: string }) {
  if (error) return <ErrorNotice error={error} />
  if (!run) return null
  if (!run.ok) {
    return (
      <div className="notice notice-error sql-error" role="alert">
        <p className="sql-error-title">{run.error.kind === 'timeout' ? 'Stopped: time limit reached' : run.error.kind === 'syntax' ? 'Syntax error' : 'The query failed'}</p>
        <p className="sql-error-message">{run.error.message}</p>
      </div>
    )
  }
  const { result, truncated, changes } = run
  if (!result) {
    return (
      <p className="notice sql-done" role="status">
        Done{changes !== undefined ? `: ${plural(changes, 'row', 'rows')} changed` : ''}. Nothing is kept: every run starts from a fresh copy of the sample database.
      </p>
    )
  }
  return (
    <div className="sql-result">
      <p className="sql-result-summary muted" role="status">
        {truncated ? `Showing the first ${grouped(result.rows.length)} rows` : plural(result.rows.length, 'row', 'rows')}
      </p>
      {/* Scrolls on its own when wide or long; focusable so keyboard users can scroll it too. A group,
          not a region: a lesson may show several results, and landmarks must have unique names. */}
      <div className="sql-table-wrap" tabIndex={0} role="group" aria-label={label}>
        <table className="sql-table">
          <thead>
            <tr>
              {result.columns.map((column, i) => (
                <th key={i} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row, r) => (
              <tr key={r}>
                {row.map((value, c) => (
                  <td key={c} className={typeof value === 'number' ? 'is-number' : undefined}>
                    <Cell value={value} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
