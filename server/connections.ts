/**
 * Bounds on what a slow or idle client can hold (server/config.ts has the settings). Node's defaults
 * let one request take 300 s and its headers 60 s, checked only every 30 s, so a few hundred
 * connections that trickle a byte now and then tie the server up. Here:
 * - headers must be complete within `headersTimeoutMs` and the whole request, body included, within
 *   `requestTimeoutMs`, however steadily it trickles (Node answers 408 and closes the connection);
 * - an idle keep-alive connection is closed after `keepAliveTimeoutMs`;
 * - one client address (IPv6 by its /64, client-address.ts) holds at most `maxConnectionsPerAddress`
 *   connections at once; more are closed as soon as they are accepted, before a byte is read, so a
 *   slow client only ever uses up its own address's share.
 */
import type { ServerOptions } from 'node:http'
import type { Server, Socket } from 'node:net'
import { addressKey } from './client-address'

export interface HttpLimits {
  headersTimeoutMs: number
  requestTimeoutMs: number
  keepAliveTimeoutMs: number
  /** 0: no cap (behind a reverse proxy every connection comes from the proxy; it limits clients there). */
  maxConnectionsPerAddress: number
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  // A 1 MB push (the largest body) at 270 kbit/s still arrives in time.
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnectionsPerAddress: 20,
}

/**
 * Options for node:http's createServer. Node enforces the header and request timeouts when it sweeps its
 * connections, every `connectionsCheckingInterval` (30 s by default), so the sweep runs often enough
 * that a connection outlives its timeout by at most a quarter of it (and never by more than a second).
 */
export function httpServerOptions(limits: HttpLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.ceil(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4))),
  }
}

/**
 * Closes each connection accepted while its address already holds `max` open ones. `onCapped` is told
 * when an address reaches its cap (once, until it drops below again), not at every refusal, so an
 * attacker cannot flood the log.
 */
export function capConnectionsPerAddress(server: Server, max: number, onCapped: (key: string) => void): void {
  if (max <= 0) return
  const open = new Map<string, number>()
  const capped = new Set<string>()
  server.on('connection', (socket: Socket) => {
    // A connection reset before it was accepted has no address any more; it is gone already.
    if (socket.remoteAddress === undefined) return void socket.destroy()
    const key = addressKey(socket.remoteAddress)
    const count = open.get(key) ?? 0
    if (count >= max) {
      socket.destroy()
      if (!capped.has(key)) {
        capped.add(key)
        onCapped(key)
      }
      return
    }
    open.set(key, count + 1)
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1
      if (left > 0) open.set(key, left)
      else open.delete(key)
      if (left < max) capped.delete(key)
    })
  })
}
