/**
 * Preload: the only bridge between the sandboxed page and the main process. It exposes exactly the
 * IPC contract's channels as `window.api` and nothing else; each call resolves to a Result and never
 * throws. The channel names come from main (one synchronous call at start), so the contract module
 * stays the single list of them.
 *
 * Built as CommonJS (out/preload/index.cjs): sandboxed preloads cannot be ES modules.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { CHANNEL_LIST_MESSAGE } from '../core/contract/messages'

const channels: unknown = ipcRenderer.sendSync(CHANNEL_LIST_MESSAGE)
const api: Record<string, (input?: unknown) => Promise<unknown>> = {}
for (const channel of Array.isArray(channels) ? channels : []) {
  if (typeof channel === 'string') api[channel] = (input?: unknown) => ipcRenderer.invoke(channel, input)
}

contextBridge.exposeInMainWorld('api', Object.freeze(api))
