/**
 * The key sign-in codes are HMAC'd under (issue 12 §2): from CODE_KEYS or CODE_KEY_FILE (newest first),
 * rotated by putting a new key in front; a code is checked under the key it was made with, so codes made
 * before a rotation still work until their key is removed. Without either, a generated key in a 0600
 * file next to the database, never in the database. The real server process, restarted between keys.
 */
import { createClient } from '@libsql/client'
import { rm, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../server/config'
import { openServerDatabase, type ServerDb } from '../../server/db'
import { CodeKeyError, loadCodeKeys, parseCodeKeys } from '../../server/code-keys'
import { tempDir } from '../helpers/core'
import { MIGRATIONS_DIR, ROOT } from '../helpers/paths'
import { call, latestCode, requestCode, startServer, type TestServer } from '../helpers/server'

const K1 = 'first-key-0123456789abcdef0123456789abcdef'
const K2 = 'second-key-0123456789abcdef0123456789abcde'

type ErrorReply = { error: { code: string } }
const verify = (server: TestServer, email: string, code: string) => call<ErrorReply>(server, 'POST', '/v1/auth/email/verify', { json: { email, code } })

let server: TestServer | null = null
afterEach(async () => {
  await server?.stop()
  server = null
})

/** Stops the running server (keeping its folder) and starts it again on the same database with `env`. */
async function restartWith(env: Record<string, string>): Promise<TestServer> {
  const dir = server?.dir
  await server?.stop({ keep: true })
  server = await startServer({ env, dir })
  return server
}

async function settingKeys(dir: string): Promise<string[]> {
  const client = createClient({ url: `file:${join(dir, 'server.db')}` })
  try {
    return (await client.execute('SELECT key FROM server_settings')).rows.map((r) => String(r.key))
  } finally {
    client.close()
  }
}

// Each test starts the server two or three times; on a loaded machine a start takes several seconds.
describe('code keys from the environment', { timeout: 60_000 }, () => {
  it('CODE_KEYS: new codes under the newest key, older keys still verify their codes until removed', async () => {
    server = await startServer({ env: { CODE_KEYS: K1 } })
    const underK1 = await requestCode(server, 'a@example.com')
    const retiredLater = await requestCode(server, 'c@example.com')

    await restartWith({ CODE_KEYS: `${K2}, ${K1}` })
    expect((await verify(server, 'a@example.com', underK1)).status).toBe(200)
    const underK2 = await requestCode(server, 'b@example.com')

    await restartWith({ CODE_KEYS: K2 })
    expect((await verify(server, 'b@example.com', underK2)).status).toBe(200)
    const retired = await verify(server, 'c@example.com', retiredLater)
    expect(retired.status).toBe(401)
    expect(retired.body.error.code).toBe('CODE_EXPIRED')
    // No key is kept in the database.
    expect(await settingKeys(server.dir)).not.toContain('code_pepper')
  })

  it('CODE_KEY_FILE: one key per line, newest first, read at start; a missing file stops the server', async () => {
    const dir = await tempDir('pathwise-code-keys-')
    try {
      const file = join(dir, 'keys')
      await writeFile(file, `${K1}\n`, { mode: 0o600 })
      server = await startServer({ env: { CODE_KEY_FILE: file } })
      const underK1 = await requestCode(server, 'file@example.com')
      await writeFile(file, `# rotated\n${K2}\n${K1}\n\n`)
      await server.restart()
      expect((await verify(server, 'file@example.com', underK1)).status).toBe(200)

      await server.stop({ keep: true })
      await expect(startServer({ dir: server.dir, env: { CODE_KEY_FILE: join(dir, 'missing') } })).rejects.toThrow(/exited with 2[^]*CODE_KEY_FILE .*missing.* cannot be read/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('without either, a generated key lives in a 0600 file in the data folder and survives a restart', async () => {
    server = await startServer()
    const code = await requestCode(server, 'dev@example.com')
    const keyFile = join(server.dir, 'code-key')
    if (process.platform !== 'win32') expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
    await server.restart()
    expect((await verify(server, 'dev@example.com', code)).status).toBe(200)
    expect(await latestCode(server, 'dev@example.com')).toBe(code)
    expect(await settingKeys(server.dir)).not.toContain('code_pepper')
  })
})

describe('code keys, in process', () => {
  it('parses a list newest first, refusing short and repeated keys', () => {
    const keys = parseCodeKeys(`${K2},${K1}`, 'CODE_KEYS')
    expect(keys.map((k) => k.secret)).toEqual([K2, K1])
    expect(new Set(keys.map((k) => k.id)).size).toBe(2)
    expect(parseCodeKeys(`# newest first\n${K2}\n\n${K1}\n`, 'a file')).toEqual(keys)
    expect(() => parseCodeKeys('', 'CODE_KEYS')).toThrow(CodeKeyError)
    expect(() => parseCodeKeys('tooshort', 'CODE_KEYS')).toThrow(/at least 32/)
    expect(() => parseCodeKeys(`${K1},${K1}`, 'CODE_KEYS')).toThrow(/twice/)
  })

  it('the settings refuse both sources at once, and a weak key, before anything starts', () => {
    expect(parseConfig([], { CODE_KEYS: `${K2},${K1}` }).codeKeys?.map((k) => k.secret)).toEqual([K2, K1])
    expect(parseConfig([], { CODE_KEY_FILE: 'keys.txt' }).codeKeyFile).toBe(resolve('keys.txt'))
    expect(() => parseConfig([], { CODE_KEYS: K1, CODE_KEY_FILE: '/run/secrets/keys' })).toThrow(/either CODE_KEYS or CODE_KEY_FILE/)
    expect(() => parseConfig([], { CODE_KEYS: 'short' })).toThrow(ConfigError)
  })

  it('a key file that is missing, empty or weak is refused with what is wrong', async () => {
    const dir = await tempDir('pathwise-code-key-file-')
    try {
      const db = null as unknown as ServerDb // never reached: a key file is read before the database is asked
      const log = { info() {}, error() {} }
      await expect(loadCodeKeys({ keyFile: join(dir, 'missing'), db, dataDir: dir, log })).rejects.toThrow(/CODE_KEY_FILE .* cannot be read/)
      await writeFile(join(dir, 'empty'), '# nothing yet\n')
      await expect(loadCodeKeys({ keyFile: join(dir, 'empty'), db, dataDir: dir, log })).rejects.toThrow(/has no key/)
      await writeFile(join(dir, 'weak'), 'short\n')
      await expect(loadCodeKeys({ keyFile: join(dir, 'weak'), db, dataDir: dir, log })).rejects.toThrow(CodeKeyError)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a remote database (no data folder) falls back to a key in the database, with a warning', async () => {
    const dir = await tempDir('pathwise-code-keys-db-')
    const db = await openServerDatabase({ url: `file:${join(dir, 'server.db')}`, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: join(ROOT, 'server/migrations') })
    try {
      const warnings: string[] = []
      const log = { info() {}, error: (event: string) => void warnings.push(event) }
      const first = await loadCodeKeys({ db, dataDir: null, log })
      const again = await loadCodeKeys({ db, dataDir: null, log })
      expect(again).toEqual(first)
      expect(first).toHaveLength(1)
      expect(warnings).toEqual(['code_key_in_database', 'code_key_in_database'])
      expect((await db.client.execute("SELECT count(*) AS n FROM server_settings WHERE key = 'code_pepper'")).rows[0]?.n).toBe(1)
    } finally {
      db.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
