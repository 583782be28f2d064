/** Core service latencies for a heavy learner, against an indexed point SELECT measured in the same run. */
import { rm } from 'node:fs/promises'
import { openCore } from '../../electron/core/core'
import { tempDir } from '../helpers/core'
import { COURSES_DIR, MIGRATIONS_DIR } from '../helpers/paths'
import { LESSONS_PER_COURSE, OPEN_LESSONS_PER_COURSE, benchCatalog, seedHeavyLearner } from './heavy-learner'
import { percentile, round, sample, type BenchResult } from './measure'

const RUNS = 300
const NOW = Date.parse('2026-11-25T12:00:00Z')

export async function benchCore(): Promise<BenchResult[]> {
  const dataDir = await tempDir('pathwise-bench-')
  let now = NOW
  const clock = { now: () => now }
  const core = await openCore({ dataDir, coursesDir: COURSES_DIR, catalog: benchCatalog(), migrationsDir: MIGRATIONS_DIR, clock, timezone: 'UTC' })
  try {
    await seedHeavyLearner(core, Math.floor(NOW / 1000))
    const s = core.services
    const lessonIds = (await core.db.client.execute({ sql: 'SELECT id FROM lesson_progress WHERE user_id = ? LIMIT 500', args: [core.userId] })).rows.map((r) => String(r.id))

    const open = core.catalog.courses.flatMap((c) => c.lessons.slice(LESSONS_PER_COURSE - OPEN_LESSONS_PER_COURSE).map((l) => ({ courseId: c.id, lessonId: l.id })))
    const completions = open.length - 20 // the warm-up takes 20
    const timings: [string, number[]][] = [
      ['baseline.pointSelect', await sample((i) => core.db.client.execute({ sql: 'SELECT * FROM lesson_progress WHERE id = ?', args: [lessonIds[i % lessonIds.length] as string] }), RUNS)],
      ['stats.get', await sample(() => s.stats.get(), RUNS)],
      ['courses.list', await sample(() => s.courses.list(), RUNS)],
      ['activities.list', await sample(() => s.activities.list({ limit: 20 }), RUNS)],
      ['achievements.list', await sample(() => s.achievements.list(), RUNS)],
      [
        'lesson.complete',
        await sample((i) => {
          now += 60_000
          return s.courses.updateProgress({ ...(open[i] as { courseId: string; lessonId: string }), action: 'complete' })
        }, Math.min(RUNS, completions)),
      ],
    ]
    const baseline = percentile(timings[0]?.[1] ?? [], 50)
    const results: BenchResult[] = []
    for (const [name, times] of timings) {
      results.push({ name: `${name} p50`, value: round(percentile(times, 50)), unit: 'ms' })
      results.push({ name: `${name} p95`, value: round(percentile(times, 95)), unit: 'ms' })
      if (name !== 'baseline.pointSelect') results.push({ name: `${name} p50 / baseline p50`, value: round(percentile(times, 50) / baseline, 1), unit: 'x' })
    }
    const counts = await core.db.client.execute(
      `SELECT (SELECT COUNT(*) FROM user_activities) AS a, (SELECT COUNT(*) FROM lesson_progress) AS l, (SELECT COUNT(*) FROM course_enrollments) AS e`,
    )
    const row = counts.rows[0]
    results.push({ name: 'heavy learner activities', value: Number(row?.a), unit: 'rows' })
    results.push({ name: 'heavy learner lesson_progress', value: Number(row?.l), unit: 'rows' })
    results.push({ name: 'heavy learner enrollments', value: Number(row?.e), unit: 'rows' })
    return results
  } finally {
    core.close()
    await rm(dataDir, { recursive: true, force: true })
  }
}
