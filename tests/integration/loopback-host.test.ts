/**
 * The loopback host in-process, over a real socket and a real core: a foreign Host (what a
 * DNS-rebinding page's requests carry) is refused on every route, even with the right token, and every
 * answer says not to cache it or frame it. tests/e2e/api-security.spec.ts checks the same through
 * `npm run web`.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDispatch } from '../../electron/core/api/dispatch'
import { createHandlers } from '../../electron/core/api/handlers'
import { startLoopbackHost, type LoopbackHost } from '../../electron/core/api/loopback-host'
import { TOKEN_HEADER } from '../../electron/core/contract/messages'
import { CONTENT_SECURITY_POLICY } from '../../electron/main/policy'
import { openTestCore, tempDir } from '../helpers/core'
import { foreignHosts, rawRequest, type RawAnswer } from '../helpers/raw-http'

let core: Awaited<ReturnType<typeof openTestCore>>
let host: LoopbackHost
let local: string

const PAGE = `<!doctype html>
<html>
  <head>
    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />
    <script type="module" src="./assets/app.js"></script>
  </head>
  <body></body>
</html>
`

beforeAll(async () => {
  core = await openTestCore()
  const rendererDir = await tempDir('pathwise-renderer-')
  await mkdir(join(rendererDir, 'assets'))
  await writeFile(join(rendererDir, 'index.html'), PAGE)
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("app")\n')
  host = await startLoopbackHost({ dispatch: createDispatch(createHandlers(() => core.services), () => undefined), rendererDir, port: 0 })
  local = `127.0.0.1:${host.port}`
})
afterAll(async () => {
  await host?.close()
  await core?.dispose()
})

const get = (path: string, hostHeader: string) => rawRequest(host.url, { path, headers: { host: hostHeader } })
const callApi = (channel: string, hostHeader: string, body = 'null') =>
  rawRequest(host.url, { method: 'POST', path: `/api/${channel}`, headers: { host: hostHeader, 'content-type': 'application/json', [TOKEN_HEADER]: host.token }, body })

function expectNotCachedOrFramed(answer: RawAnswer): void {
  expect(answer.headers['cache-control']).toBe('no-store')
  expect(answer.headers['x-frame-options']).toBe('DENY')
  expect(answer.headers['x-content-type-options']).toBe('nosniff')
}

describe('the loopback host', () => {
  it('refuses a foreign Host on every route, even with the token, and never hands it the token', async () => {
    for (const foreign of foreignHosts(host.port)) {
      for (const path of ['/', '/index.html', '/assets/app.js', '/no-such-file']) {
        const answer = await get(path, foreign)
        expect({ foreign, path, status: answer.status }).toEqual({ foreign, path, status: 403 })
        expect(answer.body).not.toContain(host.token)
        expect(answer.body).not.toContain('console.log')
        expectNotCachedOrFramed(answer)
      }
      const api = await callApi('profile.get', foreign)
      expect({ foreign, status: api.status }).toEqual({ foreign, status: 403 })
      expect(JSON.parse(api.body)).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Requests must come from this app.' } })
      expectNotCachedOrFramed(api)
    }
    // A refused write changed nothing.
    const write = await callApi('profile.update', `evil.example:${host.port}`, JSON.stringify({ name: 'Mallory' }))
    expect(write.status).toBe(403)
    expect((await core.services.profile.get()).name).not.toBe('Mallory')
  })

  it('serves its own names with the page, its token and the CSP as a header, none of it cacheable or frameable', async () => {
    for (const own of [local, `localhost:${host.port}`, `LOCALHOST:${host.port}`]) {
      const page = await get('/', own)
      expect({ own, status: page.status }).toEqual({ own, status: 200 })
      expect(page.body).toContain(`content="${host.token}"`)
      expectNotCachedOrFramed(page)
      expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    }
    const asset = await get('/assets/app.js', local)
    expect(asset.status).toBe(200)
    expect(asset.body).toContain('console.log')
    expectNotCachedOrFramed(asset)

    const api = await callApi('profile.get', local)
    expect(api.status).toBe(200)
    expect(JSON.parse(api.body)).toMatchObject({ ok: true })
    expectNotCachedOrFramed(api)
    // Refusals too: a wrong token on the right Host.
    const wrong = await rawRequest(host.url, { method: 'POST', path: '/api/profile.get', headers: { host: local, [TOKEN_HEADER]: 'nope' }, body: 'null' })
    expect(wrong.status).toBe(403)
    expectNotCachedOrFramed(wrong)
  })

  it('closes the connection after refusing a body too large, so a keep-alive client does not reuse it', async () => {
    const headers = { 'content-type': 'application/json', [TOKEN_HEADER]: host.token }
    const big = await fetch(`${host.url}api/courses.enroll`, { method: 'POST', headers, body: JSON.stringify({ courseId: 'x'.repeat(300_000) }) })
    expect(big.status).toBe(413)
    expect(big.headers.get('connection')).toBe('close')
    await big.text()
    // fetch keeps its connections alive: each of these would pick the dropped one if it were offered.
    for (let i = 0; i < 3; i++) expect((await fetch(`${host.url}api/profile.get`, { method: 'POST', headers, body: 'null' })).status).toBe(200)
  })
})
