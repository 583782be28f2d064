/** Running a mutation: validate its arguments, apply it, refresh what derives from it. */
import type { Q } from '../db/database'
import type { Catalog } from '../catalog/catalog'
import { Invalid } from '../errors'
import type { ProfileRow } from '../repositories/learners'
import { MutationArgs, type ArgsOf, type MutationName } from './args'
import { applyMutation } from './apply'
import type { MutationContext } from './context'
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

/** Applies one mutation inside the caller's transaction and returns the refreshed derived values. */
export async function runMutation<N extends MutationName>(env: MutationEnv, name: N, rawArgs: unknown): Promise<DerivedOutcome> {
  const args = parseMutationArgs(name, rawArgs)
  const { profile, ...rest } = env
  const ctx: MutationContext = { ...rest, at: args.at, tz: args.tz, logged: [] }
  await (applyMutation[name] as (ctx: MutationContext, args: ArgsOf<N>) => Promise<void>)(ctx, args)
  return refreshDerived(ctx, { profile })
}
