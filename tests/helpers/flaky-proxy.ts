/**
 * A TCP proxy on 127.0.0.1 in front of a server that can cut a connection mid-response, to test
 * what a client does when the network drops during a pull.
 */
import { createServer, connect, type Socket } from 'node:net'

export interface FlakyProxy {
  url: string
  /** The next response to a request whose head contains `marker` is cut after `bytes` bytes. */
  dropNext(marker: string, bytes: number): void
  /** How many connections were cut so far. */
  dropped(): number
  close(): Promise<void>
}

export async function startFlakyProxy(target: string): Promise<FlakyProxy> {
  const { hostname, port } = new URL(target)
  let plan: { marker: string; bytes: number } | null = null
  let cuts = 0
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    sockets.add(client)
    const upstream = connect(Number(port), hostname)
    sockets.add(upstream)
    let cutAfter: number | null = null
    let sent = 0
    client.on('data', (chunk) => {
      if (plan && chunk.toString('latin1').includes(plan.marker)) {
        cutAfter = plan.bytes
        plan = null
      }
      upstream.write(chunk)
    })
    upstream.on('data', (chunk) => {
      if (cutAfter === null) return void client.write(chunk)
      const room = cutAfter - sent
      if (room > 0) client.write(chunk.subarray(0, room))
      sent += chunk.length
      if (sent >= cutAfter) {
        cuts++
        client.destroy()
        upstream.destroy()
      }
    })
    const close = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', close)
    upstream.on('error', close)
    client.on('close', close)
    upstream.on('close', close)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const proxyPort = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${proxyPort}`,
    dropNext: (marker, bytes) => {
      plan = { marker, bytes }
    },
    dropped: () => cuts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
