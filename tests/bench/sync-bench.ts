/**
 * Sync benchmarks against the real sync server process on 127.0.0.1 (DESIGN.md §3): pushing 10 000
 * offline mutations, the initial pull of a 50 000-row learner against a raw-insert baseline measured
 * in the same run, and 200 clients syncing small changes at once for 30 s. Every loop is bounded.
 */
import type { BenchResult } from './measure'
import { benchConcurrentClients } from './sync-clients'
import { benchInitialPull } from './sync-pull'
import { benchPush } from './sync-push'

export async function benchSync(): Promise<BenchResult[]> {
  return [...(await benchPush()), ...(await benchInitialPull()), ...(await benchConcurrentClients())]
}
