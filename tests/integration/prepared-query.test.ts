/**
 * Queries built once per handle (electron/core/db/prepared.ts), on a real LibSQL file: each handle
 * builds a query once, a query prepared in a transaction runs in it, and no handle ever runs another's.
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { eq, sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db, type Q } from '../../electron/core/db/database'
import { preparedQuery } from '../../electron/core/db/prepared'
import { users } from '../../electron/core/db/schema'
import { insertLearner } from '../../electron/core/repositories/learners'
import { tempDir } from '../helpers/core'
import { MIGRATIONS_DIR } from '../helpers/paths'

const T0 = 1_750_000_000

let dir: string
let db: Db
let builds: Q[]
const nameOf = preparedQuery((q) => {
  builds.push(q)
  return q.select({ name: users.name }).from(users).where(eq(users.id, sql.placeholder('id'))).prepare()
})
const nameIn = async (q: Q, id: string) => (await nameOf(q).get({ id }))?.name ?? null

beforeEach(async () => {
  dir = await tempDir('pathwise-prepared-')
  db = await openDatabase({ file: join(dir, 'pathwise.db'), migrationsDir: MIGRATIONS_DIR, now: T0 })
  builds = []
  await db.write((tx) => insertLearner(tx, { id: 'ada', name: 'Ada' }, 'UTC', T0))
})

afterEach(async () => {
  db.close()
  await rm(dir, { recursive: true, force: true })
})

describe('preparedQuery', () => {
  it('builds a query once per handle, however often it runs, with the values of each run', async () => {
    await db.write((tx) => insertLearner(tx, { id: 'bob', name: 'Bob' }, 'UTC', T0))
    const names = await db.read(async (q) => [await nameIn(q, 'ada'), await nameIn(q, 'bob'), await nameIn(q, 'nobody'), await nameIn(q, 'ada')])
    expect(names).toEqual(['Ada', 'Bob', null, 'Ada'])
    expect(builds).toHaveLength(1)
  })

  it('a query prepared in a transaction sees what the transaction wrote, and is not used outside it', async () => {
    const seen = await db.write(async (tx) => {
      const before = await nameIn(tx, 'ada')
      await tx.update(users).set({ name: 'Ada L.' }).where(eq(users.id, 'ada'))
      return [before, await nameIn(tx, 'ada')]
    })
    expect(seen).toEqual(['Ada', 'Ada L.'])
    // A later transaction is another handle: it builds its own query rather than use the finished one's.
    await db.write(async (tx) => {
      await tx.update(users).set({ name: 'Ada Lovelace' }).where(eq(users.id, 'ada'))
      expect(await nameIn(tx, 'ada')).toBe('Ada Lovelace')
    })
    expect(new Set(builds).size).toBe(2)
    expect(await db.read((q) => nameIn(q, 'ada'))).toBe('Ada Lovelace')
  })

  it('a rolled-back write is not seen through a query prepared before it', async () => {
    await expect(
      db.write(async (tx) => {
        await nameIn(tx, 'ada')
        await tx.update(users).set({ name: 'Nobody' }).where(eq(users.id, 'ada'))
        throw new Error('stop')
      }),
    ).rejects.toThrow('stop')
    expect(await db.read((q) => nameIn(q, 'ada'))).toBe('Ada')
  })
})
