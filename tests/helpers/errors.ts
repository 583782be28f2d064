import { expect } from 'vitest'
import { AppError } from '../../electron/core/errors'

/** Awaits a promise that must reject with a typed AppError of `code`; returns the error. */
export async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  expect((error as AppError).code).toBe(code)
  return error as AppError
}
