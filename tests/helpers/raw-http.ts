/**
 * One HTTP request with headers fetch() refuses to set (Host above all): how a DNS-rebinding page's
 * requests look to a server on 127.0.0.1, which are sent to the right address under a foreign name.
 */
import { request, type IncomingHttpHeaders } from 'node:http'

export interface RawAnswer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawAnswer> {
  // The URL parser keeps an IPv6 address's brackets; the socket wants the bare address.
  const { hostname, port } = new URL(url)
  const address = hostname.replace(/^\[(.*)\]$/, '$1')
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: address, port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

/** Names a DNS-rebinding page could make the browser send as Host to a server on 127.0.0.1:`port`. */
export function foreignHosts(port: number): string[] {
  return [`evil.example:${port}`, '127.0.0.1.evil.example', `127.0.0.1.evil.example:${port}`, `localhost.evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1']
}
