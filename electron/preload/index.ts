/**
 * Preload: the only bridge between the sandboxed page and the main process. It exposes exactly the
 * IPC contract's channels as `window.api` (each call resolves to a Result and never throws) and one
 * event, sync status changes, as `window.pathwiseEvents`; nothing else. The channel names come from
 * main (one synchronous call at start), so the contract module stays the single list of them.
 *
 * Built as CommonJS (out/preload/index.cjs): sandboxed preloads cannot be ES modules.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { CHANNEL_LIST_MESSAGE, SYNC_STATUS_EVENT } from '../core/contract/messages'

const channels: unknown = ipcRenderer.sendSync(CHANNEL_LIST_MESSAGE)
const api: Record<string, (input?: unknown) => Promise<unknown>> = {}
for (const channel of Array.isArray(channels) ? channels : []) {
  if (typeof channel === 'string') api[channel] = (input?: unknown) => ipcRenderer.invoke(channel, input)
}

contextBridge.exposeInMainWorld('api', Object.freeze(api))

// The one event the page may listen to: sync status changes, pushed by main.
contextBridge.exposeInMainWorld(
  'pathwiseEvents',
  Object.freeze({
    onSyncStatus(listener: (status: unknown) => void): () => void {
      const handler = (_event: unknown, status: unknown) => listener(status)
      ipcRenderer.on(SYNC_STATUS_EVENT, handler)
      return () => ipcRenderer.off(SYNC_STATUS_EVENT, handler)
    },
  }),
)
