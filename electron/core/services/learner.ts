/** The local learner: created on first start, so everything works before (or without) signing in. */
import type { Db } from '../db/database'
import { newId } from '../ids'
import { insertLearner } from '../repositories/learners'
import { getSetting, setSetting } from '../repositories/settings'

/** The setting that names the learner this device works for. */
export const LEARNER_KEY = 'learner_id'

export async function ensureLearner(db: Db, timezone: string, at: number): Promise<string> {
  return db.write(async (tx) => {
    const existing = await getSetting(tx, LEARNER_KEY)
    if (existing) return existing
    const id = newId()
    await insertLearner(tx, { id, name: 'Learner' }, timezone, at)
    await setSetting(tx, LEARNER_KEY, id)
    return id
  })
}
