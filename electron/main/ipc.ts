/**
 * IPC registration: one handler per contract channel, each behind the sender check and the contract's
 * validation (createDispatch). Written against a minimal ipcMain-shaped registry so unit tests can
 * drive it with a fake; main passes Electron's ipcMain.
 */
import { CHANNELS, type Result } from '../core/contract/channels'
import { CHANNEL_LIST_MESSAGE } from '../core/contract/messages'
import type { Dispatch } from '../core/api/dispatch'

/** The parts of an IPC event the sender check reads. */
export interface IpcSender {
  senderFrame: { url: string } | null
  sender: { id: number }
}

export interface IpcRegistry {
  handle(channel: string, listener: (event: IpcSender, payload: unknown) => Promise<Result<unknown>>): void
  on(channel: string, listener: (event: IpcSender & { returnValue: unknown }) => void): void
}

/** Decides whether an IPC call comes from our own window's own page. */
export type TrustedSender = (event: IpcSender) => boolean

const FOREIGN: Result<never> = { ok: false, error: { code: 'UNAUTHORIZED', message: 'Calls are only accepted from the Pathwise window.' } }

export function registerIpc(registry: IpcRegistry, dispatch: Dispatch, isTrusted: TrustedSender): void {
  for (const channel of CHANNELS) {
    registry.handle(channel, async (event, payload) => (isTrusted(event) ? dispatch(channel, payload) : FOREIGN))
  }
  // The preload learns the channel names from here, so the contract stays the one list of them.
  registry.on(CHANNEL_LIST_MESSAGE, (event) => {
    event.returnValue = isTrusted(event) ? CHANNELS : []
  })
}

/**
 * Trusts only frames of the window whose webContents id is `windowId()`, showing the page at
 * `appUrl`: the same origin for the development server, the same document for app:// (a custom
 * scheme's origin is opaque to the URL parser, so comparing origins would accept any app:// URL).
 */
export function trustOwnWindow(windowId: () => number | null, appUrl: string): TrustedSender {
  const app = new URL(appUrl)
  const web = app.protocol === 'http:' || app.protocol === 'https:'
  return (event) => {
    if (event.sender.id !== windowId() || !event.senderFrame) return false
    try {
      const url = new URL(event.senderFrame.url)
      if (web) return url.origin === app.origin
      return url.protocol === app.protocol && url.host === app.host && url.pathname === app.pathname && !url.username && !url.password
    } catch {
      return false
    }
  }
}
