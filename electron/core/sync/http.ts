/**
 * The client side of the HTTP API v1. Every failure becomes a typed error: no connection →
 * Unavailable (the engine then says "offline"), 401 → Unauthorized, any other refusal → its message.
 */
import { AppError, Invalid, Unauthorized, Unavailable } from '../errors'
import type { PullAnswer, PullBody, PushAnswer, PushBody, PushRejected, SyncEmailStartBody, SyncUser, VerifyAnswer } from './protocol'

export class ServerRefused extends AppError {
  constructor(
    readonly status: number,
    readonly serverCode: string,
    message: string,
    readonly mutationId?: number,
    readonly lastMutationId?: number,
  ) {
    super(status === 409 ? 'CONFLICT' : 'INVALID', message)
  }
}

/** Set when the connection failed, not the server: the engine reports this as offline. */
export class Offline extends Unavailable {
  constructor() {
    super('The sync server cannot be reached.')
  }
}

export interface SyncHttp {
  /** Asks for a code; the nonce goes into the mailed link (sign-in-requests.ts). */
  start(body: SyncEmailStartBody): Promise<void>
  verify(email: string, code: string): Promise<VerifyAnswer>
  signOut(token: string): Promise<void>
  /** Ends every session of the token's account; answers how many. */
  signOutAll(token: string): Promise<{ signedOut: number }>
  me(token: string): Promise<SyncUser>
  push(token: string, body: PushBody): Promise<PushAnswer>
  pull(token: string, body: PullBody): Promise<PullAnswer>
}

const TIMEOUT_MS = 20_000

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null
  } catch {
    return null
  }
}

export function createSyncHttp(baseUrl: string, fetchImpl: typeof fetch = fetch): SyncHttp {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<T> {
    let response: Response
    try {
      response = await fetchImpl(new URL(path, base), {
        method,
        // The server takes only JSON posts, those without a body (sign-out) too (server/app.ts).
        headers: { ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
    } catch {
      throw new Offline()
    }
    if (response.status === 204) return undefined as T
    let text: string
    try {
      text = await response.text()
    } catch {
      throw new Offline() // the connection dropped in the middle of the answer
    }
    const json = parseJson(text)
    if (response.ok) {
      if (json === null) throw new Unavailable('The sync server sent an incomplete answer.')
      return json as T
    }
    // Any refusal carries { error }; a push refused at one mutation also says how far it got.
    const refusal = json as Partial<PushRejected> | null
    const error = refusal?.error
    const lastMutationId = refusal?.lastMutationId
    if (response.status === 401) throw new Unauthorized(error?.message ?? 'Please sign in again.')
    if (response.status >= 500) throw new Unavailable(error?.message ?? `The sync server had a problem (${response.status}).`)
    if (response.status === 429) throw new Unavailable(error?.message ?? 'Too many attempts; wait a minute and try again.')
    if (!error) throw new Invalid(`The sync server refused the request (${response.status}).`)
    throw new ServerRefused(response.status, error.code ?? 'INVALID', error.message ?? 'Refused', error.mutationId, lastMutationId)
  }

  return {
    start: ({ email, nonce }) => request('POST', 'v1/auth/email/start', { email, nonce }),
    verify: (email, code) => request('POST', 'v1/auth/email/verify', { email, code }),
    signOut: (token) => request('POST', 'v1/auth/signout', undefined, token),
    signOutAll: (token) => request('POST', 'v1/auth/signout-all', undefined, token),
    me: async (token) => (await request<{ user: SyncUser }>('GET', 'v1/me', undefined, token)).user,
    push: (token, body) => request('POST', 'v1/sync/push', body, token),
    pull: (token, body) => request('POST', 'v1/sync/pull', body, token),
  }
}
