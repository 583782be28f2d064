/**
 * Electron security checklist, applied to the session and to every web contents the app creates:
 * strict CSP, no permissions, no navigation away from our page, no new windows, no <webview>.
 * The decisions themselves live in ./policy (pure, unit-tested).
 */
import { shell, type Session, type WebContents } from 'electron'
import { CONTENT_SECURITY_POLICY, externalUrlToOpen, navigationDecision } from './policy'

/**
 * Session-wide rules. `csp` is sent as a header on every response when given (built renderer); the
 * dev server is left alone because its page carries the relaxed development policy as a <meta>.
 */
export function secureSession(session: Session, options: { csp: boolean }): void {
  if (options.csp) {
    session.webRequest.onHeadersReceived((details, callback) => {
      const responseHeaders = { ...details.responseHeaders }
      for (const name of Object.keys(responseHeaders)) {
        if (name.toLowerCase() === 'content-security-policy') delete responseHeaders[name]
      }
      responseHeaders['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY]
      callback({ responseHeaders })
    })
  }
  // The app needs no camera, microphone, notifications, geolocation, … : refuse every request.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/** Hand an http(s) link to the learner's browser; anything else is refused silently. */
export function openExternalLink(raw: string): void {
  const url = externalUrlToOpen(raw)
  if (!url) return
  shell.openExternal(url).catch((error: unknown) => {
    console.warn(`[pathwise] could not open ${url} in the browser:`, error instanceof Error ? error.message : error)
  })
}

/**
 * Lock down one web contents: it may only ever show our own page (`appUrl()` is read at event time,
 * since the window decides it when it loads). Links to http(s) pages open in the browser.
 */
export function secureWebContents(contents: WebContents, appUrl: () => string | null): void {
  contents.on('will-navigate', (event) => {
    const current = appUrl()
    const decision = current ? navigationDecision(event.url, current) : 'deny'
    if (decision === 'allow') return
    event.preventDefault()
    if (decision === 'external') openExternalLink(event.url)
  })
  contents.on('will-redirect', (event) => {
    const current = appUrl()
    if (current && navigationDecision(event.url, current) === 'allow') return
    event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    openExternalLink(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}
