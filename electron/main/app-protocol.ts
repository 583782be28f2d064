/**
 * The app's own protocol, app://pathwise/…, which serves the built renderer instead of file: URLs:
 * the page gets a real, private origin (file: pages share one opaque origin with every other local
 * file), CSP 'self' means exactly the renderer's files, and nothing outside out/renderer is reachable.
 * Every decision is in ./renderer-files; this file only reads the file it names.
 */
import { protocol } from 'electron'
import { readFile } from 'node:fs/promises'
import { APP_SCHEME } from './policy'
import { rendererResponseHeaders, resolveRendererRequest } from './renderer-files'

/** Must run before the app is ready: Chromium reads scheme privileges once, at start-up. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        // Vite's <script type="module" crossorigin> is fetched in CORS mode, which Chromium refuses for a
        // scheme outside its CORS list. Our answers never carry Access-Control-Allow-Origin, so no
        // other origin can read these files.
        corsEnabled: true,
      },
    },
  ])
}

/** Serves `rootDir` (out/renderer) on app://pathwise/ in the default session. Call once the app is ready. */
export function serveRenderer(rootDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = resolveRendererRequest({ method: request.method, url: request.url }, rootDir)
    if (answer.status !== 200) return new Response(null, { status: answer.status, headers: rendererResponseHeaders() })
    try {
      const body = request.method === 'HEAD' ? null : await readFile(answer.path)
      return new Response(body, { status: 200, headers: rendererResponseHeaders(answer.contentType) })
    } catch {
      // Missing, a folder, unreadable: the same 404 as a path we refused.
      return new Response(null, { status: 404, headers: rendererResponseHeaders() })
    }
  })
}
