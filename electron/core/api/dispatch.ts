/**
 * The boundary every renderer call crosses (IPC in Electron, HTTP in the loopback host): the channel
 * must exist, the payload must match the contract, and whatever happens the caller gets a Result,
 * never a stack trace. A bad payload never reaches a service.
 */
import { contract, isChannel, type Channel, type Result } from '../contract/channels'
import { Invalid, NotFound, toErrorBody, AppError } from '../errors'
import type { Handlers } from './handlers'

export type Dispatch = (channel: string, payload: unknown) => Promise<Result<unknown>>

export function createDispatch(handlers: Handlers, log: (message: string, error: unknown) => void = console.error): Dispatch {
  return async (channel, payload) => {
    try {
      if (!isChannel(channel)) throw new NotFound(`There is no channel "${String(channel).slice(0, 60)}".`)
      const parsed = contract[channel].input.safeParse(payload)
      if (!parsed.success) throw Invalid.fromZod(parsed.error, channel)
      const handler = handlers[channel] as (input: unknown) => Promise<unknown>
      return { ok: true, value: await handler(parsed.data) }
    } catch (error) {
      // Expected, typed errors go back as they are; anything else is a bug: log it, answer plainly.
      if (!(error instanceof AppError)) log(`[pathwise] ${String(channel).slice(0, 60)} failed`, error)
      return { ok: false, error: toErrorBody(error) }
    }
  }
}

export type { Channel }
