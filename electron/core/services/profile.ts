/** profile.get / profile.update */
import { NotFound } from '../errors'
import { ProfilePatch } from '../mutations/args'
import { findLearner } from '../repositories/learners'
import type { Q } from '../db/database'
import { commit, type ServiceDeps } from './deps'
import { parseInput } from './validate'
import type { Profile } from '../contract/types'

export async function readProfile(q: Q, userId: string): Promise<Profile> {
  const found = await findLearner(q, userId)
  if (!found) throw new NotFound('Your profile could not be found.')
  const { user, profile } = found
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

export function createProfileService(deps: ServiceDeps) {
  return {
    get: () => deps.db.read((q) => readProfile(q, deps.userId)),

    async update(input: unknown): Promise<Profile> {
      const patch = parseInput(ProfilePatch, input, 'profile')
      await commit(deps, 'profile.update', async (when, _tx, clock) => ({ patch, hlc: await clock(), ...when }))
      return this.get()
    },
  }
}
