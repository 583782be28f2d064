/** The server's slow-client and proxy settings (server/config.ts): defaults, bounds and refusals. */
import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../server/config'
import { DEFAULT_HTTP_LIMITS, httpServerOptions } from '../../server/connections'

const parse = (env: Record<string, string>) => parseConfig([], env)

describe('slow-client and proxy settings', () => {
  it('defaults to bounded timeouts and a per-address cap, with no cap behind a trusted proxy', () => {
    expect(parse({}).http).toEqual(DEFAULT_HTTP_LIMITS)
    expect(DEFAULT_HTTP_LIMITS.requestTimeoutMs).toBeLessThan(300_000) // Node's own default
    expect(parse({ TRUST_PROXY: '1' }).http.maxConnectionsPerAddress).toBe(0)
    expect(parse({ TRUST_PROXY: '1', MAX_CONNECTIONS_PER_ADDRESS: '500' }).http.maxConnectionsPerAddress).toBe(500)
  })

  it('takes each from its environment variable', () => {
    const http = parse({ HEADERS_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '4000', KEEP_ALIVE_TIMEOUT_MS: '700', MAX_CONNECTIONS_PER_ADDRESS: '0' }).http
    expect(http).toEqual({ headersTimeoutMs: 2000, requestTimeoutMs: 4000, keepAliveTimeoutMs: 700, maxConnectionsPerAddress: 0 })
    // Node only checks header and request timeouts when it sweeps: often enough for these.
    expect(httpServerOptions(http)).toMatchObject({ headersTimeout: 2000, requestTimeout: 4000, keepAliveTimeout: 700, connectionsCheckingInterval: 500 })
    expect(httpServerOptions(DEFAULT_HTTP_LIMITS).connectionsCheckingInterval).toBe(1000)
  })

  it.each([
    [{ HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '4000' }, /HEADERS_TIMEOUT_MS .*REQUEST_TIMEOUT_MS/],
    [{ HEADERS_TIMEOUT_MS: '0' }, /HEADERS_TIMEOUT_MS must be a whole number from 100/],
    [{ REQUEST_TIMEOUT_MS: '30s' }, /REQUEST_TIMEOUT_MS must be a whole number/],
    [{ MAX_CONNECTIONS_PER_ADDRESS: '-1' }, /MAX_CONNECTIONS_PER_ADDRESS must be a whole number/],
    [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY must be 1, true, 0 or false, got "yes"/],
    [{ TRUST_PROXY: 'on' }, /TRUST_PROXY must be/],
  ])('refuses %o with a clear message', (env, message) => {
    expect(() => parse(env)).toThrow(ConfigError)
    expect(() => parse(env)).toThrow(message)
  })

  it('reads TRUST_PROXY as on or off, never as a silent off for a typo', () => {
    for (const on of ['1', 'true', 'TRUE', ' true ']) expect(parse({ TRUST_PROXY: on }).trustProxy, on).toBe(true)
    for (const off of ['', '0', 'false', 'False']) expect(parse({ TRUST_PROXY: off }).trustProxy, off).toBe(false)
    expect(parse({}).trustProxy).toBe(false)
  })
})
