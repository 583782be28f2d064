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

export const jsonLogger: Logger = {
  info: (event, fields = {}) => process.stdout.write(`${line(event, fields)}\n`),
  error: (event, fields = {}) => process.stderr.write(`${line(event, fields)}\n`),
}
