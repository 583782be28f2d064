/**
 * The session token, with Electron's asynchronous safeStorage (the OS keychain) in the data folder, or
 * only in memory where the keychain cannot protect it. The logic is in keychain-token-store.ts.
 */
import { app, safeStorage } from 'electron'
import type { TokenStore } from '../core/sync/token-store'
import { createKeychainTokenStore } from './keychain-token-store'

export function createSafeTokenStore(file: string): TokenStore {
  return createKeychainTokenStore({
    file,
    safeStorage,
    platform: process.platform,
    // safeStorage picks its Linux backend at 'ready'; the store is created earlier, with the core.
    ready: () => app.whenReady(),
    log: (message) => console.info(message),
  })
}
