/**
 * The main process's token store over real files, with a fake of Electron's safeStorage surface (the
 * OS boundary: the real one needs the Electron binary and a desktop keyring).
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createKeychainTokenStore, type SafeStorageSurface } from '../../electron/main/keychain-token-store'
import type { LinuxStorageBackend } from '../../electron/main/token-protection'
import { tempDir } from '../helpers/core'

const TOKEN = 'session-4f1c9a7e2b'

/**
 * A keychain whose key has a version: it seals as `k<version>:` plus the bytes XOR-ed with the version,
 * opens what an older version sealed (asking for re-encryption), and refuses anything else.
 */
function fakeSafeStorage(options: { backend?: LinuxStorageBackend; available?: boolean; keyVersion?: number; refuseEncrypt?: boolean } = {}) {
  const calls: string[] = []
  let version = options.keyVersion ?? 1
  const seal = (text: string, v: number) => Buffer.concat([Buffer.from(`k${v}:`), Buffer.from(text).map((b) => b ^ v)])
  const surface: SafeStorageSurface = {
    async isAsyncEncryptionAvailable() {
      calls.push('isAsyncEncryptionAvailable')
      return options.available ?? true
    },
    async encryptStringAsync(text) {
      calls.push('encryptStringAsync')
      if (options.refuseEncrypt) throw new Error('keyring locked')
      return seal(text, version)
    },
    async decryptStringAsync(sealed) {
      calls.push('decryptStringAsync')
      const match = /^k(\d+):/.exec(sealed.subarray(0, 8).toString('latin1'))
      const v = Number(match?.[1])
      if (!match || v > version) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
      const result = Buffer.from(sealed.subarray(match[0].length).map((b) => b ^ v)).toString()
      return { shouldReEncrypt: v < version, result }
    },
    getSelectedStorageBackend() {
      calls.push('getSelectedStorageBackend')
      return options.backend ?? 'gnome_libsecret'
    },
  }
  return {
    surface,
    calls,
    seal,
    rotateKey: () => {
      version++
    },
  }
}

async function setUp(safe: ReturnType<typeof fakeSafeStorage>, platform: NodeJS.Platform = 'linux') {
  const dir = await tempDir('pathwise-keychain-')
  const file = join(dir, 'session-token.bin')
  const open = () => createKeychainTokenStore({ file, safeStorage: safe.surface, platform, ready: () => Promise.resolve() })
  return { dir, file, open }
}

describe('the keychain token store', () => {
  it('with a real keyring, a saved token is encrypted on disk, readable by the learner only, and loads after a restart', async () => {
    const safe = fakeSafeStorage({ backend: 'gnome_libsecret' })
    const { dir, file, open } = await setUp(safe)
    const store = open()
    expect(await store.kept()).toBe('keychain')
    await store.save(TOKEN)
    const onDisk = await readFile(file)
    expect(onDisk.includes(Buffer.from(TOKEN))).toBe(false)
    expect(onDisk.equals(safe.seal(TOKEN, 1))).toBe(true)
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readdir(dir)).toEqual(['session-token.bin']) // no temporary file left behind
    expect(await open().load()).toBe(TOKEN)
    expect(safe.calls).toContain('encryptStringAsync')
    expect(safe.calls).toContain('decryptStringAsync')
  })

  it('when the keychain asks for re-encryption, the token is sealed again with the new key, once', async () => {
    const safe = fakeSafeStorage({ backend: 'kwallet5' })
    const { file, open } = await setUp(safe)
    await open().save(TOKEN)
    safe.rotateKey()
    const store = open()
    expect(await store.load()).toBe(TOKEN)
    expect((await readFile(file)).equals(safe.seal(TOKEN, 2))).toBe(true)
    const encryptions = safe.calls.filter((c) => c === 'encryptStringAsync').length
    expect(await store.load()).toBe(TOKEN)
    expect(safe.calls.filter((c) => c === 'encryptStringAsync').length).toBe(encryptions)
  })

  it('a re-encryption never overwrites a token saved while it was under way', async () => {
    const safe = fakeSafeStorage()
    const { file, open } = await setUp(safe)
    await open().save('old-token')
    safe.rotateKey()
    const store = open()
    const loading = store.load()
    await store.save(TOKEN)
    expect(await loading).toBe('old-token')
    expect(await open().load()).toBe(TOKEN)
    expect((await readFile(file)).equals(safe.seal(TOKEN, 2))).toBe(true)
  })

  it('on basic_text (no keyring) the token is kept only in memory, and a file written earlier is deleted', async () => {
    const safe = fakeSafeStorage({ backend: 'basic_text' })
    const { dir, file, open } = await setUp(safe)
    await writeFile(file, safe.seal('written-under-basic-text', 1))
    const store = open()
    expect(await store.kept()).toBe('memory')
    expect(await readdir(dir)).toEqual([])
    await store.save(TOKEN)
    expect(await store.load()).toBe(TOKEN)
    expect(await readdir(dir)).toEqual([])
    expect(safe.calls).not.toContain('encryptStringAsync')
    expect(safe.calls).not.toContain('decryptStringAsync')
    expect(await open().load()).toBeNull() // the next start signs in again
  })

  it('with encryption unavailable, even on macOS, nothing is written', async () => {
    const safe = fakeSafeStorage({ available: false })
    const { dir, open } = await setUp(safe, 'darwin')
    const store = open()
    await store.save(TOKEN)
    expect(await store.kept()).toBe('memory')
    expect(await store.load()).toBe(TOKEN)
    expect(await readdir(dir)).toEqual([])
  })

  it('a token this keychain cannot decrypt (another machine or user) loads as signed out', async () => {
    const safe = fakeSafeStorage()
    const { file, open } = await setUp(safe)
    await writeFile(file, safe.seal(TOKEN, 7)) // a key this keychain does not have
    expect(await open().load()).toBeNull()
    await writeFile(file, 'not a sealed token at all')
    expect(await open().load()).toBeNull()
  })

  it('if the keychain refuses to encrypt at sign-in, the learner stays signed in for this run and the store says memory', async () => {
    const safe = fakeSafeStorage({ refuseEncrypt: true })
    const { dir, open } = await setUp(safe)
    const store = open()
    expect(await store.kept()).toBe('keychain')
    await store.save(TOKEN)
    expect(await store.kept()).toBe('memory')
    expect(await store.load()).toBe(TOKEN)
    expect(await readdir(dir)).toEqual([])
  })

  it('asks safeStorage nothing before the app is ready', async () => {
    const safe = fakeSafeStorage()
    const dir = await tempDir('pathwise-keychain-')
    let becomeReady: () => void = () => undefined
    const ready = new Promise<void>((resolve) => (becomeReady = resolve))
    const store = createKeychainTokenStore({ file: join(dir, 'session-token.bin'), safeStorage: safe.surface, platform: 'linux', ready: () => ready })
    const kept = store.kept()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(safe.calls).toEqual([])
    becomeReady()
    expect(await kept).toBe('keychain')
    expect(safe.calls).toEqual(['isAsyncEncryptionAvailable', 'getSelectedStorageBackend'])
  })

  it('signing out removes the file', async () => {
    const safe = fakeSafeStorage()
    const { dir, open } = await setUp(safe)
    const store = open()
    await store.save(TOKEN)
    await store.clear()
    expect(await store.load()).toBeNull()
    expect(await readdir(dir)).toEqual([])
  })
})
