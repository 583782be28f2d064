/**
 * Preload: the only bridge between the sandboxed page and the main process. It exposes exactly the
 * IPC contract's channels as `window.api` (each call resolves to a Result and never throws) and the
 * events main pushes (messages.ts) as `window.pathwiseEvents`; nothing else. The channel names come from
 * main (one synchronous call at start), so the contract module stays the single list of them.
 *
 * Built as CommonJS (out/preload/index.cjs): sandboxed preloads cannot be ES modules.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { CHANNEL_LIST_MESSAGE, DEEP_LINK_EVENT, SYNC_STATUS_EVENT, UPDATE_STATUS_EVENT } from '../core/contract/messages'

const channels: unknown = ipcRenderer.sendSync(CHANNEL_LIST_MESSAGE)
const api: Record<string, (input?: unknown) => Promise<unknown>> = {}
for (const channel of Array.isArray(channels) ? channels : []) {
  if (typeof channel === 'string') api[channel] = (input?: unknown) => ipcRenderer.invoke(channel, input)
}

contextBridge.exposeInMainWorld('api', Object.freeze(api))

// What became of a sign-in link. The link that starts the app is answered while the page is still
// mounting, before any listener exists: outcomes wait here (a few at most) for the first one.
const MAX_PENDING_DEEP_LINKS = 5
const pendingDeepLinks: unknown[] = []
const deepLinkListeners = new Set<(outcome: unknown) => void>()
ipcRenderer.on(DEEP_LINK_EVENT, (_event: unknown, outcome: unknown) => {
  if (deepLinkListeners.size > 0) {
    for (const listener of deepLinkListeners) listener(outcome)
    return
  }
  pendingDeepLinks.push(outcome)
  if (pendingDeepLinks.length > MAX_PENDING_DEEP_LINKS) pendingDeepLinks.shift()
})

// The events the page may listen to, pushed by main.
contextBridge.exposeInMainWorld(
  'pathwiseEvents',
  Object.freeze({
    onSyncStatus(listener: (status: unknown) => void): () => void {
      const handler = (_event: unknown, status: unknown) => listener(status)
      ipcRenderer.on(SYNC_STATUS_EVENT, handler)
      return () => ipcRenderer.off(SYNC_STATUS_EVENT, handler)
    },
    // The app's own update status (checking, download progress, ready to restart), pushed by main.
    onUpdateStatus(listener: (status: unknown) => void): () => void {
      const handler = (_event: unknown, status: unknown) => listener(status)
      ipcRenderer.on(UPDATE_STATUS_EVENT, handler)
      return () => ipcRenderer.off(UPDATE_STATUS_EVENT, handler)
    },
    onDeepLink(listener: (outcome: unknown) => void): () => void {
      deepLinkListeners.add(listener)
      for (const outcome of pendingDeepLinks.splice(0)) listener(outcome)
      return () => {
        deepLinkListeners.delete(listener)
      }
    },
  }),
)
