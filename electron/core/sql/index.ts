/**
 * Runnable SQL (issue #14 §2): the sandboxed runner, the result comparison and the grader, for the
 * services (Try it, SQL exercises) and the content suite (every example and reference runs).
 */
export { createSqlRunner, DEFAULT_ROW_CAP, DEFAULT_TIMEOUT_MS, MAX_QUERY_LENGTH, SqlDatasetError, SqlEngineError } from './runner'
export type { SqlRunner, SqlRunnerOptions } from './runner'
export { compareResults } from './compare'
export type { Comparison } from './compare'
export { referenceOrders } from './result-order'
export { gradeSqlAnswer, SqlReferenceError } from './grade'
export type { SqlGrade } from './grade'
export type { SqlErrorKind, SqlRun, SqlRunError, SqlTable, SqlValue } from './result'
