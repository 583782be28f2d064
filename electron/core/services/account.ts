/** auth.start / auth.verify / auth.signOut and sync.status / sync.now: signing in and syncing. */
import type { Catalog } from '../catalog/catalog'
import type { SyncStatusView } from '../contract/types'
import type { Db } from '../db/database'
import { Unavailable } from '../errors'
import { adoptIntoAccount, forgetAccount } from '../sync/account'
import type { SyncEngine } from '../sync/engine'
import type { SyncHttp } from '../sync/http'
import { EmailStartBody, EmailVerifyBody } from '../sync/protocol'
import type { TokenStore } from '../sync/token-store'
import { parseInput } from './validate'

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
}

const NOT_SET_UP = 'Sync is not set up on this computer (no server address). Everything keeps working offline.'

export function createAccountService(deps: AccountServiceDeps) {
  const need = (): SyncSetup => {
    if (!deps.sync) throw new Unavailable(NOT_SET_UP)
    return deps.sync
  }
  const status = (): SyncStatusView => deps.sync?.engine.status() ?? { state: 'signed-out', pending: 0, setAside: 0, lastSyncAt: null, lastError: NOT_SET_UP, email: null, tokenKept: null }

  return {
    /** Sends a 6-digit code to the address. */
    async start(input: unknown): Promise<{ sent: true }> {
      const { email } = parseInput(EmailStartBody, input, 'email')
      await need().http.start(email)
      return { sent: true }
    },

    /** Checks the code; the learner's offline progress is adopted by the account and synced. */
    async verify(input: unknown): Promise<SyncStatusView> {
      const { email, code } = parseInput(EmailVerifyBody, input, 'sign-in code')
      const sync = need()
      const answer = await sync.http.verify(email, code)
      const userId = await adoptIntoAccount(deps.db, deps.catalog, answer.user)
      await sync.tokens.save(answer.token)
      deps.onLearnerChanged(userId)
      sync.engine.start()
      return status()
    },

    /** Stops syncing and forgets the session; everything stays on this computer. */
    async signOut(): Promise<SyncStatusView> {
      const sync = need()
      const token = await sync.tokens.load()
      sync.engine.stop()
      // Signing out works offline too: if the server can't be told, the session simply expires there.
      if (token) await sync.http.signOut(token).catch(() => undefined)
      await sync.tokens.clear()
      await forgetAccount(deps.db)
      await sync.engine.syncNow() // publishes the signed-out status
      return status()
    },

    status: async (): Promise<SyncStatusView> => status(),

    async syncNow(): Promise<SyncStatusView> {
      await need().engine.syncNow()
      return status()
    },
  }
}
