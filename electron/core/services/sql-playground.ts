/**
 * sql.run ("Try it" in a lesson) and the SQL grading of lesson practice: learner SQL runs on a fresh
 * in-memory copy of the course's sample database in the core's one SQL runner (sql/runner.ts), never
 * on the learner's own database.
 */
import type { Catalog, Course } from '../catalog/catalog'
import { SqlRunInput } from '../contract/inputs'
import type { SqlRun } from '../contract/types'
import { Invalid } from '../errors'
import type { SqlRunner } from '../sql/runner'
import { parseInput } from './validate'

export interface SqlPlaygroundDeps {
  catalog: Catalog
  /** The core's runner, made at its first use (a worker thread with the SQL engine). */
  runner: () => SqlRunner
}

/** The course's sample database; a course without one has no SQL to run. */
export function requireDataset(course: Course): string {
  if (course.dataset === null) throw new Invalid(`The course "${course.title}" has no sample database to run SQL on.`)
  return course.dataset
}

export function createSqlPlaygroundService({ catalog, runner }: SqlPlaygroundDeps) {
  return {
    async run(input: unknown): Promise<SqlRun> {
      const { courseId, query } = parseInput(SqlRunInput, input, 'query')
      const dataset = requireDataset(catalog.require(courseId))
      return runner().run(dataset, query)
    },
  }
}
