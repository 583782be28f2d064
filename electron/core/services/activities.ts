/** activities.list / activities.log */
import { Invalid } from '../errors'
import { activityRank, listActivities, type ActivityCursor, type ActivityRow } from '../repositories/activities'
import type { ActivityType } from '../domain/xp'
import { xpFor } from '../domain/xp'
import { commit, type ServiceDeps } from './deps'
import { ActivitiesListInput, ActivityLogInput } from '../contract/inputs'
import { parseInput } from './validate'
import type { Activity, ActivityPage, WriteOutcome } from '../contract/types'

const DEFAULT_PAGE = 20

/** The page's last row: the next page starts after it in the log's order (repositories/activities.ts). */
export function encodeCursor(row: Pick<ActivityRow, 'createdAt' | 'activityType' | 'id'>): string {
  return Buffer.from(JSON.stringify([row.createdAt, activityRank(row.activityType), row.id])).toString('base64url')
}

export function decodeCursor(cursor: string): ActivityCursor {
  try {
    const [createdAt, rank, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (Number.isSafeInteger(createdAt) && Number.isSafeInteger(rank) && typeof id === 'string') return { createdAt: createdAt as number, rank: rank as number, id }
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
