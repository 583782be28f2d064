/**
 * Where the session token lives. Electron's main keeps it with safeStorage (the OS keychain); the core
 * only sees this interface, and tests and the loopback host use the file store below.
 */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

export interface TokenStore {
  load(): Promise<string | null>
  save(token: string): Promise<void>
  clear(): Promise<void>
}

/** A token in a file readable only by its owner. For tests and the loopback host, not for shipping. */
export function createFileTokenStore(file: string): TokenStore {
  return {
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
