/**
 * The keys sign-in codes are HMAC'd under (server/auth.ts). A 6-digit code is only a million
 * possibilities, so whoever holds the key and a stored hash has the code at once: the key must not sit
 * in the database next to the hashes (a copied database or backup would give away every code in
 * flight). Where it comes from, first match wins (settings in server/config.ts):
 * - CODE_KEYS: comma-separated, newest first;
 * - CODE_KEY_FILE: a file with one key per line, newest first (blank lines and `#` comments skipped);
 * - neither, with a database file: a key generated once into `code-key` (mode 0600) in the database's
 *   folder, for development and tests;
 * - neither, with a remote database: a key generated once into the database (server_settings), the
 *   only place every server process on that database shares; a warning is logged at every start,
 *   because that puts the key next to the hashes again. Set CODE_KEYS there.
 * Rotation: put the new key first and keep the old one after it for a while. New codes are made under
 * the first key; each stored code names its key (a short id derived from the key), so codes made before
 * the rotation still verify until their key is dropped from the list (after CODE_TTL_SECONDS is enough).
 */
import { createHash, randomBytes } from 'node:crypto'
import { chmod, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import type { ServerDb } from './db'
import type { Logger } from './log'

/** A key setting that cannot be used; the server prints it and stops (exit code 2, like ConfigError). */
export class CodeKeyError extends Error {}

export interface CodeKey {
  /** Stored with each code; derived from the key, so the same key always has the same id. */
  id: string
  secret: string
}

export const MIN_CODE_KEY_LENGTH = 32
export const KEY_FILE_NAME = 'code-key'
const DB_SETTING = 'code_pepper'

export function codeKeyId(secret: string): string {
  return createHash('sha256').update(`pathwise code key\u0000${secret}`).digest('hex').slice(0, 16)
}

const toKey = (secret: string): CodeKey => ({ id: codeKeyId(secret), secret })

/** Keys from CODE_KEYS or a key file's text: separated by commas or lines, newest first. */
export function parseCodeKeys(text: string, source: string): CodeKey[] {
  const secrets = text
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((key) => key.trim())
    .filter((key) => key !== '')
  if (secrets.length === 0) throw new CodeKeyError(`${source} has no key`)
  secrets.forEach((secret, i) => {
    if (secret.length < MIN_CODE_KEY_LENGTH || /\s/.test(secret)) {
      throw new CodeKeyError(`${source}: key ${i + 1} must be at least ${MIN_CODE_KEY_LENGTH} characters without spaces (e.g. \`openssl rand -hex 32\`)`)
    }
    if (secrets.indexOf(secret) !== i) throw new CodeKeyError(`${source}: key ${i + 1} is listed twice`)
  })
  return secrets.map(toKey)
}

async function readKeyFile(file: string, source: string, log: Logger): Promise<CodeKey[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    throw new CodeKeyError(`${source} cannot be read: ${(e as Error).message}`)
  }
  if (process.platform !== 'win32' && ((await stat(file)).mode & 0o077) !== 0) log.error('code_key_file_readable_by_others', { hint: `chmod 600 ${file}` })
  return parseCodeKeys(text, source)
}

/** The generated development key in `dir`, made on first use with mode 0600 (no other user may read it). */
async function folderKey(dir: string, log: Logger): Promise<CodeKey[]> {
  const file = join(dir, KEY_FILE_NAME)
  try {
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
  // wx with a mode is subject to the umask; make sure, as the app does for its own files.
  if (process.platform !== 'win32') await chmod(file, 0o600)
  return readKeyFile(file, `the generated code key ${file}`, log)
}

async function databaseKey(db: ServerDb, log: Logger): Promise<CodeKey[]> {
  const secret = await db.write(async (tx) => {
    await tx.run(sql`INSERT INTO server_settings (key, value) VALUES (${DB_SETTING}, ${randomBytes(32).toString('hex')}) ON CONFLICT (key) DO NOTHING`)
    const rows = await tx.all<{ value: string }>(sql`SELECT value FROM server_settings WHERE key = ${DB_SETTING}`)
    return rows[0]?.value
  })
  if (!secret) throw new Error('server_settings has no code key')
  log.error('code_key_in_database', { hint: 'the sign-in code key is kept in the remote database, next to the codes: set CODE_KEYS or CODE_KEY_FILE' })
  return [toKey(secret)]
}

export interface CodeKeySources {
  /** Parsed CODE_KEYS. */
  keys?: readonly CodeKey[]
  /** CODE_KEY_FILE. */
  keyFile?: string
  db: ServerDb
  /** The folder of the database file; null for a remote database. */
  dataDir: string | null
  log: Logger
}

/** The key ring, newest first. */
export async function loadCodeKeys(sources: CodeKeySources): Promise<CodeKey[]> {
  if (sources.keys && sources.keys.length > 0) return [...sources.keys]
  if (sources.keyFile) return readKeyFile(sources.keyFile, `CODE_KEY_FILE (${sources.keyFile})`, sources.log)
  if (sources.dataDir !== null) return folderKey(sources.dataDir, sources.log)
  return databaseKey(sources.db, sources.log)
}
