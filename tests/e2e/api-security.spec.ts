import { expect, test } from '@playwright/test'
import { CONTENT_SECURITY_POLICY } from '../../electron/main/policy'
import { foreignHosts, rawRequest } from '../helpers/raw-http'
import { newDataDir, startHost, tokenOf, type RunningHost } from './support/host'

let host: RunningHost
let token: string

test.beforeAll(async () => {
  host = await startHost(await newDataDir())
  token = await tokenOf(host.url)
})
test.afterAll(async () => host.stop())

const post = (channel: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${host.url}api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

test('a request without the token is refused', async () => {
  const response = await post('profile.get', 'null')
  expect(response.status).toBe(403)
  expect(await response.json()).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Missing or wrong token.' } })
  const wrong = await post('profile.get', 'null', { 'x-pathwise-token': 'x'.repeat(token.length) })
  expect(wrong.status).toBe(403)
})

test('a request from a foreign origin is refused even with the token', async () => {
  const response = await post('profile.get', 'null', { 'x-pathwise-token': token, origin: 'http://evil.example' })
  expect(response.status).toBe(403)
})

test('a bad payload is refused with a typed error and changes nothing', async () => {
  const headers = { 'x-pathwise-token': token }
  const before = await (await post('profile.get', 'null', headers)).json()
  const bad = await post('profile.update', JSON.stringify({ website: 'javascript:alert(1)', bio: 42 }), headers)
  expect(bad.status).toBe(400)
  const body = (await bad.json()) as { ok: boolean; error: { code: string; fields: Record<string, string[]> } }
  expect(body.ok).toBe(false)
  expect(body.error.code).toBe('INVALID')
  expect(Object.keys(body.error.fields)).toEqual(expect.arrayContaining(['website', 'bio']))
  expect(await (await post('profile.get', 'null', headers)).json()).toEqual(before)

  expect((await post('profile.update', '{not json', headers)).status).toBe(400)
  expect((await post('no.such.channel', 'null', headers)).status).toBe(404)
  expect((await post('courses.enroll', JSON.stringify({ courseId: 'x'.repeat(300_000) }), headers)).status).toBe(413)
})

test('the host answers only on 127.0.0.1 with the page and its token, never cached or framed', async () => {
  expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
  const page = await fetch(host.url)
  const html = await page.text()
  expect(html).toContain('Content-Security-Policy')
  expect(html).toContain(`content="${token}"`)
  expect(page.headers.get('cache-control')).toBe('no-store')
  expect(page.headers.get('x-frame-options')).toBe('DENY')
  expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
  const api = await post('profile.get', 'null', { 'x-pathwise-token': token })
  expect(api.status).toBe(200)
  expect(api.headers.get('cache-control')).toBe('no-store')
  expect(api.headers.get('x-frame-options')).toBe('DENY')
})

// What a DNS-rebinding page gets: its requests reach 127.0.0.1 under its own name (the Host header).
test('a foreign Host is refused on every route, even with the token: the page, its assets and the API', async () => {
  const port = Number(new URL(host.url).port)
  const asset = /src="\.(\/assets\/[^"]+\.js)"/.exec(await (await fetch(host.url)).text())?.[1]
  expect(asset).toBeDefined()
  for (const foreign of foreignHosts(port)) {
    for (const path of ['/', '/index.html', asset as string]) {
      const answer = await rawRequest(host.url, { path, headers: { host: foreign } })
      expect({ foreign, path, status: answer.status }).toEqual({ foreign, path, status: 403 })
      expect(answer.body).not.toContain(token)
      expect(answer.headers['cache-control']).toBe('no-store')
    }
    const api = await rawRequest(host.url, {
      method: 'POST',
      path: '/api/profile.update',
      headers: { host: foreign, 'content-type': 'application/json', 'x-pathwise-token': token },
      body: JSON.stringify({ name: 'Mallory' }),
    })
    expect({ foreign, status: api.status }).toEqual({ foreign, status: 403 })
  }
  // The same request under the host's own name goes through: the refusals were the Host's doing.
  const own = await rawRequest(host.url, { method: 'POST', path: '/api/profile.get', headers: { host: `127.0.0.1:${port}`, 'x-pathwise-token': token }, body: 'null' })
  expect(own.status).toBe(200)
  expect(JSON.parse(own.body)).toMatchObject({ ok: true, value: expect.not.objectContaining({ name: 'Mallory' }) })
})
