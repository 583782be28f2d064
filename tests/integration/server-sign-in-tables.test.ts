/**
 * The server's own sign-in tables (server/sign-in-tables.ts): their drizzle definitions match what
 * server/migrations makes, and the housekeeping purge keeps them small.
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { createAuth } from '../../server/auth'
import { openServerDatabase } from '../../server/db'
import * as tables from '../../server/sign-in-tables'
import { wrongCodeFor } from '../helpers/auth-app'
import { tempDir } from '../helpers/core'
import { MIGRATIONS_DIR, ROOT } from '../helpers/paths'
import { describeDatabase, describeDrizzle, diffSchemas, drizzleTables } from '../helpers/schema-introspect'

it('server/sign-in-tables.ts describes the migrated server tables column for column and index for index', async () => {
  const dir = await tempDir('pathwise-sign-in-tables-')
  const db = await openServerDatabase({ url: `file:${join(dir, 'server.db')}`, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: join(ROOT, 'server/migrations') })
  try {
    const declared = describeDrizzle(drizzleTables(tables))
    const names = Object.keys(declared).sort()
    expect(names).toEqual(['session_starts', 'sign_in_codes', 'sign_in_events'])
    const migrated = Object.fromEntries(Object.entries(await describeDatabase(db.client)).filter(([name]) => names.includes(name)))
    expect(Object.keys(migrated).sort()).toEqual(names)
    expect(diffSchemas(migrated, declared)).toEqual([])
  } finally {
    db.close()
    await rm(dir, { recursive: true, force: true })
  }
})

it('purging removes expired sessions, codes and counts no window looks at any more, and nothing live', async () => {
  const dir = await tempDir('pathwise-sign-in-purge-')
  const db = await openServerDatabase({ url: `file:${join(dir, 'server.db')}`, migrationsDir: MIGRATIONS_DIR, serverMigrationsDir: join(ROOT, 'server/migrations') })
  try {
    const codes: string[] = []
    let now = 1_750_000_000
    const auth = createAuth({ db, secret: 'purge-test-key-0123456789abcdef01234567', now: () => now, mailer: { send: async (m) => void codes.push(/is (\d{6})/.exec(m.text)?.[1] ?? ''), close() {} } })
    const count = async (table: string) => Number((await db.client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n)
    await auth.startEmail('old@example.com', { requester: '192.0.2.1' })
    await expect(auth.verifyEmail('old@example.com', wrongCodeFor(...codes), { requester: '192.0.2.1' })).rejects.toMatchObject({ code: 'CODE_WRONG' })
    await auth.startEmail('old@example.com', { requester: '192.0.2.1' })
    const oldSession = await auth.verifyEmail('old@example.com', codes[1] as string, { requester: '192.0.2.2' })
    now += 86_400 + 90 * 86_400 // past every window and the session's 90 days
    await auth.startEmail('new@example.com', { requester: '192.0.2.3' })
    const newSession = await auth.verifyEmail('new@example.com', codes[2] as string, { requester: '192.0.2.3' })
    await auth.startEmail('new@example.com', { requester: '192.0.2.3' })
    expect([await count('sessions'), await count('session_starts'), await count('sign_in_codes'), await count('sign_in_events')]).toEqual([2, 2, 2, 5])

    await auth.purgeExpired()
    expect([await count('sessions'), await count('session_starts'), await count('sign_in_codes'), await count('sign_in_events')]).toEqual([1, 1, 1, 2])
    await expect(auth.authenticate(oldSession.token)).rejects.toMatchObject({ status: 401 })
    expect((await auth.authenticate(newSession.token)).user.email).toBe('new@example.com')
  } finally {
    db.close()
    await rm(dir, { recursive: true, force: true })
  }
})
