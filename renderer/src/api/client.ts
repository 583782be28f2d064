/** Calls a channel and unwraps its Result: a typed error becomes an ApiError that React Query can hold. */
import type { Api, Channel, Input, Output } from '../../../electron/core/contract/channels'
import type { ErrorBody } from '../../../electron/core/errors'
import { createApi } from './transport'

export class ApiError extends Error {
  readonly code: ErrorBody['code']
  readonly fields: Record<string, string[]>
  constructor(body: ErrorBody) {
    super(body.message)
    this.code = body.code
    this.fields = body.fields ?? {}
  }
}

let api: Api | null = null

export async function call<C extends Channel>(channel: C, ...input: undefined extends Input<C> ? [Input<C>?] : [Input<C>]): Promise<Output<C>> {
  api ??= createApi()
  const fn = api[channel] as (input?: unknown) => ReturnType<Api[C]>
  const result = await fn(input[0])
  if (!result.ok) throw new ApiError(result.error)
  return result.value as Output<C>
}
