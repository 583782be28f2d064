/**
 * Badges a device derives go into the outbox as 'achievement.award' mutations, so the server and the
 * other devices get the same set even when a merge later changes the history they were derived from.
 */
import type { Q } from '../db/database'
import { newId } from '../ids'
import { appendMutation } from '../repositories/outbox'
import type { DerivedOutcome } from './derived'

export async function shareAwards(tx: Q, outcome: Pick<DerivedOutcome, 'newAchievements'>, when: { at: number; tz: string }): Promise<void> {
  for (const badge of outcome.newAchievements) {
    await appendMutation(tx, { id: newId(), name: 'achievement.award', args: { key: badge.key, at: when.at, tz: when.tz }, createdAt: when.at })
  }
}
