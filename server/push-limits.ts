/**
 * What one push may cost the server. Every push is written by one writer (one connection, in the push
 * worker on a local file), so without bounds one learner's heavy push held up everyone's: a 500-attempt
 * push at 4 000 stored attempts took 16.7 s, and another learner's sign-in failed on the busy timeout.
 *
 * - Work: at most MAX_PUSH_BATCH (500) mutations per request (protocol.ts), each mutation's arguments
 *   within electron/core/sync/args-limits.ts, and at most MAX_PUSHES_IN_FLIGHT_PER_LEARNER requests of
 *   one learner waiting or being applied at once (more answer 429 with Retry-After).
 * - Time: a learner's pushes get at most PUSH_TIME_BUDGET_MS of apply time per group transaction. A
 *   push that uses it up stops after the mutation in progress, commits what it applied and answers
 *   with that lastMutationId (the client engine pushes the rest next, as after any partial answer);
 *   the learner's other waiting pushes wait for the next transaction. A group starts no further push
 *   once it has run GROUP_TIME_BUDGET_MS, so another learner's push waits at most about one group.
 * Every push applies at least one mutation, so every answer makes progress.
 */

/** Apply time one learner's pushes may use in one group transaction. */
export const PUSH_TIME_BUDGET_MS = 150

/** A group transaction starts no further push after this long; the rest go in the next one. */
export const GROUP_TIME_BUDGET_MS = 300

/** Push requests of one learner waiting for the writer or being applied, at most. */
export const MAX_PUSHES_IN_FLIGHT_PER_LEARNER = 4

/** Seconds a client refused for having too many pushes in flight is asked to wait. */
export const PUSH_RETRY_AFTER_SECONDS = 1

/** Counts each learner's push requests in flight; `enter` is false when they already have the most. */
export function createInFlightGate(max = MAX_PUSHES_IN_FLIGHT_PER_LEARNER) {
  const inFlight = new Map<string, number>()
  return {
    enter(userId: string): boolean {
      const now = inFlight.get(userId) ?? 0
      if (now >= max) return false
      inFlight.set(userId, now + 1)
      return true
    },
    leave(userId: string): void {
      const now = (inFlight.get(userId) ?? 1) - 1
      if (now <= 0) inFlight.delete(userId)
      else inFlight.set(userId, now)
    },
    /** Learners with a push in flight (for tests: nothing is left behind). */
    size: () => inFlight.size,
  }
}
