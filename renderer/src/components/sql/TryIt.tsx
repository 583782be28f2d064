/**
 * "Try it": a lesson's ```sql example as an editor prefilled with it, run on a fresh copy of the
 * course's sample database. Loaded lazily by the lesson's Markdown, only in courses that have one.
 */
import { useId, useState } from 'react'
import { useSqlRun } from '../../api/hooks'
import { SqlEditor } from './SqlEditor'
import { SqlResult } from './SqlResult'
import './sql.css'

export default function TryIt({ courseId, example }: { courseId: string; example: string }) {
  const initial = example.replace(/\n$/, '')
  const [query, setQuery] = useState(initial)
  const run = useSqlRun()
  const id = useId()
  // Ignored while a run is on; the button stays focusable (aria-disabled), so the focus is not lost.
  const start = () => {
    if (!run.isPending) run.mutate({ courseId, query })
  }
  return (
    <div className="sql-tryit" role="group" aria-labelledby={`${id}-title`}>
      <p className="sql-tryit-title" id={`${id}-title`}>
        Try it
      </p>
      <SqlEditor id={`${id}-editor`} label="SQL query" value={query} onChange={setQuery} onRun={start} />
      <div className="row sql-actions">
        <button type="button" className="button button-primary" onClick={start} aria-disabled={run.isPending || undefined}>
          {run.isPending ? 'Running…' : 'Run'}
        </button>
        <button
          type="button"
          className="button"
          disabled={query === initial && !run.data && !run.error}
          onClick={() => {
            setQuery(initial)
            run.reset()
          }}
        >
          Reset
        </button>
      </div>
      <SqlResult run={run.data} error={run.error} label="Query result" />
    </div>
  )
}
