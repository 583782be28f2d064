import { describe, expect, it } from 'vitest'
import { SignInNonce } from '../../electron/core/sync/protocol'
import {
  isRequested,
  MAX_SIGN_IN_REQUESTS,
  newSignInNonce,
  SIGN_IN_REQUEST_TTL_MS,
  withoutRequest,
  withRequest,
  type SignInRequest,
} from '../../electron/core/sync/sign-in-requests'

const T0 = Date.parse('2026-07-01T09:00:00Z')
const A = 'a@example.com'
const B = 'b@example.com'

describe('the nonce of a sign-in request', () => {
  it('is 24 random bytes in base64url, in the format the link and the server accept', () => {
    const nonces = Array.from({ length: 50 }, newSignInNonce)
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9_-]{32}$/)
      expect(SignInNonce.safeParse(nonce).success).toBe(true)
      expect(Buffer.from(nonce, 'base64url')).toHaveLength(24)
    }
    expect(new Set(nonces).size).toBe(nonces.length)
  })
})

describe('remembered sign-in requests', () => {
  it('a request is found only with its own email and nonce', () => {
    const nonce = newSignInNonce()
    const requests = withRequest([], A, nonce, T0)
    expect(isRequested(requests, A, nonce, T0)).toBe(true)
    expect(isRequested(requests, B, nonce, T0)).toBe(false)
    expect(isRequested(requests, A, newSignInNonce(), T0)).toBe(false)
    expect(isRequested(requests, A, nonce.slice(0, -1), T0)).toBe(false)
  })

  it('only stores a hash of the nonce', () => {
    const nonce = newSignInNonce()
    const stored = JSON.stringify(withRequest([], A, nonce, T0))
    expect(stored).not.toContain(nonce)
    expect(stored).toMatch(/"nonceHash":"[0-9a-f]{64}"/)
  })

  it("lives for the code's lifetime (10 minutes) and not a millisecond longer", () => {
    const nonce = newSignInNonce()
    const requests = withRequest([], A, nonce, T0)
    expect(SIGN_IN_REQUEST_TTL_MS).toBe(10 * 60_000)
    expect(isRequested(requests, A, nonce, T0 + SIGN_IN_REQUEST_TTL_MS - 1)).toBe(true)
    expect(isRequested(requests, A, nonce, T0 + SIGN_IN_REQUEST_TTL_MS)).toBe(false)
  })

  it('the newest request for an address wins; other addresses keep theirs', () => {
    const first = newSignInNonce()
    const second = newSignInNonce()
    const other = newSignInNonce()
    let requests = withRequest([], A, first, T0)
    requests = withRequest(requests, B, other, T0 + 1)
    requests = withRequest(requests, A, second, T0 + 2)
    expect(isRequested(requests, A, first, T0 + 3)).toBe(false)
    expect(isRequested(requests, A, second, T0 + 3)).toBe(true)
    expect(isRequested(requests, B, other, T0 + 3)).toBe(true)
    expect(requests).toHaveLength(2)
  })

  it(`keeps the newest ${MAX_SIGN_IN_REQUESTS} addresses and drops expired ones as it adds`, () => {
    let requests: SignInRequest[] = []
    const nonces = Array.from({ length: MAX_SIGN_IN_REQUESTS + 2 }, newSignInNonce)
    nonces.forEach((nonce, i) => (requests = withRequest(requests, `n${i}@example.com`, nonce, T0 + i)))
    expect(requests).toHaveLength(MAX_SIGN_IN_REQUESTS)
    expect(isRequested(requests, 'n0@example.com', nonces[0] as string, T0 + 10)).toBe(false)
    expect(isRequested(requests, 'n1@example.com', nonces[1] as string, T0 + 10)).toBe(false)
    expect(isRequested(requests, `n${nonces.length - 1}@example.com`, nonces.at(-1) as string, T0 + 10)).toBe(true)
    // Long after, one more request leaves only itself.
    expect(withRequest(requests, A, newSignInNonce(), T0 + SIGN_IN_REQUEST_TTL_MS + 100)).toHaveLength(1)
  })

  it('a used request is gone; the others stay', () => {
    const a = newSignInNonce()
    const b = newSignInNonce()
    const requests = withoutRequest(withRequest(withRequest([], A, a, T0), B, b, T0), A, T0)
    expect(isRequested(requests, A, a, T0)).toBe(false)
    expect(isRequested(requests, B, b, T0)).toBe(true)
  })
})
