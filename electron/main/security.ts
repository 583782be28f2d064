/**
 * Electron security checklist, applied to the session and to every web contents the app creates:
 * no permissions, no navigation away from our page, no new windows, no <webview>. The page's CSP is
 * sent by the app:// protocol (./app-protocol) with every file. The decisions themselves live in
 * ./policy (pure, unit-tested).
 */
import { shell, type Session, type WebContents } from 'electron'
import { externalUrlToOpen, navigationDecision, permissionDecision, windowOpenDecision } from './policy'

/** Session-wide rules: the app needs no camera, microphone, notifications, geolocation, …. */
export function secureSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionDecision(permission)))
  session.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission))
}

/** Hand an http(s) link to the learner's browser; anything else is refused silently. */
export function openExternalLink(raw: string): void {
  const url = externalUrlToOpen(raw)
  if (!url) return
  shell.openExternal(url).catch((error: unknown) => {
    console.warn('[pathwise] could not open a link in the browser:', error instanceof Error ? error.message : error)
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
    const decision = windowOpenDecision(url)
    if (decision.openExternally) openExternalLink(decision.openExternally)
    return { action: decision.action }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}
