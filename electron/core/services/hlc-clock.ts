/** The device's hybrid logical clock, persisted in settings so readings keep rising across restarts. */
import type { Q } from '../db/database'
import { nextHlc, receiveHlc } from '../domain/hlc'
import { newId } from '../ids'
import { getSetting, setSetting } from '../repositories/settings'

const LAST_KEY = 'hlc_last'
const DEVICE_KEY = 'device_id'

/** This device's id (made on first use): the tie-breaker in clock readings, and the sync client id. */
export async function deviceId(q: Q): Promise<string> {
  const existing = await getSetting(q, DEVICE_KEY)
  if (existing) return existing
  const id = newId()
  await setSetting(q, DEVICE_KEY, id)
  return id
}

/** Takes the next clock reading inside the caller's transaction. */
export async function takeHlc(q: Q, nowMs: number): Promise<string> {
  const reading = nextHlc(await getSetting(q, LAST_KEY), nowMs, await deviceId(q))
  await setSetting(q, LAST_KEY, reading)
  return reading
}

/**
 * Takes in a reading this device has seen (pulled from the server) inside the caller's transaction, so
 * every reading it takes afterwards is later than it: an edit made after seeing a value beats it.
 */
export async function receiveReading(q: Q, seen: string, nowMs: number): Promise<void> {
  const last = await getSetting(q, LAST_KEY)
  if (last !== null && seen <= last) return
  await setSetting(q, LAST_KEY, receiveHlc(last, seen, nowMs, await deviceId(q)))
}
