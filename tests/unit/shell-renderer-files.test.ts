import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { serveRenderer } from '../../electron/main/app-protocol'
import { CONTENT_SECURITY_POLICY } from '../../electron/main/policy'
import { resolveRendererRequest } from '../../electron/main/renderer-files'

type ProtocolHandler = (request: Request) => Promise<Response>

// The protocol handler Electron would be given, so the answers themselves can be checked.
const registered = vi.hoisted(() => ({ handlers: new Map<string, (request: Request) => Promise<Response>>() }))
vi.mock('electron', () => ({
  protocol: {
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => registered.handlers.set(scheme, handler),
    registerSchemesAsPrivileged: () => undefined,
  },
}))

/** The app:// handler serving `root`, as app-protocol registers it. */
function servedHandler(root: string): ProtocolHandler {
  serveRenderer(root)
  const handler = registered.handlers.get('app')
  if (!handler) throw new Error('serveRenderer registered no app:// handler')
  return handler
}

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

  it('every answer carries the page CSP, its type and nosniff: files, HEAD, 404 (refused, missing, a folder) and 405', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pathwise-renderer-'))
    try {
      await mkdir(join(root, 'assets', 'folder.js'), { recursive: true })
      const files: Record<string, string> = { 'index.html': '<!doctype html>', 'assets/app.js': 'export {}', 'assets/app.css': 'body{}', 'assets/logo.svg': '<svg/>' }
      for (const [path, text] of Object.entries(files)) await writeFile(join(root, path), text)
      const handler = servedHandler(root)
      const cases: [string, string, number, string][] = [
        ['GET', 'app://pathwise/', 200, 'text/html; charset=utf-8'],
        ['GET', 'app://pathwise/index.html', 200, 'text/html; charset=utf-8'],
        ['HEAD', 'app://pathwise/index.html', 200, 'text/html; charset=utf-8'],
        ['GET', 'app://pathwise/assets/app.js', 200, 'text/javascript; charset=utf-8'],
        ['GET', 'app://pathwise/assets/app.css', 200, 'text/css; charset=utf-8'],
        ['GET', 'app://pathwise/assets/logo.svg', 200, 'image/svg+xml'],
        // Refused before the disk is touched.
        ['GET', 'app://pathwise/..%2fpackage.json', 404, 'text/plain; charset=utf-8'],
        ['GET', 'app://other/index.html', 404, 'text/plain; charset=utf-8'],
        ['GET', 'app://pathwise/data.db', 404, 'text/plain; charset=utf-8'],
        // Allowed, but not there or not a file.
        ['GET', 'app://pathwise/assets/missing.js', 404, 'text/plain; charset=utf-8'],
        ['GET', 'app://pathwise/assets/folder.js', 404, 'text/plain; charset=utf-8'],
        ['POST', 'app://pathwise/index.html', 405, 'text/plain; charset=utf-8'],
        ['DELETE', 'app://pathwise/index.html', 405, 'text/plain; charset=utf-8'],
      ]
      for (const [method, url, status, contentType] of cases) {
        const response = await handler(new Request(url, { method }))
        expect({ status: response.status, headers: Object.fromEntries(response.headers) }, `${method} ${url}`).toEqual({
          status,
          headers: {
            'content-type': contentType,
            'content-security-policy': CONTENT_SECURITY_POLICY,
            'x-content-type-options': 'nosniff',
            'cache-control': 'no-cache',
          },
        })
      }
      expect(await (await handler(new Request('app://pathwise/assets/app.js'))).text()).toBe(files['assets/app.js'])
      expect(await (await handler(new Request('app://pathwise/index.html', { method: 'HEAD' }))).text()).toBe('')
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })
})
