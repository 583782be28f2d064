/** users + user_profiles: the learner and their profile, including the derived XP/level/streak cache. */
import { eq, sql } from 'drizzle-orm'
import type { Q } from '../db/database'
import { preparedQuery } from '../db/prepared'
import { userProfiles, users } from '../db/schema'

export type ProfileRow = typeof userProfiles.$inferSelect
export type UserRow = typeof users.$inferSelect

export async function insertLearner(q: Q, user: { id: string; name: string }, timezone: string, at: number): Promise<void> {
  await q.insert(users).values({ id: user.id, name: user.name })
  await q.insert(userProfiles).values({ userId: user.id, timezone, updatedAt: at })
}

export async function findLearner(q: Q, userId: string): Promise<{ user: UserRow; profile: ProfileRow } | null> {
  const rows = await q
    .select({ user: users, profile: userProfiles })
    .from(users)
    .innerJoin(userProfiles, eq(userProfiles.userId, users.id))
    .where(eq(users.id, userId))
  return rows[0] ?? null
}

const profileOf = preparedQuery((q) => q.select().from(userProfiles).where(eq(userProfiles.userId, sql.placeholder('userId'))).prepare())

export async function findProfile(q: Q, userId: string): Promise<ProfileRow | null> {
  return (await profileOf(q).get({ userId })) ?? null
}

export async function updateUser(q: Q, userId: string, patch: Partial<Pick<UserRow, 'name' | 'image'>>): Promise<void> {
  if (Object.keys(patch).length > 0) await q.update(users).set(patch).where(eq(users.id, userId))
}

export async function updateProfile(q: Q, userId: string, patch: Partial<Omit<ProfileRow, 'userId'>>): Promise<void> {
  if (Object.keys(patch).length > 0) await q.update(userProfiles).set(patch).where(eq(userProfiles.userId, userId))
}
