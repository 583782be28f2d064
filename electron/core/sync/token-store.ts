/**
 * Where the session token lives. Electron's main keeps it with safeStorage (the OS keychain), or only in
 * memory where there is no keyring; the core only sees this interface, and tests and the loopback host
 * use the file store below.
 */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { TokenKept } from '../contract/types'

export interface TokenStore {
  /**
   * Where a saved token is kept, so the Account screen can tell the learner. A promise: Electron's main
   * can only tell once the app is ready (safeStorage on Linux picks its backend then).
   */
  kept(): Promise<TokenKept>
  load(): Promise<string | null>
  save(token: string): Promise<void>
  clear(): Promise<void>
}

/** A token in a file readable only by its owner. For tests and the loopback host, not for shipping. */
export function createFileTokenStore(file: string): TokenStore {
  return {
    kept: () => Promise.resolve('file'),
    async load() {
      const text = await readFile(file, 'utf8').catch(() => null)
      return text?.trim() || null
    },
    async save(token) {
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, token, { mode: 0o600 })
      await chmod(file, 0o600)
    },
    async clear() {
      await rm(file, { force: true })
    },
  }
}

/** A token held only by this process: gone when the app quits, never written anywhere. */
export function createMemoryTokenStore(): TokenStore {
  let token: string | null = null
  return {
    kept: () => Promise.resolve('memory'),
    load: () => Promise.resolve(token),
    save(next) {
      token = next
      return Promise.resolve()
    },
    clear() {
      token = null
      return Promise.resolve()
    },
  }
}
