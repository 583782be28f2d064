/**
 * Errors the HTTP API answers with: a status and a stable code (DESIGN.md §5). The codes are the app's
 * closed set (electron/core/errors.ts) plus the sign-in and sync outcomes a client acts on.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { AppError, type ErrorCode } from '../electron/core/errors'

export type ApiErrorCode =
  | ErrorCode
  | 'CODE_EXPIRED'
  | 'CODE_WRONG'
  | 'CODE_LOCKED'
  | 'FORBIDDEN'
  | 'MUTATION_REJECTED'
  | 'RATE_LIMITED'

export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message: string,
    /** Extra response headers (Retry-After). */
    readonly headers: Record<string, string> = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'HttpError'
  }
}

const APP_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  INVALID: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  DB_CORRUPT: 503,
  DB_TOO_NEW: 503,
}

/** The HttpError for an error thrown anywhere; null when it is not one the client may see. */
export function asHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error
  if (error instanceof AppError) return new HttpError(APP_STATUS[error.code], error.code, error.message)
  return null
}

export const unauthorized = () => new HttpError(401, 'UNAUTHORIZED', 'Please sign in again.')
