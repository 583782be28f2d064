/**
 * Queries built once per database handle or transaction and then run with new values.
 *
 * Drizzle turns a query builder into SQL text on every call, and that costs more than SQLite running
 * the statement: on the sync server, which applies up to 64 pushes in one transaction, building the
 * same few reads again for every push was a third of its time (bench: clients). A query defined here
 * is built the first time it runs on a handle (`Q`) and kept for as long as that handle lives; its
 * values are drizzle placeholders (`sql.placeholder('userId')`), filled in on each run.
 */
import type { Q } from './database'

/**
 * `build` makes the prepared query on a handle (ending in `.prepare()`); the returned function hands
 * out the one made for that handle. A query prepared in a transaction runs in that transaction, so the
 * cache is per handle, never shared between them.
 */
export function preparedQuery<P>(build: (q: Q) => P): (q: Q) => P {
  const byHandle = new WeakMap<Q, P>()
  return (q) => {
    let prepared = byHandle.get(q)
    if (prepared === undefined) {
      prepared = build(q)
      byHandle.set(q, prepared)
    }
    return prepared
  }
}
