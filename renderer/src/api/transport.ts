/**
 * How the renderer reaches the core: Electron's preload (`window.api`) or, in a plain browser served by
 * the loopback host, HTTP with the page's per-run token. Chosen once at start; nothing else in the
 * renderer knows which one it has.
 */
import type { Api, Channel, Result } from '../../../electron/core/contract/channels'
import { TOKEN_HEADER, TOKEN_META } from '../../../electron/core/contract/messages'

declare global {
  interface Window {
    api?: Api
  }
}

function httpApi(token: string): Api {
  const call = async (channel: Channel, input?: unknown): Promise<Result<unknown>> => {
    try {
      const response = await fetch(`/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(input ?? null),
      })
      return (await response.json()) as Result<unknown>
    } catch {
      return { ok: false, error: { code: 'UNAVAILABLE', message: 'Pathwise is not reachable. Is it still running?' } }
    }
  }
  // A proxy rather than a list of channels: the renderer then needs only the contract's types, not its
  // zod schemas, at start-up. The host refuses any name that is not a channel.
  return new Proxy({} as Api, {
    // Only string keys are channels ('then' is excluded so the object is never taken for a promise).
    get: (_target, channel) => (typeof channel === 'string' && channel !== 'then' ? (input?: unknown) => call(channel as Channel, input) : undefined),
  })
}

export function createApi(): Api {
  if (window.api) return window.api
  const token = document.querySelector<HTMLMetaElement>(`meta[name="${TOKEN_META}"]`)?.content
  if (!token) throw new Error('Pathwise must be opened from the app (no bridge and no host token found).')
  return httpApi(token)
}
