/** IPC message names outside the channel contract. No imports: the preload bundles this file. */

/** Synchronous message the preload sends once to learn the contract's channel names from main. */
export const CHANNEL_LIST_MESSAGE = 'contract.channels'
