/** achievements.list / achievements.check */
import { nowSeconds } from '../clock'
import { ACHIEVEMENTS, achievementProgress } from '../domain/achievements'
import { NotFound } from '../errors'
import { gatherMetrics, refreshDerived } from '../mutations/derived'
import { shareAwards } from '../mutations/awards'
import { listEarned } from '../repositories/achievements'
import { findProfile } from '../repositories/learners'
import { toOutcome, type ServiceDeps } from './deps'
import type { AchievementList, WriteOutcome } from '../contract/types'

export function createAchievementsService(deps: ServiceDeps) {
  const { db, userId, clock } = deps
  return {
    list: (): Promise<AchievementList> =>
      db.read(async (q) => {
        const profile = await findProfile(q, userId)
        if (!profile) throw new NotFound('Your profile could not be found.')
        const [rows, metrics] = await Promise.all([listEarned(q, userId), gatherMetrics(q, userId, profile)])
        const earnedAt = new Map(rows.map((r) => [r.achievementKey, r.earnedAt]))
        const views = ACHIEVEMENTS.map((def) => ({
          key: def.key,
          title: def.title,
          description: def.description,
          earnedAt: earnedAt.get(def.key) ?? null,
          progress: earnedAt.has(def.key) ? { current: def.target, target: def.target, ratio: 1 } : achievementProgress(def, metrics),
        }))
        return {
          earned: views.filter((v) => v.earnedAt !== null).sort((a, b) => (b.earnedAt ?? 0) - (a.earnedAt ?? 0)),
          locked: views.filter((v) => v.earnedAt === null).sort((a, b) => b.progress.ratio - a.progress.ratio),
        }
      }),

    /**
     * Re-checks every achievement against a full recount of the log; a new award is shared through the
     * outbox like any other.
     */
    check: (): Promise<WriteOutcome> =>
      db.write(async (tx) => {
        const profile = await findProfile(tx, userId)
        if (!profile) throw new NotFound('Your profile could not be found.')
        const when = { at: nowSeconds(clock), tz: profile.timezone }
        const derived = await refreshDerived({ tx, userId, ...when, logged: [] }, { full: true })
        await shareAwards(tx, derived, when)
        return toOutcome(derived)
      }),
  }
}
