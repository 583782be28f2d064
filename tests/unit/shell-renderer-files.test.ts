import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../electron/main/policy'
import { rendererResponseHeaders, resolveRendererRequest } from '../../electron/main/renderer-files'

const ROOT = resolve('/opt/Pathwise/resources/app.asar/out/renderer')
const get = (url: string) => resolveRendererRequest({ method: 'GET', url }, ROOT)

describe('app:// serves the built renderer', () => {
  it.each([
    ['app://pathwise/index.html', join(ROOT, 'index.html'), 'text/html; charset=utf-8'],
    ['app://pathwise/', join(ROOT, 'index.html'), 'text/html; charset=utf-8'],
    ['app://pathwise', join(ROOT, 'index.html'), 'text/html; charset=utf-8'],
    ['app://pathwise/index.html#/courses/sql?x=1', join(ROOT, 'index.html'), 'text/html; charset=utf-8'],
    ['app://pathwise/assets/index-2tJkGnl1.js', join(ROOT, 'assets', 'index-2tJkGnl1.js'), 'text/javascript; charset=utf-8'],
    ['app://pathwise/assets/index-B8irkmAU.css', join(ROOT, 'assets', 'index-B8irkmAU.css'), 'text/css; charset=utf-8'],
    ['app://pathwise/assets/logo.svg', join(ROOT, 'assets', 'logo.svg'), 'image/svg+xml'],
    ['app://pathwise/assets/font.woff2', join(ROOT, 'assets', 'font.woff2'), 'font/woff2'],
    ['app://pathwise/assets/IMAGE.PNG', join(ROOT, 'assets', 'IMAGE.PNG'), 'image/png'],
    ['app://pathwise/assets/a%20b.png', join(ROOT, 'assets', 'a b.png'), 'image/png'],
  ])('%s is %s', (url, path, contentType) => {
    expect(get(url)).toEqual({ status: 200, path, contentType })
  })

  it('HEAD is answered like GET; any other method is 405', () => {
    expect(resolveRendererRequest({ method: 'HEAD', url: 'app://pathwise/index.html' }, ROOT)).toMatchObject({ status: 200 })
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'get']) {
      expect(resolveRendererRequest({ method, url: 'app://pathwise/index.html' }, ROOT)).toEqual({ status: 405 })
    }
  })

  it('a dot-dot path the URL parser resolves stays inside the folder', () => {
    // Chromium and the WHATWG parser both resolve these before the handler sees them: they can only
    // ever name a file inside the renderer folder.
    expect(get('app://pathwise/assets/../index.html')).toEqual({ status: 200, path: join(ROOT, 'index.html'), contentType: 'text/html; charset=utf-8' })
    expect(get('app://pathwise/../../../../etc/passwd.txt')).toEqual({ status: 200, path: join(ROOT, 'etc', 'passwd.txt'), contentType: 'text/plain; charset=utf-8' })
    expect(get('app://pathwise/%2e')).toEqual({ status: 200, path: join(ROOT, 'index.html'), contentType: 'text/html; charset=utf-8' })
    expect(get('app://pathwise/%2e%2e/%2E%2E/package.json')).toEqual({ status: 200, path: join(ROOT, 'package.json'), contentType: 'application/json; charset=utf-8' })
  })

  it.each([
    // Escapes that survive URL parsing, refused before any path is built.
    'app://pathwise/%2e%2e%2f%2e%2e%2fpackage.json',
    'app://pathwise/assets%2f..%2f..%2fpackage.json',
    'app://pathwise/..%2fpackage.json',
    'app://pathwise/%2e%2e%5cpackage.json',
    'app://pathwise/..\\..\\package.json',
    'app://pathwise/assets\\..\\..\\main\\index.js',
    'app://pathwise/%5C%5Cserver%5Cshare%5Cx.js',
    'app://pathwise/C:%5CWindows%5Cwin.ini',
    'app://pathwise/c:/Windows/win.ini',
    'app://pathwise/%2Fetc%2Fpasswd.txt',
    'app://pathwise//etc/passwd.txt',
    'app://pathwise/index.html%00.js',
    'app://pathwise/index%0a.html',
    'app://pathwise/assets/',
    'app://pathwise/%E0%A4%A',
    // Not our origin.
    'app://other/index.html',
    'app://pathwise.evil/index.html',
    'app://user:pw@pathwise/index.html',
    'app://pathwise:8080/index.html',
    'file:///opt/Pathwise/resources/app.asar/out/renderer/index.html',
    'https://pathwise/index.html',
    'pathwise://pathwise/index.html',
    'app:index.html',
    // Types a Vite build never emits.
    'app://pathwise/index',
    'app://pathwise/main.cjs',
    'app://pathwise/data.db',
    'app://pathwise/.env',
    'app://pathwise/preload.node',
    'not a url',
    '',
  ])('%s is 404', (url) => {
    expect(get(url)).toEqual({ status: 404 })
  })

  it('a very long URL is 404 without being parsed', () => {
    expect(get(`app://pathwise/${'a/'.repeat(2000)}x.js`)).toEqual({ status: 404 })
  })

  it('every answer carries the page CSP, its type and nosniff', () => {
    expect(rendererResponseHeaders('text/html; charset=utf-8')).toEqual({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    })
    expect(rendererResponseHeaders()['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY)
  })
})
