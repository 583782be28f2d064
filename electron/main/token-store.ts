/** The session token, encrypted with Electron's safeStorage (the OS keychain) in the data folder. */
import { safeStorage } from 'electron'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { TokenStore } from '../core/sync/token-store'

export function createSafeTokenStore(file: string): TokenStore {
  return {
    async load() {
      const sealed = await readFile(file).catch(() => null)
      if (!sealed || !safeStorage.isEncryptionAvailable()) return null
      try {
        return safeStorage.decryptString(sealed)
      } catch {
        // Encrypted on another machine or by another user: the learner signs in again.
        return null
      }
    },
    async save(token) {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('The system keychain is not available; the session cannot be kept safely.')
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, safeStorage.encryptString(token), { mode: 0o600 })
    },
    async clear() {
      await rm(file, { force: true })
    },
  }
}
