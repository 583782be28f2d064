import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCore } from '../../electron/core/core'
import { fakeClock } from '../helpers/clock'
import { expectAppError } from '../helpers/errors'
import { openTestCore } from '../helpers/core'
import { rowCount, snapshot } from '../helpers/db'
import { COURSES_DIR, MIGRATIONS_DIR } from '../helpers/paths'

type TestCore = Awaited<ReturnType<typeof openTestCore>>
let core: TestCore

beforeEach(async () => {
  core = await openTestCore({ clock: fakeClock('2026-05-01T09:00:00Z'), timezone: 'Europe/Paris' })
})
afterEach(() => core.dispose())

describe('profile', () => {
  it('first start creates a local learner with a profile in the system timezone', async () => {
    const profile = await core.services.profile.get()
    expect(profile).toMatchObject({ name: 'Learner', email: null, bio: '', website: '', timezone: 'Europe/Paris' })
    expect(await rowCount(core, 'users')).toBe(1)
    expect(await rowCount(core, 'user_profiles')).toBe(1)
  })

  it('the same learner is found again when the data folder is reopened', async () => {
    const first = await core.services.profile.get()
    core.close()
    const again = await openCore({ dataDir: core.dataDir, coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR })
    try {
      expect((await again.services.profile.get()).id).toBe(first.id)
      expect(await rowCount(again, 'users')).toBe(1)
    } finally {
      again.close()
    }
    core = await openTestCore({ dataDir: core.dataDir })
  })

  it('updates name, bio, location, website and timezone, trimming text, and logs one mutation', async () => {
    const updated = await core.services.profile.update({
      name: '  Ada  ',
      bio: 'Learning SQL on the train',
      location: 'Lyon',
      website: 'https://ada.example.org/',
      timezone: 'America/New_York',
    })
    expect(updated).toMatchObject({ name: 'Ada', bio: 'Learning SQL on the train', location: 'Lyon', website: 'https://ada.example.org/', timezone: 'America/New_York' })
    expect(await core.services.profile.get()).toEqual(updated)
    const outbox = await core.db.client.execute('SELECT name, args FROM outbox')
    expect(outbox.rows.map((r) => r.name)).toEqual(['profile.update'])
  })

  it('an empty website clears it', async () => {
    await core.services.profile.update({ website: 'http://example.com' })
    expect((await core.services.profile.update({ website: '' })).website).toBe('')
  })

  const badPatches: [string, unknown, string][] = [
    ['a website that is not http(s)', { website: 'javascript:alert(1)' }, 'website'],
    ['a website that is not a URL', { website: 'my site' }, 'website'],
    ['an ftp website', { website: 'ftp://example.com' }, 'website'],
    ['an unknown timezone', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    ['an empty name', { name: '   ' }, 'name'],
    ['a name that is too long', { name: 'x'.repeat(81) }, 'name'],
    ['a bio that is not text', { bio: 42 }, 'bio'],
    ['a field the profile does not have', { xp: 1_000_000 }, '_'],
  ]
  for (const [what, patch, field] of badPatches) {
    it(`refuses ${what} with a typed error and writes nothing`, async () => {
      const before = await snapshot(core)
      const error = await expectAppError(core.services.profile.update(patch), 'INVALID')
      expect(Object.keys(error.fields ?? {})).toContain(field)
      expect(await snapshot(core)).toBe(before)
    })
  }

  it('refuses a payload that is not an object', async () => {
    const before = await snapshot(core)
    await expectAppError(core.services.profile.update('drop table users'), 'INVALID')
    await expectAppError(core.services.profile.update(null), 'INVALID')
    expect(await snapshot(core)).toBe(before)
  })
})
