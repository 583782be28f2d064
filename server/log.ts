/**
 * Structured logs: one JSON line per event on stdout (requests) or stderr (failures). Callers pass only
 * what is safe to keep: never a token, a sign-in code, an email body or a request body.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>

export interface Logger {
  info(event: string, fields?: LogFields): void
  error(event: string, fields?: LogFields): void
}

function line(event: string, fields: LogFields): string {
  return JSON.stringify({ time: new Date().toISOString(), event, ...fields })
}

/**
 * Info lines (one per request) written in the same turn of the event loop go out in one write at its
 * end: stdout is usually a pipe, which Node writes synchronously, and a write per line was a few
 * percent of a busy server's time. Whatever is left goes out when the process exits; errors go out at once.
 */
let pending = ''

function flushInfo(): void {
  const out = pending
  pending = ''
  if (out) process.stdout.write(out)
}
process.on('exit', flushInfo)

export const jsonLogger: Logger = {
  info: (event, fields = {}) => {
    if (!pending) setImmediate(flushInfo)
    pending += `${line(event, fields)}\n`
  },
  error: (event, fields = {}) => process.stderr.write(`${line(event, fields)}\n`),
}
