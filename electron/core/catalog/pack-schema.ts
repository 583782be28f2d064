/**
 * The zod schema of a course pack's course.json (resources/courses/<id>/course.json). Format 2 adds
 * exercise kinds (exercises/question-schema.ts), a sample database for SQL exercises and a Pressure
 * Room that draws from a larger pool; a format-1 pack (no `format`) reads as format 2 with its
 * questions as single choice and a pool that is drawn whole.
 */
import { z } from 'zod'
import { QuestionSchema, slug, type Question } from '../exercises/question-schema'

export { QuestionSchema, type Question }

export const LessonEntrySchema = z.object({
  id: slug,
  title: z.string().trim().min(1).max(200),
  file: z.string().regex(/^lessons\/[a-z0-9][a-z0-9._-]*\.md$/, 'must be a .md file inside lessons/'),
  minutes: z.number().int().min(1).max(240),
  quiz: z.array(QuestionSchema).min(1).max(30),
})

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Format 2 names a `pool` and how many to `draw` from it; format 1 listed `questions` and asked them all
 * (a pool drawn whole). Both spellings are validated where the author wrote them, so an issue's path
 * (pressureRoom.questions.3.answer) exists in the author's file; CoursePackSchema then reads both as a pool.
 */
const PressureRoomSchema = z
  .object({
    timeLimitSeconds: z.number().int().min(30).max(3 * 3600),
    passMark: z.number().int().min(1).max(100),
    /** Questions per attempt, drawn from the pool by the attempt's seed. */
    draw: z.number().int().min(1).max(200).optional(),
    pool: z.array(QuestionSchema).min(1).max(500).optional(),
    /** Format 1: every question, asked in every attempt. */
    questions: z.array(QuestionSchema).min(1).max(200).optional(),
  })
  .strict()
  .superRefine((room, ctx) => {
    if (room.pool !== undefined && room.questions !== undefined)
      ctx.addIssue({ code: 'custom', message: 'name either "pool" (format 2) or "questions" (format 1), not both', path: ['questions'] })
    else if (room.pool === undefined && room.questions === undefined)
      ctx.addIssue({ code: 'custom', message: 'the Pressure Room needs its "pool" of questions', path: ['pool'] })
    if (room.pool !== undefined && room.draw === undefined)
      ctx.addIssue({ code: 'custom', message: 'say how many questions of the pool an attempt asks ("draw")', path: ['draw'] })
    if (room.questions !== undefined && room.draw !== undefined)
      ctx.addIssue({ code: 'custom', message: '"draw" goes with "pool"; a format-1 "questions" list is asked whole', path: ['draw'] })
  })

/** The room as attempts use it: a format-1 list of questions is a pool drawn whole. */
function poolOf(room: z.output<typeof PressureRoomSchema>): { timeLimitSeconds: number; passMark: number; draw: number; pool: Question[] } {
  const pool = room.pool ?? room.questions ?? []
  return { timeLimitSeconds: room.timeLimitSeconds, passMark: room.passMark, draw: room.draw ?? pool.length, pool }
}

export const CoursePackSchema = z
  .object({
    format: z.literal([1, 2]).default(1),
    id: slug,
    version: z.number().int().min(1),
    title: z.string().trim().min(1).max(200),
    summary: z.string().trim().min(1).max(1000),
    level: z.enum(['beginner', 'intermediate', 'advanced']),
    tags: z.array(z.string().trim().min(1).max(40)).max(20),
    /** The sample database of the course's SQL exercises: SQLite statements in a file of the pack. */
    dataset: z.string().regex(/^[a-z0-9][a-z0-9._-]*\.sql$/, 'must be a .sql file at the top of the pack').optional(),
    lessons: z.array(LessonEntrySchema).min(1).max(200),
    pressureRoom: PressureRoomSchema,
  })
  .superRefine((pack, ctx) => {
    const lessonIds = new Set<string>()
    pack.lessons.forEach((lesson, i) => {
      if (lessonIds.has(lesson.id)) ctx.addIssue({ code: 'custom', message: `duplicate lesson id "${lesson.id}"`, path: ['lessons', i, 'id'] })
      lessonIds.add(lesson.id)
    })
    const poolKey = pack.pressureRoom.pool ? 'pool' : 'questions'
    const room = poolOf(pack.pressureRoom)
    // A pool without a draw is reported by the room itself; its size is judged once the draw is known.
    const sized = poolKey === 'questions' || pack.pressureRoom.draw !== undefined
    if (sized && room.draw > room.pool.length) ctx.addIssue({ code: 'custom', message: `draw (${room.draw}) is more than the pool holds (${room.pool.length})`, path: ['pressureRoom', 'draw'] })
    // Format 2 promises a Pressure Room that a learner cannot learn by heart from one review.
    if (pack.format === 2 && poolKey === 'questions')
      ctx.addIssue({ code: 'custom', message: 'format 2 names a "pool" and a "draw" instead of "questions"', path: ['pressureRoom', 'questions'] })
    else if (sized && pack.format === 2 && room.pool.length < 2 * room.draw)
      ctx.addIssue({ code: 'custom', message: `the pool must hold at least twice the draw (${2 * room.draw} for ${room.draw})`, path: ['pressureRoom', 'pool'] })
    // Question ids are unique across the whole course: answers are keyed by them.
    const questionIds = new Set<string>()
    const questions = [
      ...pack.lessons.flatMap((l, li) => l.quiz.map((q, qi) => ({ q, path: ['lessons', li, 'quiz', qi] }))),
      ...room.pool.map((q, qi) => ({ q, path: ['pressureRoom', poolKey, qi] })),
    ]
    for (const { q, path } of questions) {
      if (questionIds.has(q.id)) ctx.addIssue({ code: 'custom', message: `duplicate question id "${q.id}"`, path: [...path, 'id'] })
      questionIds.add(q.id)
      if (q.kind === 'sql' && pack.dataset === undefined)
        ctx.addIssue({ code: 'custom', message: 'an sql question needs the pack to name its "dataset"', path: [...path, 'kind'] })
    }
    room.pool.forEach((q, qi) => {
      // The server re-grades every attempt and never runs learner SQL.
      if (q.kind === 'sql') ctx.addIssue({ code: 'custom', message: 'sql questions cannot be in the Pressure Room pool (it is graded again by the sync server)', path: ['pressureRoom', poolKey, qi, 'kind'] })
    })
  })
  .transform(({ pressureRoom, ...pack }) => ({ ...pack, pressureRoom: poolOf(pressureRoom) }))

export type CoursePack = z.output<typeof CoursePackSchema>
export type PressureRoomPack = CoursePack['pressureRoom']

/**
 * An authoring mistake as a pack author can find it: the field's path, and the question's id when
 * the field is inside a question (read from the raw JSON, since the question itself failed to parse).
 */
export function describeIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String)
  const at = path.join('.')
  const questionAt = path.findIndex((segment, i) => (segment === 'quiz' || segment === 'pool' || segment === 'questions') && /^\d+$/.test(path[i + 1] ?? ''))
  let question = ''
  if (questionAt >= 0) {
    const node = path.slice(0, questionAt + 2).reduce<unknown>((value, key) => (isRecord(value) || Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined), raw)
    const id = isRecord(node) && typeof node.id === 'string' ? node.id : null
    const field = path.slice(questionAt + 2).join('.') || '(the question)'
    question = id ? ` (question "${id}", field ${field})` : ` (field ${field})`
  }
  return `${at || '(top level)'}${question}: ${issue.message}`
}
