import { describe, expect, it } from 'vitest'
import { tokenProtection, type LinuxStorageBackend } from '../../electron/main/token-protection'

describe('tokenProtection', () => {
  it('Linux with no keyring (basic_text, a fixed public password) keeps the token only in memory', () => {
    expect(tokenProtection({ platform: 'linux', asyncAvailable: true, backend: 'basic_text' })).toBe('memory')
  })

  it.each<LinuxStorageBackend>(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])('Linux with %s uses the keychain', (backend) => {
    expect(tokenProtection({ platform: 'linux', asyncAvailable: true, backend })).toBe('keychain')
  })

  it("Linux with an 'unknown' or missing backend fails closed: memory", () => {
    expect(tokenProtection({ platform: 'linux', asyncAvailable: true, backend: 'unknown' })).toBe('memory')
    expect(tokenProtection({ platform: 'linux', asyncAvailable: true, backend: null })).toBe('memory')
  })

  it('Windows and macOS use the keychain whenever encryption is available, whatever the Linux backend says', () => {
    expect(tokenProtection({ platform: 'win32', asyncAvailable: true, backend: null })).toBe('keychain')
    expect(tokenProtection({ platform: 'darwin', asyncAvailable: true, backend: null })).toBe('keychain')
    expect(tokenProtection({ platform: 'darwin', asyncAvailable: true, backend: 'unknown' })).toBe('keychain')
  })

  it.each<NodeJS.Platform>(['linux', 'win32', 'darwin'])('no encryption available on %s means memory, even with a real keyring', (platform) => {
    expect(tokenProtection({ platform, asyncAvailable: false, backend: 'gnome_libsecret' })).toBe('memory')
  })
})
