// The SQL worker's entry in development and tests: a worker thread does not inherit tsx from the
// thread that starts it, so it registers tsx itself before loading the TypeScript worker. The built
// app runs out/main/sql-worker.js instead (electron.vite.config.ts).
import { register } from 'tsx/esm/api'

register()
await import('./sql-worker.ts')
