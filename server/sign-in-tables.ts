/**
 * The server's own sign-in tables (server/migrations/003_sign_in_limits.sql) for drizzle. They are not
 * in the shared electron/core/db/schema.ts: the app's database has no use for them.
 * tests/integration/server-sign-in-tables.test.ts checks them against the migrated database.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { sessions } from '../electron/core/db/schema'

export const signInCodes = sqliteTable(
  'sign_in_codes',
  {
    id: text('id').primaryKey().notNull(),
    email: text('email').notNull(),
    requester: text('requester').notNull(),
    codeHash: text('code_hash').notNull(),
    keyId: text('key_id').notNull(),
    created: integer('created').notNull(),
    expires: integer('expires').notNull(),
  },
  (t) => [index('idx_sign_in_codes_email').on(t.email, t.expires), index('idx_sign_in_codes_expires').on(t.expires)],
)

export const signInEvents = sqliteTable(
  'sign_in_events',
  {
    kind: text('kind', { enum: ['mail', 'wrong'] }).notNull(),
    subject: text('subject').notNull(),
    requester: text('requester').notNull(),
    at: integer('at').notNull(),
    weight: integer('weight').notNull().default(1),
    guarded: integer('guarded').notNull().default(0),
  },
  (t) => [index('idx_sign_in_events_subject').on(t.kind, t.subject, t.at), index('idx_sign_in_events_at').on(t.at)],
)

export const sessionStarts = sqliteTable('session_starts', {
  sessionId: text('session_id')
    .primaryKey()
    .notNull()
    .references(() => sessions.id, { onDelete: 'cascade' }),
  started: integer('started').notNull(),
})
