/** Messages between the runner (runner.ts, the host's side) and its worker thread (sql-worker.ts). */
import type { SqlRun } from './result'

export type ToSqlWorker =
  | { kind: 'run'; id: number; dataset: string; query: string; rowCap: number }
  /** Load a dataset's image ahead of its runs (a replacement worker, while the learner edits). */
  | { kind: 'prepare'; dataset: string }

export type FromSqlWorker =
  /** The WebAssembly engine is compiled and the worker takes runs. */
  | { kind: 'ready' }
  /** The engine could not start (its .wasm missing, …): every run would fail the same way. */
  | { kind: 'failed'; message: string }
  | { kind: 'result'; id: number; run: SqlRun }
  /** The dataset itself failed to load: an authoring error. */
  | { kind: 'dataset-failed'; id: number; message: string }
