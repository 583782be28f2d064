/**
 * Which account this device syncs, and adopting the learner's offline history into it at sign-in.
 * The outbox is the complete, ordered log of everything the learner did, so adoption replays it
 * under the account's id: every row (and every id derived from the learner) comes out as the server
 * will derive it, and the same log is then pushed.
 *
 * A sign-in by link waits for the learner to confirm the account before any of that happens (the
 * pending link below): until then the device keeps its own learner and the sync engine sends nothing.
 */
import { eq } from 'drizzle-orm'
import type { Catalog } from '../catalog/catalog'
import type { Db, Q } from '../db/database'
import { userProfiles, users } from '../db/schema'
import { Conflict } from '../errors'
import { newId } from '../ids'
import { runMutation } from '../mutations/run'
import type { MutationName } from '../mutations/args'
import { findProfile } from '../repositories/learners'
import { listOutbox, outboxSize } from '../repositories/outbox'
import { getSetting, setSetting } from '../repositories/settings'
import { settings } from '../db/schema'
import type { SyncUser } from './protocol'
import { LEARNER_KEY } from '../services/learner'

const ACCOUNT_KEY = 'sync_account'
const CLIENT_KEY = 'sync_client_id'
const CURSOR_KEY = 'sync_cursor'
/** The account a sign-in link signed into, waiting for the learner's confirmation. */
const PENDING_LINK_KEY = 'sync_pending_link'

export interface Account {
  userId: string
  email: string
  /** This device's client id for this account (a new one per sign-in). */
  clientId: string
}

export async function readAccount(q: Q): Promise<Account | null> {
  const json = await getSetting(q, ACCOUNT_KEY)
  const clientId = await getSetting(q, CLIENT_KEY)
  if (!json || !clientId) return null
  try {
    const { userId, email } = JSON.parse(json) as { userId: string; email: string }
    return { userId, email, clientId }
  } catch {
    return null
  }
}

export const readCursor = (q: Q) => getSetting(q, CURSOR_KEY)
export const writeCursor = (q: Q, cursor: string) => setSetting(q, CURSOR_KEY, cursor)

/** Forgets the account (sign-out), and any sign-in waiting for confirmation: local data stays, sync stops. */
export async function forgetAccount(db: Db): Promise<void> {
  await db.write(async (tx) => {
    for (const key of [ACCOUNT_KEY, CLIENT_KEY, CURSOR_KEY, PENDING_LINK_KEY]) await tx.delete(settings).where(eq(settings.key, key))
  })
}

/** The account a sign-in link signed into that the learner has not confirmed yet, or null. */
export async function readPendingLink(q: Q): Promise<SyncUser | null> {
  const json = await getSetting(q, PENDING_LINK_KEY)
  if (!json) return null
  try {
    const { id, email, name } = JSON.parse(json) as Partial<SyncUser>
    return typeof id === 'string' && typeof email === 'string' ? { id, email, name: typeof name === 'string' ? name : null } : null
  } catch {
    return null
  }
}

/** Holds `user` until the learner confirms it (adoptIntoAccount) or signs out (forgetAccount). */
export async function holdForConfirmation(db: Db, user: SyncUser): Promise<void> {
  await db.write((tx) => setSetting(tx, PENDING_LINK_KEY, JSON.stringify({ id: user.id, email: user.email, name: user.name })))
}

/**
 * Why `email`'s account could not take this device's data, or null: another account's changes have
 * not synced yet (adoptIntoAccount refuses the same by account id once the account is known).
 */
export async function adoptionRefusal(q: Q, email: string): Promise<Conflict | null> {
  const previous = await readAccount(q)
  if (!previous || previous.email === email) return null
  const waiting = await outboxSize(q)
  return waiting > 0 ? unsyncedConflict(previous, waiting) : null
}

const unsyncedConflict = (previous: Account, waiting: number) =>
  new Conflict(`${previous.email} still has ${waiting} changes that have not synced. Sign in as ${previous.email} to sync them first.`)

/**
 * Makes `user` the learner of this device. Returns the learner id to use from now on.
 * - the same account again: nothing changes;
 * - a device that was never signed in: its history is replayed under the account;
 * - another account's data with changes not yet synced: refused, nothing is lost.
 */
export async function adoptIntoAccount(db: Db, catalog: Catalog, user: SyncUser): Promise<string> {
  return db.write(async (tx) => {
    const learnerId = (await getSetting(tx, LEARNER_KEY)) as string
    const previous = await readAccount(tx)
    const outbox = await listOutbox(tx, Number.MAX_SAFE_INTEGER)
    if (previous && previous.userId !== user.id && outbox.length > 0) throw unsyncedConflict(previous, outbox.length)
    if (learnerId !== user.id) {
      const timezone = (await findProfile(tx, learnerId))?.timezone ?? 'UTC'
      // Everything of the old learner goes (ON DELETE CASCADE); the replay below rebuilds what is theirs.
      await tx.delete(users).where(eq(users.id, learnerId))
      await tx.insert(users).values({ id: user.id, email: user.email, name: user.name ?? 'Learner' }).onConflictDoNothing()
      await tx.insert(userProfiles).values({ userId: user.id, timezone }).onConflictDoNothing()
      await setSetting(tx, LEARNER_KEY, user.id)
      await setSetting(tx, CURSOR_KEY, '')
      if (!previous) {
        for (const entry of outbox) {
          await runMutation({ tx, userId: user.id, catalog }, entry.name as MutationName, JSON.parse(entry.args))
        }
      }
    }
    if (!previous || previous.userId !== user.id) await setSetting(tx, CLIENT_KEY, newId())
    await setSetting(tx, ACCOUNT_KEY, JSON.stringify({ userId: user.id, email: user.email }))
    // Signed in for good: a link sign-in that waited is settled by this (confirmed, or replaced by a typed code).
    await tx.delete(settings).where(eq(settings.key, PENDING_LINK_KEY))
    return user.id
  })
}
