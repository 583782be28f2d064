/** IPC message names outside the channel contract. No imports: the preload bundles this file. */

/** Synchronous message the preload sends once to learn the contract's channel names from main. */
export const CHANNEL_LIST_MESSAGE = 'contract.channels'

/** Event main sends to the window whenever the sync status changes (payload: SyncStatusView). */
export const SYNC_STATUS_EVENT = 'sync.status'

/** The loopback host's per-run token: in a <meta name> of the page it serves, and a header on each call. */
export const TOKEN_META = 'pathwise-token'
export const TOKEN_HEADER = 'x-pathwise-token'
