/**
 * Which file answers a request to the app's own protocol, `app://pathwise/<path>`: a file under the
 * built renderer folder (out/renderer) or nothing. Only the protocol handler (./app-protocol) touches
 * the disk, and only at the path this module names.
 *
 * This module must never import `electron`: it is unit-tested in plain Node
 * (tests/unit/shell-renderer-files.test.ts).
 */
import { extname, isAbsolute, relative, resolve } from 'node:path'
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './policy'

/** The kinds of file a Vite build emits; anything else is answered 404, whatever is on disk. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

/** Longer URLs are refused before any parsing: no real asset path comes near it. */
const MAX_URL_LENGTH = 2048

export type RendererFileAnswer = { status: 200; path: string; contentType: string } | { status: 404 } | { status: 405 }

const NOT_FOUND = { status: 404 } as const

/**
 * The file that answers `request`, or 404 (405 for anything but GET and HEAD). Refused: another
 * scheme or host, credentials or a port, `..` or `.` segments (also percent-encoded), backslashes,
 * drive letters, NUL and other control characters, empty segments, unknown file types, and anything
 * that would resolve outside `rootDir`. `/` is the entry page.
 */
export function resolveRendererRequest(request: { method: string; url: string }, rootDir: string): RendererFileAnswer {
  if (request.method !== 'GET' && request.method !== 'HEAD') return { status: 405 }
  const segments = pathSegments(request.url)
  if (!segments) return NOT_FOUND
  const root = resolve(rootDir)
  const file = resolve(root, ...segments)
  // The segment checks already rule out escapes; this is the guarantee should one of them be wrong.
  const inside = relative(root, file)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return NOT_FOUND
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()]
  return contentType ? { status: 200, path: file, contentType } : NOT_FOUND
}

/** The decoded path segments of an app://pathwise/ URL, or null when the URL is not acceptable. */
function pathSegments(raw: string): string[] | null {
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return null
  // Chromium gives a standard scheme's root as `/`, the WHATWG parser as '' when there is no slash.
  if (url.pathname === '' || url.pathname === '/') return ['index.html']
  const encoded = url.pathname.split('/').slice(1)
  const segments: string[] = []
  for (const part of encoded) {
    let segment: string
    try {
      segment = decodeURIComponent(part)
    } catch {
      return null
    }
    if (!isPlainSegment(segment)) return null
    segments.push(segment)
  }
  return segments
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f/\\:]/

/** A file or folder name that can only mean itself on every platform. */
function isPlainSegment(segment: string): boolean {
  return segment !== '' && segment !== '.' && segment !== '..' && !UNSAFE_CHARACTERS.test(segment)
}

/** Headers of every app:// answer: the type, the page's CSP and no content sniffing. */
export function rendererResponseHeaders(contentType = 'text/plain; charset=utf-8'): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    // A new version of the app ships new files under the same URLs.
    'Cache-Control': 'no-cache',
  }
}
