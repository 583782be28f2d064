/** profile.get / profile.update */
import { NotFound } from '../errors'
import { ProfilePatch } from '../mutations/args'
import { changedFields, isEmptyPatch } from '../mutations/patch'
import { findLearner, type ProfileRow, type UserRow } from '../repositories/learners'
import type { Q } from '../db/database'
import { commit, type ServiceDeps } from './deps'
import { parseInput } from './validate'
import type { Profile } from '../contract/types'

/** The profile as the contract shows it, from the learner's user and profile rows. */
export function toProfile({ user, profile }: { user: UserRow; profile: ProfileRow }): Profile {
  return {
    id: user.id,
    name: user.name ?? '',
    email: user.email,
    image: user.image,
    bio: profile.bio ?? '',
    location: profile.location ?? '',
    website: profile.website ?? '',
    timezone: profile.timezone,
  }
}

export async function readProfile(q: Q, userId: string): Promise<Profile> {
  const found = await findLearner(q, userId)
  if (!found) throw new NotFound('Your profile could not be found.')
  return toProfile(found)
}

export function createProfileService(deps: ServiceDeps) {
  return {
    get: () => deps.db.read((q) => readProfile(q, deps.userId)),

    async update(input: unknown): Promise<Profile> {
      const patch = parseInput(ProfilePatch, input, 'profile')
      await commit(deps, 'profile.update', async (when, tx, clock) => {
        // Only the fields this changes: a form saved as it was writes nothing (and takes no clock
        // reading), and a field left as it was does not outrank another device's edit of it.
        const changed = changedFields(await readProfile(tx, deps.userId), patch)
        return isEmptyPatch(changed) ? null : { patch: changed, hlc: await clock(), ...when }
      })
      return this.get()
    },
  }
}
