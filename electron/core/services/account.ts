/**
 * auth.* and sync.status / sync.now: signing in and syncing.
 *
 * Two ways in. A typed code (auth.verify): the learner typed their address and the code on this
 * computer, so the account takes this computer's progress at once. A sign-in link (verifyLink, from
 * main's pathwise: handler): anyone can send a link, so it is used only with the nonce this computer
 * made when it asked for a code for that address, and even then the account gets nothing until the
 * learner confirms it on screen (auth.confirmLink; auth.signOut declines).
 */
import { z } from 'zod'
import type { Catalog } from '../catalog/catalog'
import { ConfirmLinkInput } from '../contract/inputs'
import type { SignedOutEverywhere, SyncStatusView } from '../contract/types'
import type { Db } from '../db/database'
import { Conflict, Unauthorized, Unavailable } from '../errors'
import { adoptIntoAccount, adoptionRefusal, forgetAccount, holdForConfirmation, readAccount, readPendingLink } from '../sync/account'
import type { SyncEngine } from '../sync/engine'
import type { SyncHttp } from '../sync/http'
import { EmailStartBody, EmailVerifyBody, SignInNonce, type SyncUser } from '../sync/protocol'
import { isRequested, LINK_NOT_REQUESTED, newSignInNonce, readSignInRequests, withoutRequest, withRequest, writeSignInRequests } from '../sync/sign-in-requests'
import type { TokenStore } from '../sync/token-store'
import { parseInput } from './validate'

/** A sign-in link's parts (electron/main/deep-link.ts parses the link itself). */
export const LinkVerifyBody = EmailVerifyBody.extend({ nonce: SignInNonce }).strict()
export type LinkVerifyBody = z.input<typeof LinkVerifyBody>

export interface SyncSetup {
  http: SyncHttp
  tokens: TokenStore
  engine: SyncEngine
}

export interface AccountServiceDeps {
  db: Db
  catalog: Catalog
  /** Null when no sync server is configured: everything else still works, offline. */
  sync: SyncSetup | null
  /** The device now works for another learner id (the account's). */
  onLearnerChanged(userId: string): void
  /**
   * Epoch ms for the sign-in requests' lifetime; the real time by default, as the server measures its
   * codes' (the core's clock is the learner's, which tests may stop).
   */
  now?: () => number
}

const NOT_SET_UP = 'Sync is not set up on this computer (no server address). Everything keeps working offline.'

