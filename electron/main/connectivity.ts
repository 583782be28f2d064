/** Tells the sync engine when the connection comes back (or the machine wakes up). */
import { net, powerMonitor } from 'electron'
import type { SyncEngine } from '../core/sync/engine'

const POLL_MS = 15_000

/** `engine` is the core worker's relay in the app (it only needs to be told). */
export function watchConnectivity(engine: Pick<SyncEngine, 'notifyOnline'>): () => void {
  let online = net.isOnline()
  const check = () => {
    const now = net.isOnline()
    if (now && !online) engine.notifyOnline()
    online = now
  }
  const timer = setInterval(check, POLL_MS)
  const onResume = () => engine.notifyOnline()
  powerMonitor.on('resume', onResume)
  return () => {
    clearInterval(timer)
    powerMonitor.off('resume', onResume)
  }
}
