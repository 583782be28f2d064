/** What a mutation works with while it applies: the transaction, the learner, the catalog and its time. */
import type { Q } from '../db/database'
import type { Catalog } from '../catalog/catalog'
import { localDay } from '../domain/days'
import type { PressureRoomRecord } from '../domain/pressure-room'
import type { ActivityType } from '../domain/xp'
import { factId } from '../ids'
import { recordActivity, type RecordResult } from '../repositories/activities'
import type { TimeIncrement } from '../repositories/lesson-progress'

export interface LoggedActivity {
  type: ActivityType
  localDay: string
  /** Epoch seconds of the activity. */
  at: number
  result: Exclude<RecordResult, 'unchanged'>
}

/** What logging an activity and refreshing the derived caches work with. */
export interface LoggingContext {
  tx: Q
  userId: string
  /** Epoch seconds at which the learner did this (not when it is applied). */
  at: number
  /** The learner's timezone when they did it: fixes the local day of what it logs. */
  tz: string
  /** Activities this mutation added or moved earlier; the derived caches are updated from these. */
  logged: LoggedActivity[]
}

export interface MutationContext extends LoggingContext {
  catalog: Catalog
  /** Work left for when the mutation (or the batch it is part of) has been applied; see runMutationBatch in ./run. */
  pending: PendingWork
}

/**
 * What a run of mutations leaves to do once, at its end, rather than after each mutation: lesson time
 * to add (written together), the courses whose progress must be recomputed (with the earliest moment
 * a lesson of it was worked on), and the enrollment times already known, so enrolling again needs no
 * read. Also the Pressure Room records counted from the attempts in this run's transaction, so the
 * run's next attempt of that course adds itself to the count instead of counting them all again.
 */
export interface PendingWork {
  time: TimeIncrement[]
  courses: Map<string, number>
  enrolledAt: Map<string, number>
  records: Map<string, PressureRoomRecord>
}

export const noPendingWork = (): PendingWork => ({ time: [], courses: new Map(), enrolledAt: new Map(), records: new Map() })

export interface ActivityFact {
  type: ActivityType
  /** What the fact is about: a course id, "course/lesson", an achievement key. */
  subject: string
  description: string
  metadata: Record<string, unknown>
}

/** Logs a one-time fact under its deterministic id; the same fact twice is one row. */
export async function logActivity(ctx: LoggingContext, fact: ActivityFact, at = ctx.at): Promise<void> {
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
