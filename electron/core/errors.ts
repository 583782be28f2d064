/**
 * The closed set of errors that may cross a process boundary (IPC, loopback HTTP, sync HTTP).
 * Each has a stable `code` and a message a learner can read; anything else is reported as
 * `UNAVAILABLE` without its internals.
 */
import type { ZodError } from 'zod'

export const ERROR_CODES = [
  'INVALID',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHORIZED',
  'UNAVAILABLE',
  'UNSUPPORTED',
  'DB_CORRUPT',
  'DB_TOO_NEW',
  'DB_READ_ONLY',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/** The HTTP status that answers each error, wherever the contract or the sync API is served over HTTP. */
export const HTTP_STATUS = {
  INVALID: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  UNSUPPORTED: 501,
  DB_CORRUPT: 503,
  DB_TOO_NEW: 503,
  DB_READ_ONLY: 503,
} as const satisfies Record<ErrorCode, number>

/** Field path → messages, for inline form errors. */
export type FieldErrors = Record<string, string[]>

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class Invalid extends AppError {
  constructor(message: string, fields?: FieldErrors) {
    super('INVALID', message, fields)
  }

  static fromZod(error: ZodError, what = 'input'): Invalid {
    const fields: FieldErrors = {}
    for (const issue of error.issues) {
      const key = issue.path.join('.') || '_'
      ;(fields[key] ??= []).push(issue.message)
    }
    const first = error.issues[0]
    const where = first && first.path.length > 0 ? ` (${first.path.join('.')})` : ''
    return new Invalid(`Invalid ${what}${where}: ${first?.message ?? 'unknown problem'}`, fields)
  }
}

export class NotFound extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message)
  }
}

export class Conflict extends AppError {
  constructor(message: string) {
    super('CONFLICT', message)
  }
}

export class Unauthorized extends AppError {
  constructor(message = 'Please sign in again.') {
    super('UNAUTHORIZED', message)
  }
}

export class Unavailable extends AppError {
  constructor(message: string) {
    super('UNAVAILABLE', message)
  }
}

/**
 * This host cannot do what was asked (the loopback host has no save dialog). Kept apart from UNAVAILABLE,
 * which also answers every unexpected failure, so a caller can fall back safely on this code alone.
 */
export class Unsupported extends AppError {
  constructor(message: string) {
    super('UNSUPPORTED', message)
  }
}

export class DatabaseCorrupt extends AppError {
  constructor(readonly file: string) {
    super(
      'DB_CORRUPT',
      `The learning database at ${file} is damaged and cannot be opened. It has been left as it is; ` +
        'move it aside or restore a backup (files ending in .bak) to continue.',
    )
  }
}

export class DatabaseTooNew extends AppError {
  constructor(
    readonly file: string,
    readonly fileVersion: number,
    readonly appVersion: number,
  ) {
    super(
      'DB_TOO_NEW',
      `The learning database at ${file} was written by a newer version of Pathwise ` +
        `(schema ${fileVersion}, this app knows ${appVersion}). Update Pathwise to open it; the file has not been changed.`,
    )
  }
}

/**
 * The data file or its folder cannot be written (its mode, its owner, a read-only disk): refused at
 * start, before anything is written, rather than opening for reads and failing every write.
 */
export class DatabaseReadOnly extends AppError {
  constructor(
    /** The database file, or the data folder when it is the folder that cannot be written. */
    readonly path: string,
    readonly what: 'file' | 'folder',
  ) {
    super(
      'DB_READ_ONLY',
      what === 'file'
        ? `Pathwise cannot write to its data file ${path}. Check that you own it and it is not read-only, then start Pathwise again; the file has not been changed.`
        : `Pathwise cannot write to its data folder ${path}. Check that you own it, that it is not read-only and that its disk is not, then start Pathwise again; nothing in it has been changed.`,
    )
  }
}

/** The serialisable form of an error, as it crosses a boundary. */
export interface ErrorBody {
  code: ErrorCode
  message: string
  fields?: FieldErrors
}

export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) {
    return error.fields ? { code: error.code, message: error.message, fields: error.fields } : { code: error.code, message: error.message }
  }
  return { code: 'UNAVAILABLE', message: 'Something went wrong. Please try again.' }
}
