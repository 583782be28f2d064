/** user_achievements: earned badges, one per (learner, key). */
import { and, desc, eq, sql } from 'drizzle-orm'
import type { Q } from '../db/database'
import { preparedQuery } from '../db/prepared'
import { userAchievements } from '../db/schema'
import { factId } from '../ids'

export type AchievementRow = typeof userAchievements.$inferSelect

export async function listEarned(q: Q, userId: string): Promise<AchievementRow[]> {
  return q.select().from(userAchievements).where(eq(userAchievements.userId, userId)).orderBy(desc(userAchievements.earnedAt))
}

const keysOf = preparedQuery((q) =>
  q.select({ key: userAchievements.achievementKey }).from(userAchievements).where(eq(userAchievements.userId, sql.placeholder('userId'))).prepare(),
)

export async function earnedKeys(q: Q, userId: string): Promise<Set<string>> {
  return new Set((await keysOf(q).all({ userId })).map((r) => r.key))
}

/** Awards the badge unless already held (then keeps the earliest earned_at). Returns true when new. */
export async function awardAchievement(
  q: Q,
  userId: string,
  badge: { key: string; title: string; description: string },
  at: number,
): Promise<boolean> {
  const inserted = await q
    .insert(userAchievements)
    .values({ id: factId(userId, 'achievement', badge.key), userId, achievementKey: badge.key, title: badge.title, description: badge.description, earnedAt: at })
    .onConflictDoNothing()
  if (inserted.rowsAffected > 0) return true
  await q
    .update(userAchievements)
    .set({ earnedAt: at })
    .where(and(eq(userAchievements.userId, userId), eq(userAchievements.achievementKey, badge.key), sql`${userAchievements.earnedAt} > ${at}`))
  return false
}
