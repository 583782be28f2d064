/** What a mutation works with while it applies: the transaction, the learner, the catalog and its time. */
import type { Q } from '../db/database'
import type { Catalog } from '../catalog/catalog'
import { localDay } from '../domain/days'
import type { ActivityType } from '../domain/xp'
import { factId } from '../ids'
import { recordActivity, type RecordResult } from '../repositories/activities'

export interface LoggedActivity {
  type: ActivityType
  localDay: string
  /** Epoch seconds of the activity. */
  at: number
  result: Exclude<RecordResult, 'unchanged'>
}

export interface MutationContext {
  tx: Q
  userId: string
  catalog: Catalog
  /** Epoch seconds at which the learner did this (not when it is applied). */
  at: number
  /** The learner's timezone when they did it: fixes the local day of what it logs. */
  tz: string
  /** Activities this mutation added or moved earlier; the derived caches are updated from these. */
  logged: LoggedActivity[]
}

export interface ActivityFact {
  type: ActivityType
  /** What the fact is about: a course id, "course/lesson", an achievement key. */
  subject: string
  description: string
  metadata: Record<string, unknown>
}

/** Logs a one-time fact under its deterministic id; the same fact twice is one row. */
export async function logActivity(ctx: MutationContext, fact: ActivityFact, at = ctx.at): Promise<void> {
  const day = localDay(at, ctx.tz)
  const result = await recordActivity(ctx.tx, {
    id: factId(ctx.userId, fact.type, fact.subject),
    userId: ctx.userId,
    activityType: fact.type,
    description: fact.description,
    metadata: JSON.stringify(fact.metadata),
    createdAt: at,
    localDay: day,
  })
  if (result !== 'unchanged') ctx.logged.push({ type: fact.type, localDay: day, at, result })
}
