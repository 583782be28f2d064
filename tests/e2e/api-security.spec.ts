import { expect, test } from '@playwright/test'
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

test('the host answers only on 127.0.0.1 with the page and its token', async () => {
  expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
  const page = await (await fetch(host.url)).text()
  expect(page).toContain('Content-Security-Policy')
  expect(page).toContain(`content="${token}"`)
})
