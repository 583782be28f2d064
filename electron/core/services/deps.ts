/** What every service is built from, and the one way services write: a mutation plus its outbox entry. */
import type { Catalog } from '../catalog/catalog'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db, Q } from '../db/database'
import { NotFound } from '../errors'
import { newId } from '../ids'
import type { MutationName } from '../mutations/args'
import type { DerivedOutcome } from '../mutations/derived'
import { parseMutationArgs, runMutation } from '../mutations/run'
import { findProfile } from '../repositories/learners'
import { appendMutation } from '../repositories/outbox'
import { shareAwards } from '../mutations/awards'
import { takeHlc } from './hlc-clock'
import type { WriteOutcome } from '../contract/types'

export interface ServiceDeps {
  db: Db
  catalog: Catalog
  clock: Clock
  /** The learner this device works for. */
  userId: string
  /** Random source for shuffles; tests pass a seeded one. */
  random?: () => number
  /** Told after every committed write (the sync engine pushes shortly after). */
  onCommit?: () => void
}

export function toOutcome(d: DerivedOutcome): WriteOutcome {
  return { xp: d.xp, level: d.level, leveledUp: d.level > d.previousLevel, newAchievements: d.newAchievements }
}

type MaybePromise<T> = T | Promise<T>

/**
 * Applies a mutation and appends it to the outbox in one transaction, so a crash keeps both or
 * neither. `args` receives the time and the learner's timezone at this moment (and can take a clock
 * reading for last-writer-wins fields); it returns null when the change has already happened, and then
 * nothing is written at all. A mutation that writes no row appends no outbox entry either, and neither
 * tells the sync engine (onCommit) there is something to push.
 */
export async function commit(
  deps: ServiceDeps,
  name: MutationName,
  args: (when: { at: number; tz: string }, tx: Q, clock: () => Promise<string>) => MaybePromise<Record<string, unknown> | null>,
): Promise<WriteOutcome> {
  const { outcome, changed } = await deps.db.write(async (tx) => {
    const at = nowSeconds(deps.clock)
    const profile = await findProfile(tx, deps.userId)
    if (!profile) throw new NotFound('Your profile could not be found.')
    const raw = await args({ at, tz: profile.timezone }, tx, () => takeHlc(tx, deps.clock.now()))
    const unchanged = { outcome: { xp: profile.xp, level: profile.level, leveledUp: false, newAchievements: [] }, changed: false }
    if (raw === null) return unchanged
    const parsed = parseMutationArgs(name, raw)
    const derived = await runMutation({ tx, userId: deps.userId, catalog: deps.catalog, profile }, name, parsed)
    // A write that changed nothing (re-logging a fact already logged) has nothing to sync.
    if (!derived.changed) return unchanged
    await appendMutation(tx, { id: newId(), name, args: parsed, createdAt: at })
    await shareAwards(tx, derived, { at, tz: profile.timezone })
    return { outcome: toOutcome(derived), changed: true }
  })
  if (changed) deps.onCommit?.()
  return outcome
}
