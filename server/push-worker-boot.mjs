// The push worker's entry: a worker thread does not inherit tsx from the main thread's command line
// (Node 20), so it registers tsx itself before loading the TypeScript worker.
import { register } from 'tsx/esm/api'

register()
await import('./push-worker.ts')
