/** settings: small local key/value facts (the local learner's id, the device's client id, …). */
import { eq } from 'drizzle-orm'
import type { Q } from '../db/database'
import { settings } from '../db/schema'

export async function getSetting(q: Q, key: string): Promise<string | null> {
  const rows = await q.select({ value: settings.value }).from(settings).where(eq(settings.key, key))
  return rows[0]?.value ?? null
}

export async function setSetting(q: Q, key: string, value: string): Promise<void> {
  await q.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } })
}
