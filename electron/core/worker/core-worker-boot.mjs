// The core worker's entry in development and tests: a worker thread does not inherit tsx from the
// main thread's command line, so it registers tsx itself before loading the TypeScript worker. The
// built app runs out/main/core-worker.js instead (electron.vite.config.ts).
import { register } from 'tsx/esm/api'

register()
await import('./core-worker.ts')
