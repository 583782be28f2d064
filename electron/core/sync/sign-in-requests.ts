/**
 * The sign-ins this device asked for: each auth.start makes a random nonce, sends it to the server
 * (which puts it into the mailed link) and remembers it here for the code's lifetime. A sign-in link
 * is used only when it carries a nonce remembered for its email, so a link from someone else's mailbox
 * (login CSRF: "click here") cannot sign this device into their account.
 *
 * Kept in the local database, not in memory: the link in the mail often starts the app, after the app
 * that asked was closed, and it must still be accepted then. Only a SHA-256 of each nonce is stored;
 * the nonce itself exists in this process while asking, in the server's mail, and in the link.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import type { Q } from '../db/database'
import { getSetting, setSetting } from '../repositories/settings'

/** As long as the server keeps the code (server/auth.ts CODE_TTL_SECONDS): a later link is refused, the typed code is not. */
export const SIGN_IN_REQUEST_TTL_MS = 10 * 60_000

/** Requests kept at once (for different addresses); the oldest are dropped beyond this. */
export const MAX_SIGN_IN_REQUESTS = 5

/** What the learner reads when a link was not asked for on this computer (or its time is up, or it was used). */
export const LINK_NOT_REQUESTED = 'This sign-in link was not requested on this computer. To sign in, ask for a code here and type it in.'

const KEY = 'sign_in_requests'

export interface SignInRequest {
  email: string
  /** SHA-256 of the nonce, hex. */
  nonceHash: string
  /** Epoch ms. */
  expiresAt: number
}

const Stored = z.array(z.object({ email: z.string(), nonceHash: z.string().regex(/^[0-9a-f]{64}$/), expiresAt: z.number() }).strict())

/** A fresh nonce: 24 random bytes, base64url (32 characters, within SignInNonce's format). */
export const newSignInNonce = (): string => randomBytes(24).toString('base64url')

const hashOf = (nonce: string) => createHash('sha256').update(nonce).digest('hex')

const live = (requests: readonly SignInRequest[], now: number) => requests.filter((r) => r.expiresAt > now)

/** `requests` with one for (email, nonce) added: the newest request for an address replaces an older one. */
export function withRequest(requests: readonly SignInRequest[], email: string, nonce: string, now: number): SignInRequest[] {
  const others = live(requests, now).filter((r) => r.email !== email)
  return [...others, { email, nonceHash: hashOf(nonce), expiresAt: now + SIGN_IN_REQUEST_TTL_MS }].slice(-MAX_SIGN_IN_REQUESTS)
}

/** Whether this device asked for a code for `email` with `nonce`, and the code may still be alive. */
export function isRequested(requests: readonly SignInRequest[], email: string, nonce: string, now: number): boolean {
  const wanted = Buffer.from(hashOf(nonce), 'hex')
  return live(requests, now).some((r) => r.email === email && timingSafeEqual(Buffer.from(r.nonceHash, 'hex'), wanted))
}

/** `requests` without the one for `email` (used: a link is good for one sign-in). */
export const withoutRequest = (requests: readonly SignInRequest[], email: string, now: number): SignInRequest[] =>
  live(requests, now).filter((r) => r.email !== email)

/** What is stored; anything unreadable counts as no requests (the learner can still type the code). */
export async function readSignInRequests(q: Q): Promise<SignInRequest[]> {
  const json = await getSetting(q, KEY)
  if (!json) return []
  try {
    const parsed = Stored.safeParse(JSON.parse(json))
    return parsed.success ? parsed.data : []
  } catch {
    return []
  }
}

export const writeSignInRequests = (q: Q, requests: readonly SignInRequest[]) => setSetting(q, KEY, JSON.stringify(requests))
