/**
 * Seeds a heavy learner (10 years of use: 50 000 activities, 3 000 lesson-progress rows, 40
 * enrollments) straight into a real database, over a generated catalog big enough to hold them.
 */
import type { Transaction } from '@libsql/client'
import { createCatalog, type Catalog, type Course } from '../../electron/core/catalog/catalog'
import type { Core } from '../../electron/core/core'
import { localDay } from '../../electron/core/domain/days'
import { ACTIVITY_TYPES } from '../../electron/core/domain/xp'
import { factId, newId } from '../../electron/core/ids'

export const HEAVY = { years: 10, activities: 50_000, lessonRows: 3_000, enrollments: 40 } as const
export const LESSONS_PER_COURSE = HEAVY.lessonRows / HEAVY.enrollments
/** Lessons per course left incomplete, so the write benchmark has real completions to make. */
export const OPEN_LESSONS_PER_COURSE = 10

const question = (id: string) => ({ id, kind: 'single' as const, prompt: `Question ${id}?`, choices: ['a', 'b', 'c', 'd'].map((text) => ({ text })), answer: 1, explanation: 'Because.' })

export function benchCatalog(): Catalog {
  const courses: Course[] = Array.from({ length: HEAVY.enrollments }, (_, c) => ({
    id: `course-${c}`,
    version: 1,
    title: `Course ${String(c).padStart(2, '0')}`,
    summary: 'A generated course for benchmarks.',
    level: 'beginner',
    tags: ['bench'],
    lessons: Array.from({ length: LESSONS_PER_COURSE }, (_, l) => ({
      id: `lesson-${l}`,
      title: `Lesson ${l}`,
      minutes: 10,
      markdown: `# Lesson ${l}\n\nText.`,
      quiz: [question(`c${c}-l${l}-q1`)],
    })),
    pressureRoom: { timeLimitSeconds: 600, passMark: 70, draw: 12, pool: Array.from({ length: 12 }, (_, i) => question(`c${c}-pr-${i}`)) },
    dataset: null,
  }))
  return createCatalog(courses)
}

type Row = (string | number | null)[]

async function insertMany(tx: Transaction, table: string, columns: string[], rows: Row[]): Promise<void> {
  const placeholders = `(${columns.map(() => '?').join(', ')})`
  const chunk = Math.floor(32_000 / columns.length)
  for (let i = 0; i < rows.length; i += chunk) {
    const slice = rows.slice(i, i + chunk)
    await tx.execute({
      sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${slice.map(() => placeholders).join(', ')}`,
      args: slice.flat(),
    })
  }
}

/** Seeds the learner of `core` (whose catalog must be benchCatalog()) as of `nowSeconds`. */
export async function seedHeavyLearner(core: Core, nowSeconds: number): Promise<void> {
  const userId = core.userId
  const tz = 'UTC'
  const start = nowSeconds - HEAVY.years * 365 * 86_400
  const span = nowSeconds - start - 86_400
  const at = (i: number, n: number) => start + Math.floor((span * i) / n)

  const enrollments: Row[] = core.catalog.courses.map((c, i) => {
    const enrolledAt = at(i, HEAVY.enrollments)
    const record = JSON.stringify({ bestScore: 80, attempts: 2, passedAt: enrolledAt + 86_400 })
    return [factId(userId, 'enrollment', c.id), userId, c.id, record, enrolledAt, enrolledAt + 3600, null, 0, 'in_progress']
  })
  const lessons: Row[] = []
  core.catalog.courses.forEach((c, ci) =>
    c.lessons.forEach((l, li) => {
      const done = li < LESSONS_PER_COURSE - OPEN_LESSONS_PER_COURSE
      const t = at(ci * LESSONS_PER_COURSE + li, HEAVY.lessonRows)
      lessons.push([factId(userId, 'lesson', c.id, l.id), userId, c.id, l.id, done ? 1 : 0, done ? t : null, 600, li % 7 === 0 ? 'my notes' : null, t])
    }),
  )
  const activities: Row[] = Array.from({ length: HEAVY.activities }, (_, i) => {
    const t = at(i, HEAVY.activities)
    const type = ACTIVITY_TYPES[i % 13 === 0 ? 0 : i % 17 === 0 ? 2 : 1] as string
    return [newId(), userId, type, `Seeded ${type}`, '{}', t, localDay(t, tz)]
  })

  const tx = await core.db.client.transaction('write')
  await insertMany(tx, 'course_enrollments', ['id', 'user_id', 'course_id', 'pressure_room', 'enrolled_at', 'started_at', 'completed_at', 'progress', 'status'], enrollments)
  await insertMany(tx, 'lesson_progress', ['id', 'user_id', 'course_id', 'lesson_id', 'completed', 'completed_at', 'time_spent', 'notes', 'updated_at'], lessons)
  await insertMany(tx, 'user_activities', ['id', 'user_id', 'activity_type', 'description', 'metadata', 'created_at', 'local_day'], activities)
  await tx.commit()
  await core.db.client.execute('ANALYZE')
  // Bring the derived caches and badges in line with the seeded log, as a sync pull would.
  await core.services.achievements.check()
}
