/** activities.list / activities.log */
import { Invalid } from '../errors'
import { listActivities, type ActivityCursor, type ActivityRow } from '../repositories/activities'
import type { ActivityType } from '../domain/xp'
import { xpFor } from '../domain/xp'
import { commit, type ServiceDeps } from './deps'
import { ActivitiesListInput, ActivityLogInput } from '../contract/inputs'
import { parseInput } from './validate'
import type { Activity, ActivityPage, WriteOutcome } from '../contract/types'

const DEFAULT_PAGE = 20

export function encodeCursor(c: ActivityCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.seq])).toString('base64url')
}

export function decodeCursor(cursor: string): ActivityCursor {
  try {
    const [createdAt, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (Number.isSafeInteger(createdAt) && Number.isSafeInteger(seq)) return { createdAt: createdAt as number, seq: seq as number }
  } catch {
    // fall through to the typed error
  }
  throw new Invalid('That page cursor is not valid; start again from the first page.')
}

function parseMetadata(json: string | null): Record<string, unknown> {
  try {
    const value: unknown = json ? JSON.parse(json) : {}
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

function toActivity(row: ActivityRow): Activity {
  const metadata = parseMetadata(row.metadata)
  const type = row.activityType as ActivityType
  return { id: row.id, type, description: row.description ?? '', metadata, createdAt: row.createdAt, localDay: row.localDay, xp: xpFor(type) ?? 0 }
}

export function createActivitiesService(deps: ServiceDeps) {
  const { db, userId } = deps
  return {
    async list(input: unknown = {}): Promise<ActivityPage> {
      const { cursor, limit = DEFAULT_PAGE } = parseInput(ActivitiesListInput, input ?? {}, 'activity page')
      const before = cursor ? decodeCursor(cursor) : undefined
      // One extra row tells whether another page exists without a COUNT.
      const rows = await db.read((q) => listActivities(q, userId, limit + 1, before))
      const page = rows.slice(0, limit)
      const last = page.at(-1)
      return { items: page.map(toActivity), nextCursor: rows.length > limit && last ? encodeCursor(last) : null }
    },

    /** Logs an activity that really happened (it is checked); logging the same fact again changes nothing. */
    async log(input: unknown): Promise<WriteOutcome> {
      const { type, subject } = parseInput(ActivityLogInput, input, 'activity')
      return commit(deps, 'activity.log', (when) => ({ type, subject, ...when }))
    },
  }
}
