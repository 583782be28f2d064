/**
 * The client side of the HTTP API v1. Every failure becomes a typed error: no connection →
 * Unavailable (the engine then says "offline"), 401 → Unauthorized, any other refusal → its message.
 */
import type { z } from 'zod'
import { AppError, Invalid, Unauthorized, Unavailable } from '../errors'
import {
  MeAnswer,
  PullAnswer,
  PushAnswer,
  RefusalAnswer,
  SignOutAllAnswer,
  VerifyAnswer,
  type PullBody,
  type PushBody,
  type SyncEmailStartBody,
  type SyncUser,
} from './protocol'

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

/**
 * An answer that is not what the API says (protocol.ts answer schemas): the server is broken or not
 * ours. Nothing of it is used. The message names where it failed, never the server's own text.
 */
export class MalformedAnswer extends Unavailable {
  constructor(
    readonly path: string,
    readonly issue: string,
  ) {
    super(`The sync server sent an answer this app cannot read (${path}: ${issue}). Nothing was changed here.`)
  }

  static fromZod(path: string, error: z.ZodError): MalformedAnswer {
    const first = error.issues[0]
    const where = first && first.path.length > 0 ? first.path.map(String).join('.').slice(0, 100) : 'the answer'
    // Only our own words: zod's messages can quote the answer's keys (unrecognized_keys).
    const what = first?.code === 'custom' ? first.message : (ISSUE_TEXT[first?.code ?? ''] ?? 'is malformed')
    return new MalformedAnswer(path, `${where} ${what}`)
  }
}

const ISSUE_TEXT: Record<string, string> = {
  invalid_type: 'has the wrong type',
  unrecognized_keys: 'has fields this app does not know',
  invalid_value: 'has a value this app does not know',
  too_big: 'is too big or too long',
  too_small: 'is too small or too short',
  not_multiple_of: 'is not a whole number',
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

  /** `answer`: the schema a successful answer must fit, or null when its body is not read. */
  async function request<T>(method: 'GET' | 'POST', path: string, answer: z.ZodType<T> | null, body?: unknown, token?: string): Promise<T> {
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
    let text: string
    try {
      text = await response.text()
    } catch {
      throw new Offline() // the connection dropped in the middle of the answer
    }
    const json = parseJson(text)
    if (response.ok) {
      if (answer === null) return undefined as T
      if (json === null) throw new Unavailable('The sync server sent an incomplete answer.')
      const parsed = answer.safeParse(json)
      if (!parsed.success) throw MalformedAnswer.fromZod(path, parsed.error)
      return parsed.data
    }
    // Any refusal carries { error }; a push refused at one mutation also says how far it got. A body
    // that does not fit is a refusal without a reason: its numbers would say what to acknowledge.
    const refusal = RefusalAnswer.safeParse(json)
    const error = refusal.success ? refusal.data.error : undefined
    const lastMutationId = refusal.success ? refusal.data.lastMutationId : undefined
    if (response.status === 401) throw new Unauthorized(error?.message ?? 'Please sign in again.')
    if (response.status >= 500) throw new Unavailable(error?.message ?? `The sync server had a problem (${response.status}).`)
    if (response.status === 429) throw new Unavailable(error?.message ?? 'Too many attempts; wait a minute and try again.')
    if (!error) throw new Invalid(`The sync server refused the request (${response.status}).`)
    throw new ServerRefused(response.status, error.code ?? 'INVALID', error.message ?? 'Refused', error.mutationId, lastMutationId)
  }

  return {
    start: ({ email, nonce }) => request('POST', 'v1/auth/email/start', null, { email, nonce }),
    verify: (email, code) => request('POST', 'v1/auth/email/verify', VerifyAnswer, { email, code }),
    signOut: (token) => request('POST', 'v1/auth/signout', null, undefined, token),
    signOutAll: (token) => request('POST', 'v1/auth/signout-all', SignOutAllAnswer, undefined, token),
    me: async (token) => (await request('GET', 'v1/me', MeAnswer, undefined, token)).user,
    push: (token, body) => request('POST', 'v1/sync/push', PushAnswer, body, token),
    pull: (token, body) => request('POST', 'v1/sync/pull', PullAnswer, body, token),
  }
}
