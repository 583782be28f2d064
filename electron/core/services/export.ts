/**
 * data.export: "Export my data". Everything the learner owns on this computer, read in one snapshot,
 * in the documented PathwiseExport shape (contract/types.ts). Only the current learner's rows, and
 * none of the sync bookkeeping: no session token, outbox, cursors, client ids or field clocks.
 */
import type { DataExport, PathwiseExport } from '../contract/types'
import { isValidTimezone, localDay } from '../domain/days'
import { storedResponses } from '../domain/pressure-room'
import { parsePressureRoom } from '../domain/pressure-room-record'
import { NotFound } from '../errors'
import { listEarned } from '../repositories/achievements'
import { listAllActivities } from '../repositories/activities'
import { listAttempts } from '../repositories/attempts'
import { listEnrollments } from '../repositories/enrollments'
import { findLearner } from '../repositories/learners'
import { listLessonProgress } from '../repositories/lesson-progress'
import type { ServiceDeps } from './deps'
import { toProfile } from './profile'
import { readAppSettings } from './settings'

export const EXPORT_FORMAT = 'pathwise-export'
export const EXPORT_VERSION = 1

function parseObject(json: string | null): Record<string, unknown> {
  if (!json) return {}
  try {
    const value: unknown = JSON.parse(json)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

function parseIds(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}

export function createExportService(deps: ServiceDeps) {
  const { db, catalog, clock, userId } = deps
  const courseTitle = (courseId: string) => catalog.get(courseId)?.title ?? null
  const lessonTitle = (courseId: string, lessonId: string) => catalog.get(courseId)?.lessons.find((l) => l.id === lessonId)?.title ?? null

  return {
    async export(): Promise<DataExport> {
      const at = clock.now()
      const data = await db.read(async (q): Promise<PathwiseExport> => {
        const found = await findLearner(q, userId)
        if (!found) throw new NotFound('Your profile could not be found.')
        const { profile } = found
        const [enrollments, lessons, activities, achievements, attempts, settings] = [
          await listEnrollments(q, userId),
          await listLessonProgress(q, userId),
          await listAllActivities(q, userId),
          await listEarned(q, userId),
          await listAttempts(q, userId),
          await readAppSettings(q),
        ]
        return {
          format: EXPORT_FORMAT,
          version: EXPORT_VERSION,
          exportedAt: new Date(at).toISOString(),
          app: { name: 'Pathwise' },
          learner: {
            ...toProfile(found),
            xp: profile.xp,
            level: profile.level,
            longestStreak: profile.longestStreak,
            lastActiveDay: profile.lastActiveDay,
          },
          enrollments: enrollments
            .map((e) => ({
              courseId: e.courseId,
              courseTitle: courseTitle(e.courseId),
              status: e.status,
              progress: e.progress,
              enrolledAt: e.enrolledAt,
              startedAt: e.startedAt,
              completedAt: e.completedAt,
              pressureRoom: parsePressureRoom(e.pressureRoom),
            }))
            .sort((a, b) => a.enrolledAt - b.enrolledAt || a.courseId.localeCompare(b.courseId)),
          lessonProgress: lessons.map((l) => ({
            courseId: l.courseId,
            lessonId: l.lessonId,
            lessonTitle: lessonTitle(l.courseId, l.lessonId),
            completed: l.completed === 1,
            completedAt: l.completedAt,
            timeSpentSeconds: l.timeSpent,
            notes: l.notes ?? '',
            updatedAt: l.updatedAt,
          })),
          activities: activities.map((a) => ({
            id: a.id,
            type: a.activityType,
            description: a.description ?? '',
            metadata: parseObject(a.metadata),
            createdAt: a.createdAt,
            localDay: a.localDay,
          })),
          achievements: achievements
            .map((a) => ({ key: a.achievementKey, title: a.title, description: a.description ?? '', earnedAt: a.earnedAt }))
            .sort((a, b) => a.earnedAt - b.earnedAt || a.key.localeCompare(b.key)),
          pressureRoomAttempts: attempts.map((a) => ({
            id: a.id,
            courseId: a.courseId,
            startedAt: a.startedAt,
            deadline: a.deadline,
            submittedAt: a.submittedAt,
            score: a.score,
            passed: a.passed === null ? null : a.passed === 1,
            questionIds: parseIds(a.questionIds),
            seed: a.seed,
            answers: storedResponses(a.answers),
          })),
          settings,
        }
      })
      // The learner's own calendar day, as on their dashboard.
      const timezone = isValidTimezone(data.learner.timezone) ? data.learner.timezone : 'UTC'
      const day = localDay(Math.floor(at / 1000), timezone)
      return { fileName: `pathwise-export-${day}.json`, data }
    },
  }
}
