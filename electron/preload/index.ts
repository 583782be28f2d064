/**
 * Preload: the only bridge between the sandboxed page and the main process. It will expose exactly
 * the IPC contract as `window.api` (DESIGN §2) and nothing else; until the contract is wired in, the
 * page is given nothing at all.
 *
 * Built as CommonJS (out/preload/index.cjs): sandboxed preloads cannot be ES modules.
 */
export {}
