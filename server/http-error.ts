/**
 * Errors the HTTP API answers with: a status and a stable code. The codes are the app's
 * closed set (electron/core/errors.ts) plus the sign-in and sync outcomes a client acts on.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { AppError, HTTP_STATUS, type ErrorCode } from '../electron/core/errors'

export type ApiErrorCode =
  | ErrorCode
  | 'CODE_EXPIRED'
  | 'CODE_WRONG'
  | 'CODE_LOCKED'
  | 'FORBIDDEN'
  | 'MUTATION_REJECTED'
  | 'RATE_LIMITED'
  /** A POST under /v1 whose body is not declared application/json (app.ts). */
  | 'UNSUPPORTED_MEDIA_TYPE'

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


/** The HttpError for an error thrown anywhere; null when it is not one the client may see. */
export function asHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error
  if (error instanceof AppError) return new HttpError(HTTP_STATUS[error.code], error.code, error.message)
  return null
}

export const unauthorized = () => new HttpError(401, 'UNAUTHORIZED', 'Please sign in again.')
