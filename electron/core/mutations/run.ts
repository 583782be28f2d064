/** Running mutations: validate their arguments, apply them, refresh what derives from them. */
import { sql } from 'drizzle-orm'
import type { Q } from '../db/database'
import type { Catalog } from '../catalog/catalog'
import { Invalid } from '../errors'
import type { ProfileRow } from '../repositories/learners'
import { MutationArgs, type ArgsOf, type MutationName } from './args'
import { applyMutation, finishPendingWork } from './apply'
import { noPendingWork, type LoggedActivity, type MutationContext, type PendingWork } from './context'
import { refreshDerived, type DerivedOutcome } from './derived'

export interface MutationEnv {
  tx: Q
  userId: string
  catalog: Catalog
  /** The learner's profile if the caller has just read it in this transaction. */
  profile?: ProfileRow
}

export function parseMutationArgs<N extends MutationName>(name: N, args: unknown): ArgsOf<N> {
  const parsed = MutationArgs[name].safeParse(args)
  if (!parsed.success) throw Invalid.fromZod(parsed.error, `arguments for ${name}`)
  return parsed.data as ArgsOf<N>
}

function apply<N extends MutationName>(ctx: MutationContext, name: N, args: ArgsOf<N>): Promise<void> {
  return (applyMutation[name] as (ctx: MutationContext, args: ArgsOf<N>) => Promise<void>)(ctx, args)
}

/** Does the work a run of mutations left pending, then refreshes the derived caches from what it logged. */
async function settle(ctx: MutationContext, profile?: ProfileRow): Promise<DerivedOutcome> {
  await finishPendingWork(ctx)
  return refreshDerived(ctx, { profile })
}

export interface MutationOutcome extends DerivedOutcome {
  /** Whether applying it wrote any row: one that wrote none has nothing to sync (no outbox entry). */
  changed: boolean
}

/**
 * Rows written on the transaction's connection so far, triggers included. Every write of a mutation,
 * its derived caches and its awards goes through this one connection, so the difference before and
 * after says whether it changed anything, without each applier having to report it.
 */
async function totalChanges(tx: Q): Promise<number> {
  const [row] = await tx.all<{ n: number }>(sql`SELECT total_changes() AS n`)
  return Number(row?.n ?? 0)
}

/** Applies one mutation inside the caller's transaction and returns the refreshed derived values. */
export async function runMutation<N extends MutationName>(env: MutationEnv, name: N, rawArgs: unknown): Promise<MutationOutcome> {
  const args = parseMutationArgs(name, rawArgs)
  const { profile, ...rest } = env
  const ctx: MutationContext = { ...rest, at: args.at, tz: args.tz, logged: [], pending: noPendingWork() }
  const before = await totalChanges(env.tx)
  await apply(ctx, name, args)
  const derived = await settle(ctx, profile)
  return { ...derived, changed: (await totalChanges(env.tx)) !== before }
}

/**
 * Mutations that read what others derive (an activity.log checks the fact behind it; a Pressure Room
 * record reads the enrollment; an award checks the figures behind it): a batch settles its pending
 * work before applying one of these.
 */
const READS_DERIVED: ReadonlySet<MutationName> = new Set(['activity.log', 'pressureRoom.recordAttempt', 'achievement.award'])

/** A mutation of a batch failed; everything the batch wrote must be rolled back by the caller. */
export class BatchStopped extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(`mutation ${index} of the batch failed`)
  }
}

export interface BatchEntry {
  name: MutationName
  args: unknown
}

export interface BatchOptions {
  /**
   * Asked before each mutation after the first: true ends the run there (the sync server's time budget
   * per push). What was applied is settled as at the end of a full run; the rest is left to the caller.
   */
  stopWhen?: () => boolean
}

/**
 * Applies mutations in order within the caller's transaction, as the server does with a push: the
 * same appliers as runMutation, but the course progress, XP, streaks and badges are recomputed once
 * at the end of the run (and before any mutation that reads them) instead of after every mutation.
 * The result is the same rows runMutation would leave, except that a badge earned inside the run is
 * dated by the run's last mutation. Throws BatchStopped at the first mutation that fails. Returns how
 * many of the entries it applied: all of them unless `stopWhen` ended the run early (never before the first).
 */
export async function runMutationBatch(env: MutationEnv, entries: readonly BatchEntry[], options: BatchOptions = {}): Promise<number> {
  const logged: LoggedActivity[] = []
  const pending: PendingWork = noPendingWork()
  let last: MutationContext | null = null
  const settleLast = async () => {
    if (!last) return
    await settle(last)
    logged.length = 0
    last = null
  }
  let applied = 0
  for (const [index, entry] of entries.entries()) {
    if (index > 0 && options.stopWhen?.()) break
    try {
      const args = parseMutationArgs(entry.name, entry.args)
      if (READS_DERIVED.has(entry.name)) await settleLast()
      const ctx: MutationContext = { tx: env.tx, userId: env.userId, catalog: env.catalog, at: args.at, tz: args.tz, logged, pending }
      await apply(ctx, entry.name, args)
      last = ctx
      applied++
    } catch (e) {
      throw new BatchStopped(index, e)
    }
  }
  await settleLast()
  return applied
}
