/** IPC message names outside the channel contract. No imports: the preload bundles this file. */

/** Synchronous message the preload sends once to learn the contract's channel names from main. */
export const CHANNEL_LIST_MESSAGE = 'contract.channels'

/** Event main sends to the window whenever the sync status changes (payload: SyncStatusView). */
export const SYNC_STATUS_EVENT = 'sync.status'

/** Event main sends to the window whenever the app's own update status changes (payload: UpdateStatusView). */
export const UPDATE_STATUS_EVENT = 'updates.status'

/** Event main sends to the window after it used a pathwise://auth/verify sign-in link (payload: DeepLinkOutcome). */
export const DEEP_LINK_EVENT = 'deepLink.outcome'

/** What became of a sign-in link: signed in, or a message the learner can read. */
export type DeepLinkOutcome = { ok: true } | { ok: false; message: string }

/** The loopback host's per-run token: in a <meta name> of the page it serves, and a header on each call. */
export const TOKEN_META = 'pathwise-token'
export const TOKEN_HEADER = 'x-pathwise-token'
