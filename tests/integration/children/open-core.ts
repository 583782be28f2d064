/**
 * Opens a real core over the data folder given as argv[2], makes one write and prints what happened as
 * one JSON line. database-files.test.ts runs it as another user, since root ignores file modes.
 */
import { COURSES_DIR, MIGRATIONS_DIR } from '../../helpers/paths'
import { openCore } from '../../../electron/core/core'

const errorOf = (e: unknown) => ({ code: (e as { code?: unknown }).code ?? null, message: (e as Error).message })

const dataDir = process.argv[2] as string
let outcome: unknown
try {
  const core = await openCore({ dataDir, coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR, timezone: 'UTC' })
  try {
    await core.services.profile.update({ name: 'Written' })
    outcome = { opened: true, wrote: true }
  } catch (e) {
    outcome = { opened: true, wrote: false, error: errorOf(e) }
  } finally {
    core.close()
  }
} catch (e) {
  outcome = { opened: false, error: errorOf(e) }
}
process.stdout.write(`${JSON.stringify(outcome)}\n`)
