/**
 * An SQL exercise: the learner writes a query, may Run it to see its rows, and checks it like any
 * other question (the core compares its result with the reference query's). Loaded lazily.
 */
import { useSqlRun } from '../../api/hooks'
import { textOf } from '../exercises/draft'
import type { WidgetProps } from '../exercises/widget'
import { SqlEditor } from './SqlEditor'
import { SqlResult } from './SqlResult'
import './sql.css'

export default function SqlWidget({ value, onChange, review, disabled, name, courseId }: WidgetProps<'sql'>) {
  const run = useSqlRun()
  const query = textOf(value)
  // Ignored while a run is on; the button stays focusable (aria-disabled), so the focus is not lost.
  const start = () => {
    if (!run.isPending) run.mutate({ courseId, query })
  }
  const locked = disabled || review !== null
  return (
    <div className="ex-sql">
      <SqlEditor id={`${name}-query`} label="Your query" value={query} onChange={onChange} onRun={locked ? undefined : start} readOnly={locked} />
      {locked ? null : (
        <div className="row sql-actions">
          <button type="button" className="button" onClick={start} aria-disabled={run.isPending || undefined}>
            {run.isPending ? 'Running…' : 'Run'}
          </button>
        </div>
      )}
      <SqlResult run={run.data} error={run.error} label="Your query's result" />
      {review && !review.correct && review.solution ? (
        <div className="ex-solution">
          <p className="ex-solution-title">A query that gives the right result:</p>
          <pre className="sql-solution">
            <code>{review.solution.text}</code>
          </pre>
        </div>
      ) : null}
    </div>
  )
}
