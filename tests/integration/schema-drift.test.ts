import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../electron/core/db/database'
import * as schema from '../../electron/core/db/schema'
import { tempDir } from '../helpers/core'
import { MIGRATIONS_DIR } from '../helpers/paths'
import {
  canonicalDrizzleDefault,
  canonicalSqlDefault,
  describeDatabase,
  describeDrizzle,
  diffSchemas,
  drizzleTables,
  type SchemaShape,
} from '../helpers/schema-introspect'

let dir: string
let db: Db
let database: SchemaShape
let drizzle: SchemaShape

beforeAll(async () => {
  dir = await tempDir('pathwise-drift-')
  db = await openDatabase({ file: join(dir, 'drift.db'), migrationsDir: MIGRATIONS_DIR, now: 1_700_000_000 })
  database = await describeDatabase(db.client)
  drizzle = describeDrizzle(drizzleTables(schema))
})

afterAll(async () => {
  db?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** A deep copy to break on purpose. */
function copy(shape: SchemaShape): SchemaShape {
  return structuredClone(shape)
}

describe('schema drift', () => {
  it('the drizzle schema and the migrated database describe the same tables', () => {
    expect(Object.keys(drizzle).sort()).toEqual(Object.keys(database).sort())
    // Sanity: the introspection found the tables it is meant to compare.
    expect(Object.keys(database)).toEqual(expect.arrayContaining(['users', 'user_profiles', 'course_enrollments', 'outbox', 'pressure_room_attempts']))
    expect(Object.keys(database)).not.toContain('schema_migrations')
    expect(Object.keys(database).some((t) => t.startsWith('sqlite_'))).toBe(false)
  })

  it('the drizzle schema matches the migrated database column for column, key for key and index for index', () => {
    expect(diffSchemas(database, drizzle)).toEqual([])
  })

  it('introspection sees the constraints the migrations declare', () => {
    // Guards against a comparison that passes because both sides came back empty.
    expect(database.user_profiles?.columns.timezone).toEqual({ type: 'TEXT', notNull: true, default: "'UTC'", autoIncrement: false })
    expect(database.user_profiles?.columns.level?.default).toBe('1')
    expect(database.verification_tokens?.primaryKey).toEqual(['identifier', 'token'])
    expect(database.outbox?.columns.seq).toMatchObject({ type: 'INTEGER', notNull: true, autoIncrement: true })
    expect(database.lesson_progress?.foreignKeys).toEqual([
      { columns: ['user_id'], table: 'users', foreignColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' },
    ])
    expect(database.users?.uniques).toEqual([['email']])
    expect(database.accounts?.uniques).toEqual([['provider', 'provider_account_id']])
    expect(database.course_enrollments?.indexes.map((i) => i.name)).toEqual(['idx_course_enrollments_status', 'idx_course_enrollments_user_id'])
  })

  it('a column dropped from the drizzle side is reported as drift', () => {
    const altered = copy(drizzle)
    delete altered.user_profiles?.columns.timezone
    expect(diffSchemas(database, altered)).toEqual(['user_profiles.timezone: column is in the database but not in schema.ts'])
  })

  it('a changed type, nullability or default is reported as drift', () => {
    const altered = copy(drizzle)
    const streak = altered.user_profiles?.columns.streak
    const name = altered.users?.columns.name
    const answers = altered.pressure_room_attempts?.columns.answers
    if (!streak || !name || !answers) throw new Error('fixture columns missing')
    streak.type = 'TEXT'
    name.notNull = true
    answers.default = "'[]'"
    expect(diffSchemas(database, altered)).toEqual([
      'pressure_room_attempts.answers: default is "\'{}\'" in the database but "\'[]\'" in schema.ts',
      'user_profiles.streak: type is "INTEGER" in the database but "TEXT" in schema.ts',
      'users.name: notNull is false in the database but true in schema.ts',
    ])
  })

  it('a missing table, foreign key, unique constraint or index is reported as drift', () => {
    const altered = copy(drizzle)
    delete altered.settings
    const activities = altered.user_activities
    const enrollments = altered.course_enrollments
    const sessions = altered.sessions
    if (!activities || !enrollments || !sessions) throw new Error('fixture tables missing')
    activities.foreignKeys = activities.foreignKeys.map((fk) => ({ ...fk, onDelete: 'SET NULL' }))
    enrollments.uniques = []
    sessions.indexes = sessions.indexes.map((i) => ({ ...i, name: 'idx_sessions_renamed' }))
    const diff = diffSchemas(database, altered)
    expect(diff).toContain('table settings is in the database but not in schema.ts')
    expect(diff).toContain(
      'user_activities: foreign key (user_id) → users(id) ON DELETE CASCADE ON UPDATE NO ACTION is in the database but not in schema.ts',
    )
    expect(diff).toContain('user_activities: foreign key (user_id) → users(id) ON DELETE SET NULL ON UPDATE NO ACTION is in schema.ts but not in the database')
    expect(diff).toContain('course_enrollments: unique (user_id, course_id) is in the database but not in schema.ts')
    expect(diff).toContain('sessions: index idx_sessions_user_id (user_id) is in the database but not in schema.ts')
    expect(diff).toContain('sessions: index idx_sessions_renamed (user_id) is in schema.ts but not in the database')
    expect(diff).toHaveLength(6)
  })

  it('a migration that changes the database without schema.ts is reported as drift', async () => {
    const other = await openDatabase({ file: join(dir, 'drifted.db'), migrationsDir: MIGRATIONS_DIR, now: 1_700_000_000 })
    try {
      await other.client.executeMultiple(`
        ALTER TABLE settings ADD COLUMN scope TEXT NOT NULL DEFAULT 'local';
        DROP INDEX idx_sessions_user_id;
        CREATE UNIQUE INDEX settings_value_unique ON settings(value);
      `)
      expect(diffSchemas(await describeDatabase(other.client), drizzle)).toEqual([
        'sessions: index idx_sessions_user_id (user_id) is in schema.ts but not in the database',
        'settings.scope: column is in the database but not in schema.ts',
        'settings: unique (value) is in the database but not in schema.ts',
      ])
    } finally {
      other.close()
    }
  })

  it('a primary key change is reported as drift', () => {
    const altered = copy(drizzle)
    const tokens = altered.verification_tokens
    if (!tokens) throw new Error('fixture table missing')
    tokens.primaryKey = ['token']
    expect(diffSchemas(database, altered)).toEqual([
      'verification_tokens: primary key is (identifier, token) in the database but (token) in schema.ts',
    ])
  })
})

describe('default normalisation', () => {
  it.each([
    ["'UTC'", "'UTC'"],
    ['"UTC"', "'UTC'"],
    ["('UTC')", "'UTC'"],
    ['1', '1'],
    ['(1)', '1'],
    ["'it''s'", "'it''s'"],
    ['NULL', null],
    [null, null],
    ['CURRENT_TIMESTAMP', 'CURRENT_TIMESTAMP'],
  ])('SQLite default %s reads as %s', (raw, expected) => {
    expect(canonicalSqlDefault(raw)).toBe(expected)
  })

  it.each([
    ['UTC', "'UTC'"],
    [1, '1'],
    [0, '0'],
    [true, '1'],
    ["it's", "'it''s'"],
    [undefined, null],
  ])('drizzle default %s reads as %s', (value, expected) => {
    expect(canonicalDrizzleDefault(value)).toBe(expected)
  })

  it('a text default and a number default with the same digits differ', () => {
    expect(canonicalSqlDefault("'1'")).not.toBe(canonicalDrizzleDefault(1))
  })
})
