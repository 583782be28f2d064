/**
 * The bundled course catalog: every pack under the courses folder, validated at load. A malformed
 * pack is reported by name and skipped; the others still load.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CoursePackSchema, describeIssue, type PressureRoomPack, type Question } from './pack-schema'
import { NotFound } from '../errors'

export interface Lesson {
  id: string
  title: string
  minutes: number
  markdown: string
  quiz: Question[]
}

export interface Course {
  id: string
  version: number
  title: string
  summary: string
  level: 'beginner' | 'intermediate' | 'advanced'
  tags: string[]
  lessons: Lesson[]
  pressureRoom: PressureRoomPack
  /** The SQL statements that build the course's sample database, or null for a course without one. */
  dataset: string | null
}

export interface PackError {
  pack: string
  message: string
}

export interface Catalog {
  courses: readonly Course[]
  /** Packs that failed to load, by folder name, with the reason. */
  errors: readonly PackError[]
  get(courseId: string): Course | undefined
  /** Throws NotFound for an unknown course. */
  require(courseId: string): Course
  requireLesson(courseId: string, lessonId: string): { course: Course; lesson: Lesson }
}

export function createCatalog(courses: Course[], errors: PackError[] = []): Catalog {
  const byId = new Map(courses.map((c) => [c.id, c]))
  const require = (courseId: string) => {
    const course = byId.get(courseId)
    if (!course) throw new NotFound(`There is no course "${courseId}".`)
    return course
  }
  return {
    courses,
    errors,
    get: (id) => byId.get(id),
    require,
    requireLesson(courseId, lessonId) {
      const course = require(courseId)
      const lesson = course.lessons.find((l) => l.id === lessonId)
      if (!lesson) throw new NotFound(`The course "${course.title}" has no lesson "${lessonId}".`)
      return { course, lesson }
    },
  }
}

async function loadPack(dir: string, folder: string): Promise<Course> {
  const raw = await readFile(join(dir, folder, 'course.json'), 'utf8')
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch (e) {
    throw new Error(`course.json is not valid JSON: ${(e as Error).message}`, { cause: e })
  }
  const parsed = CoursePackSchema.safeParse(json)
  if (!parsed.success) {
    const shown = parsed.error.issues.slice(0, 5).map((issue) => describeIssue(json, issue))
    const more = parsed.error.issues.length - shown.length
    throw new Error(`course.json ${shown.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}`)
  }
  const { dataset: datasetFile, format: _format, ...pack } = parsed.data
  if (pack.id !== folder) throw new Error(`course id "${pack.id}" does not match its folder name`)
  const lessons = await Promise.all(
    pack.lessons.map(async ({ file, ...lesson }) => {
      const markdown = await readFile(join(dir, folder, file), 'utf8').catch(() => {
        throw new Error(`lesson file ${file} is missing`)
      })
      return { ...lesson, markdown }
    }),
  )
  const dataset =
    datasetFile === undefined
      ? null
      : await readFile(join(dir, folder, datasetFile), 'utf8').catch(() => {
          throw new Error(`dataset file ${datasetFile} is missing`)
        })
  return { ...pack, lessons, dataset }
}

/** Loads every pack folder in `dir`, sorted by course title. */
export async function loadCatalog(dir: string): Promise<Catalog> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort()
  const courses: Course[] = []
  const errors: PackError[] = []
  for (const folder of folders) {
    try {
      courses.push(await loadPack(dir, folder))
    } catch (e) {
      errors.push({ pack: folder, message: (e as Error).message })
    }
  }
  courses.sort((a, b) => a.title.localeCompare(b.title))
  return createCatalog(courses, errors)
}
