/**
 * What a run of learner SQL answers (runner.ts): shared by the worker that runs it, the grader, the
 * services and, through the contract, the renderer. Type-only and plain JSON data: it crosses the
 * worker boundary and IPC as it is.
 */

/** A cell. A BLOB is shown as a short description ("[blob: 12 bytes]"), never as bytes; an integer too large for a double as its digits. */
export type SqlValue = string | number | null

export interface SqlTable {
  columns: string[]
  rows: SqlValue[][]
}

export type SqlErrorKind = 'syntax' | 'runtime' | 'timeout' | 'too-large' | 'empty'

export interface SqlRunError {
  kind: SqlErrorKind
  message: string
}

export type SqlRun =
  | {
      ok: true
      /** The last statement that returned rows, or null when none did (an UPDATE alone). */
      result: SqlTable | null
      /** True when the result was cut at the row cap: `result` holds the first rowCap rows. */
      truncated: boolean
      /** Rows inserted, updated or deleted by the query's statements (SQLite's total_changes()). */
      changes?: number
    }
  | { ok: false; error: SqlRunError }
