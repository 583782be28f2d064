/**
 * What must never reach the log file, removed from every message on its way there: sign-in links
 * (they carry the email and the code), sign-in codes, bearer and session tokens. The main process
 * already avoids logging them; this is the net under that rule, for a library's or a future line's
 * mistake. Never imports `electron` (tests/unit/shell-log-redact.test.ts).
 */
import { inspect } from 'node:util'

const RULES: readonly [RegExp, string][] = [
  // A whole pathwise: link, whatever it carries.
  [/pathwise:\/\/[^\s"'<>]*/gi, 'pathwise://[link removed]'],
  // code=123456, "code":"123456", code: 123456
  [/(\bcode["']?\s*[=:]\s*["']?)\d{4,8}\b/gi, '$1[removed]'],
  // Authorization: Bearer …
  [/(\bbearer\s+)[\w.~+/=-]+/gi, '$1[removed]'],
  // token=…, "token":"…", sessionToken: …
  [/(token["']?\s*[=:]\s*["']?)[\w.~+/=-]{8,}/gi, '$1[removed]'],
]

export function redactSecrets(text: string): string {
  let result = text
  for (const [pattern, replacement] of RULES) result = result.replace(pattern, replacement)
  return result
}

/**
 * One argument of a log call with secrets removed: strings and errors (message and stack) are
 * rewritten; an object that would print a secret is replaced by its printed, redacted form.
 */
export function redactLogValue(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value)
  if (value instanceof Error) {
    const message = redactSecrets(value.message)
    const stack = value.stack === undefined ? undefined : redactSecrets(value.stack)
    if (message === value.message && stack === value.stack) return value
    const copy = new Error(message)
    copy.name = value.name
    copy.stack = stack
    return copy
  }
  if (typeof value === 'object' && value !== null) {
    const printed = inspect(value, { depth: 5, breakLength: Infinity })
    const redacted = redactSecrets(printed)
    return redacted === printed ? value : redacted
  }
  return value
}
