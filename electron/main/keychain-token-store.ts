/**
 * The session token kept with Electron's asynchronous safeStorage (the OS keychain) in the data
 * folder, or only in memory where this computer cannot protect it (token-protection.ts). Never imports
 * electron: token-store.ts hands in the real safeStorage, the tests a fake of the same surface.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createMemoryTokenStore, type TokenStore } from '../core/sync/token-store'
import { tokenProtection, type LinuxStorageBackend, type TokenProtection } from './token-protection'

/** The part of Electron 45's safeStorage this store uses (the synchronous calls are gone in 46). */
export interface SafeStorageSurface {
  isAsyncEncryptionAvailable(): Promise<boolean>
  encryptStringAsync(plainText: string): Promise<Buffer>
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>
  getSelectedStorageBackend(): LinuxStorageBackend
}

export interface KeychainTokenStoreDeps {
  file: string
  safeStorage: SafeStorageSurface
  platform: NodeJS.Platform
  /** Resolves once the app is ready: before that, Linux has not chosen its backend. */
  ready(): Promise<unknown>
  log?: (message: string) => void
}

export function createKeychainTokenStore(deps: KeychainTokenStoreDeps): TokenStore {
  const { file, safeStorage } = deps
  const log = deps.log ?? (() => undefined)
  const memory = createMemoryTokenStore()
  let decided: Promise<TokenProtection> | null = null
  // File writes one at a time, so a background re-encryption can never land over a newer token.
  let writing: Promise<unknown> = Promise.resolve()
  const serially = <T>(write: () => Promise<T>): Promise<T> => {
    const next = writing.then(write, write)
    writing = next.catch(() => undefined)
    return next
  }

  const temporary = `${file}.tmp`
  const removeFile = () =>
    Promise.all([rm(file, { force: true }), rm(temporary, { force: true })]).catch((error: unknown) =>
      log(`[pathwise] the old session file could not be removed: ${String(error)}`),
    )

  async function decide(): Promise<TokenProtection> {
    await deps.ready()
    let protection: TokenProtection = 'memory'
    try {
      const asyncAvailable = await safeStorage.isAsyncEncryptionAvailable()
      const backend = deps.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null
      protection = tokenProtection({ platform: deps.platform, asyncAvailable, backend })
      log(`[pathwise] session token kept ${protection === 'keychain' ? 'in the keychain' : 'only in memory'}${backend ? ` (backend ${backend})` : ''}`)
    } catch (error) {
      log(`[pathwise] safeStorage could not be asked, session token kept only in memory: ${String(error)}`)
    }
    // A file left by an earlier version under basic_text is readable by anyone with the public password.
    if (protection === 'memory') await serially(removeFile)
    return protection
  }
  // Decided at first use, not at creation: main creates the store before the app is ready.
  const mode = (): Promise<TokenProtection> => (decided ??= decide())

  async function seal(token: string): Promise<void> {
    const sealed = await safeStorage.encryptStringAsync(token)
    await mkdir(dirname(file), { recursive: true })
    // Through a temporary file: a crash mid-write must not leave half a token behind.
    await writeFile(temporary, sealed, { mode: 0o600 })
    await rename(temporary, file)
  }

  return {
    kept: mode,

    async load() {
      if ((await mode()) === 'memory') return memory.load()
      const sealed = await readFile(file).catch(() => null)
      if (!sealed) return null
      let opened: { shouldReEncrypt: boolean; result: string }
      try {
        opened = await safeStorage.decryptStringAsync(sealed)
      } catch {
        // Encrypted on another machine or by another user: the learner signs in again.
        return null
      }
      if (opened.shouldReEncrypt) {
        // The keychain's key changed: seal the token again, unless a newer one was saved meanwhile.
        const token = opened.result
        await serially(async () => {
          const current = await readFile(file).catch(() => null)
          if (current?.equals(sealed)) await seal(token)
        }).catch((error: unknown) => log(`[pathwise] the session token could not be encrypted again: ${String(error)}`))
      }
      return opened.result
    },

    async save(token) {
      if ((await mode()) === 'memory') return memory.save(token)
      try {
        await serially(() => seal(token))
      } catch (error) {
        // The keychain refused after all: keep the learner signed in for this run, and say so.
        log(`[pathwise] the keychain refused the session token, kept only in memory: ${String(error)}`)
        decided = Promise.resolve('memory')
        await serially(removeFile)
        await memory.save(token)
      }
    },

    async clear() {
      await memory.clear()
      await serially(removeFile)
    },
  }
}
