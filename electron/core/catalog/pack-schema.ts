/** The zod schema of a course pack's course.json (resources/courses/<id>/course.json). */
import { z } from 'zod'

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, -)')

export const QuestionSchema = z
  .object({
    id: slug,
    prompt: z.string().trim().min(1).max(1000),
    choices: z.array(z.string().trim().min(1).max(500)).min(2).max(6),
    answer: z.number().int().min(0),
    explanation: z.string().trim().min(1).max(2000),
  })
  .refine((q) => q.answer < q.choices.length, { message: 'answer must index one of the choices', path: ['answer'] })
  .refine((q) => new Set(q.choices).size === q.choices.length, { message: 'choices must be distinct', path: ['choices'] })

export const LessonEntrySchema = z.object({
  id: slug,
  title: z.string().trim().min(1).max(200),
  file: z.string().regex(/^lessons\/[a-z0-9][a-z0-9._-]*\.md$/, 'must be a .md file inside lessons/'),
  minutes: z.number().int().min(1).max(240),
  quiz: z.array(QuestionSchema).min(1).max(20),
})

export const CoursePackSchema = z
  .object({
    id: slug,
    version: z.number().int().min(1),
    title: z.string().trim().min(1).max(200),
    summary: z.string().trim().min(1).max(1000),
    level: z.enum(['beginner', 'intermediate', 'advanced']),
    tags: z.array(z.string().trim().min(1).max(40)).max(20),
    lessons: z.array(LessonEntrySchema).min(1).max(200),
    pressureRoom: z.object({
      timeLimitSeconds: z.number().int().min(30).max(3 * 3600),
      passMark: z.number().int().min(1).max(100),
      questions: z.array(QuestionSchema).min(1).max(200),
    }),
  })
  .superRefine((pack, ctx) => {
    const lessonIds = new Set<string>()
    pack.lessons.forEach((lesson, i) => {
      if (lessonIds.has(lesson.id)) ctx.addIssue({ code: 'custom', message: `duplicate lesson id "${lesson.id}"`, path: ['lessons', i, 'id'] })
      lessonIds.add(lesson.id)
    })
    // Question ids are unique across the whole course: answers are keyed by them.
    const questionIds = new Set<string>()
    const questions = [
      ...pack.lessons.flatMap((l, li) => l.quiz.map((q, qi) => ({ q, path: ['lessons', li, 'quiz', qi, 'id'] }))),
      ...pack.pressureRoom.questions.map((q, qi) => ({ q, path: ['pressureRoom', 'questions', qi, 'id'] })),
    ]
    for (const { q, path } of questions) {
      if (questionIds.has(q.id)) ctx.addIssue({ code: 'custom', message: `duplicate question id "${q.id}"`, path })
      questionIds.add(q.id)
    }
  })

export type CoursePack = z.infer<typeof CoursePackSchema>
export type Question = z.infer<typeof QuestionSchema>
