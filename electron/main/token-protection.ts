/**
 * Whether this computer can protect the sync session token at rest. Pure: the adapter
 * (keychain-token-store.ts) reads the facts from Electron's safeStorage once the app is ready.
 */

/** What safeStorage.getSelectedStorageBackend() answers on Linux (Electron 45). */
export type LinuxStorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown'

export interface ProtectionFacts {
  platform: NodeJS.Platform
  /** safeStorage.isAsyncEncryptionAvailable(), asked after 'ready'. */
  asyncAvailable: boolean
  /** The Linux backend; ignored elsewhere (Keychain on macOS, DPAPI on Windows). */
  backend: LinuxStorageBackend | null
}

/** 'keychain': encrypt the token with safeStorage and keep it on disk; 'memory': never write it. */
export type TokenProtection = 'keychain' | 'memory'

// Only backends that derive the key from a real secret store count. basic_text encrypts with a fixed,
// published password, so its file is as readable as plain text, and a sync token reads and writes
// the learner's data; 'unknown' (or a backend a later Electron adds) proves nothing, so it fails closed.
const PROTECTING_LINUX_BACKENDS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])

export function tokenProtection(facts: ProtectionFacts): TokenProtection {
  if (!facts.asyncAvailable) return 'memory'
  if (facts.platform !== 'linux') return 'keychain'
  return facts.backend !== null && PROTECTING_LINUX_BACKENDS.has(facts.backend) ? 'keychain' : 'memory'
}
