/**
 * What the runner tells a learner whose query did not run: short, in plain words, the limit named.
 * Shared by the runner (host side) and the worker, so neither bundles the other.
 */

/** Longer query text is refused before it reaches the engine. */
export const MAX_QUERY_LENGTH = 20_000

/** A query that holds no statement: nothing but spaces or comments. */
export const EMPTY_MESSAGE = 'There is no SQL statement to run: write a query first.'

export const ENGINE_STOPPED = 'The SQL engine stopped unexpectedly while running your query; please run it again.'

function seconds(ms: number): string {
  const value = ms / 1000
  return `${value} ${value === 1 ? 'second' : 'seconds'}`
}

export function timeoutMessage(timeoutMs: number): string {
  return (
    `Your query ran for more than ${seconds(timeoutMs)} and was stopped. ` +
    'Check that a WITH RECURSIVE has a condition that ends it, and that every join has an ON condition: ' +
    'a join without one pairs each row with every row of the other table.'
  )
}

export function tooLargeMessage(length: number): string {
  return `Your query is ${length.toLocaleString('en-US')} characters long; the limit is ${MAX_QUERY_LENGTH.toLocaleString('en-US')}.`
}