export function createAccountService(deps: AccountServiceDeps) {
  const need = (): SyncSetup => {
    if (!deps.sync) throw new Unavailable(NOT_SET_UP)
    return deps.sync
  }
  const status = (): SyncStatusView => deps.sync?.engine.status() ?? { state: 'signed-out', pending: 0, setAside: 0, lastSyncAt: null, lastError: NOT_SET_UP, email: null, tokenKept: null }
  const now = deps.now ?? Date.now

  /**
   * The device's new session replaces the one it had: that one is ended on the server (best effort:
   * offline, it simply expires there), so an older token never keeps working beside the new one.
   */
  async function replaceSession(sync: SyncSetup, token: string): Promise<void> {
    const previous = await sync.tokens.load()
    if (previous && previous !== token) await sync.http.signOut(previous).catch(() => undefined)
    await sync.tokens.save(token)
  }

  /** Signs in for good: the account adopts this computer's progress, and syncing starts. */
  async function adopt(sync: SyncSetup, user: SyncUser, token: string | null): Promise<SyncStatusView> {
    const userId = await adoptIntoAccount(deps.db, deps.catalog, user)
    if (token) await replaceSession(sync, token)
    deps.onLearnerChanged(userId)
    // The answer is the status of the sync this starts (signed in, syncing), not the one from before
    // the sign-in; the sync itself goes on in the background, so an offline server cannot hold it up.
    await sync.engine.startAndAnnounce()
    return status()
  }

  /** Stops syncing and forgets the session and account here; the server is told by the caller. */
  async function signOutHere(sync: SyncSetup): Promise<void> {
    sync.engine.stop()
    await sync.tokens.clear()
    await forgetAccount(deps.db)
    await sync.engine.syncNow() // publishes the signed-out status
  }

  return {
    /** Sends a 6-digit code to the address, with a fresh nonce for the link in the mail. */
    async start(input: unknown): Promise<{ sent: true }> {
      const { email } = parseInput(EmailStartBody, input, 'email')
      const sync = need()
      const nonce = newSignInNonce()
      // Remembered before asking: if the answer is lost after the server mailed the link, the link still works.
      await deps.db.write(async (tx) => writeSignInRequests(tx, withRequest(await readSignInRequests(tx), email, nonce, now())))
      await sync.http.start({ email, nonce })
      return { sent: true }
    },

    /** Checks a typed code; the learner's offline progress is adopted by the account and synced. */
    async verify(input: unknown): Promise<SyncStatusView> {
      const { email, code } = parseInput(EmailVerifyBody, input, 'sign-in code')
      const sync = need()
      const answer = await sync.http.verify(email, code)
      await deps.db.write(async (tx) => writeSignInRequests(tx, withoutRequest(await readSignInRequests(tx), email, now())))
      if (await deps.db.read((q) => readPendingLink(q))) {
        // A link's account was waiting: its session goes before the typed account is adopted, so no sync
        // can pair that session's token with this account's data in between.
        sync.engine.stop()
        const waitingToken = await sync.tokens.load()
        if (waitingToken) await sync.http.signOut(waitingToken).catch(() => undefined)
        await sync.tokens.clear()
      }
      return adopt(sync, answer.user, answer.token)
    },

    /**
     * Checks a sign-in link's code, only if this computer asked for a code for that address with the
     * link's nonce; otherwise nothing is sent. A new account then waits for the learner's confirmation
     * ('awaiting-confirmation'): no adoption, no push, no pull until auth.confirmLink.
     */
    async verifyLink(input: unknown): Promise<SyncStatusView> {
      const { email, code, nonce } = parseInput(LinkVerifyBody, input, 'sign-in link')
      const sync = need()
      const requested = await deps.db.read(async (q) => isRequested(await readSignInRequests(q), email, nonce, now()))
      if (!requested) throw new Unauthorized(LINK_NOT_REQUESTED)
      const refusal = await deps.db.read((q) => adoptionRefusal(q, email))
      if (refusal) throw refusal
      const answer = await sync.http.verify(email, code)
      // Used: the same link again is refused here. A failed code above leaves it, so the right link still works.
      await deps.db.write(async (tx) => writeSignInRequests(tx, withoutRequest(await readSignInRequests(tx), email, now())))
      const account = await deps.db.read((q) => readAccount(q))
      // Already this account's computer: its progress goes there anyway, there is nothing to confirm.
      if (account?.userId === answer.user.id) return adopt(sync, answer.user, answer.token)
      // Order matters if the app stops in between: with the old token gone first and the new one saved
      // last, no moment has the new account's token beside the old account's unsynced data.
      sync.engine.stop()
      const previous = await sync.tokens.load()
      if (previous) await sync.http.signOut(previous).catch(() => undefined)
      await sync.tokens.clear()
      await holdForConfirmation(deps.db, answer.user)
      await sync.tokens.save(answer.token)
      sync.engine.start()
      await sync.engine.idle() // publishes 'awaiting-confirmation'
      return status()
    },

    /** The learner confirmed the account a sign-in link signed into: it adopts this computer's progress and syncs. */
    async confirmLink(input: unknown): Promise<SyncStatusView> {
      const { email } = parseInput(ConfirmLinkInput, input, 'email')
      const sync = need()
      const waiting = await deps.db.read((q) => readPendingLink(q))
      if (!waiting) throw new Conflict('No sign-in is waiting to be confirmed on this computer.')
      if (waiting.email !== email) throw new Conflict(`The sign-in waiting here is for ${waiting.email}, not ${email}.`)
      if (!(await sync.tokens.load())) {
        await signOutHere(sync)
        throw new Unauthorized('That sign-in ended before it was confirmed. Sign in again to sync.')
      }
      return adopt(sync, waiting, null)
    },

    /** Stops syncing and forgets the session; everything stays on this computer. Declines a sign-in link too. */
    async signOut(): Promise<SyncStatusView> {
      const sync = need()
      const token = await sync.tokens.load()
      sync.engine.stop()
      // Signing out works offline too: if the server can't be told, the session simply expires there.
      if (token) await sync.http.signOut(token).catch(() => undefined)
      await signOutHere(sync)
      return status()
    },

    /**
     * Ends every session of the account on the server, then signs this computer out. Unlike signOut it
     * needs the server: if it cannot be told, nothing changes here and the learner is told why.
     */
    async signOutEverywhere(): Promise<SignedOutEverywhere> {
      const sync = need()
      const token = await sync.tokens.load()
      if (!token) throw new Unauthorized('You are not signed in on this computer.')
      const { signedOut } = await sync.http.signOutAll(token)
      await signOutHere(sync)
      return { signedOut, status: status() }
    },

    status: async (): Promise<SyncStatusView> => status(),

    async syncNow(): Promise<SyncStatusView> {
      await need().engine.syncNow()
      return status()
    },
  }
}
