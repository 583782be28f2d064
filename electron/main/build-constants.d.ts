/**
 * Values electron.vite.config.ts writes into the main bundle at build time (`define`).
 */

/** The sync server a release talks to (PATHWISE_DEFAULT_SYNC_URL when it was built); '' for none. */
declare const __PATHWISE_DEFAULT_SYNC_URL__: string
