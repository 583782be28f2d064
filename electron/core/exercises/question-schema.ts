/**
 * The exercise kinds of a course pack (format 2): one zod schema per kind, joined on `kind`. A format-1
 * question (`choices` + `answer`, no `kind`) reads as `single`, so older packs keep loading.
 */
import { z } from 'zod'

export const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, -)')

const prompt = z.string().trim().min(1).max(2000)
const explanation = z.string().trim().min(1).max(2000)
const feedbackText = z.string().trim().min(1).max(1000)
const shortText = z.string().trim().min(1).max(500)

/** A choice is its text, or its text and what to tell a learner who picks it. */
const Choice = z
  .union([shortText, z.object({ text: shortText, feedback: feedbackText.optional() }).strict()])
  .transform((c) => (typeof c === 'string' ? { text: c } : c))

const Normalize = z
  .object({
    case: z.enum(['ignore', 'exact']).default('ignore'),
    spaces: z.enum(['collapse', 'ignore']).default('collapse'),
    quotes: z.enum(['exact', 'ignore']).default('exact'),
  })
  .strict()
  .default({ case: 'ignore', spaces: 'collapse', quotes: 'exact' })

const base = { id: slug, prompt, explanation }

const distinct = (values: readonly string[]) => new Set(values).size === values.length
const choicesField = z.array(Choice).min(2).max(6).refine((cs) => distinct(cs.map((c) => c.text)), 'choices must be distinct')
const inRange = (n: number, length: number) => n < length

const Single = z
  .object({ ...base, kind: z.literal('single'), choices: choicesField, answer: z.number().int().min(0) })
  .strict()
  .refine((q) => inRange(q.answer, q.choices.length), { message: 'answer must index one of the choices', path: ['answer'] })

const Multiple = z
  .object({ ...base, kind: z.literal('multiple'), choices: choicesField, answers: z.array(z.number().int().min(0)).min(1).max(6) })
  .strict()
  .refine((q) => q.answers.every((a) => inRange(a, q.choices.length)), { message: 'every answer must index one of the choices', path: ['answers'] })
  .refine((q) => new Set(q.answers).size === q.answers.length, { message: 'answers must be distinct', path: ['answers'] })

const TrueFalse = z
  .object({
    ...base,
    kind: z.literal('truefalse'),
    answer: z.boolean(),
    feedback: z.object({ true: feedbackText.optional(), false: feedbackText.optional() }).strict().optional(),
  })
  .strict()

const Numeric = z
  .object({
    ...base,
    kind: z.literal('numeric'),
    answer: z.number().finite(),
    tolerance: z.number().finite().min(0).default(0),
    unit: z.string().trim().min(1).max(40).optional(),
  })
  .strict()

const Text = z
  .object({ ...base, kind: z.literal('text'), accepted: z.array(shortText).min(1).max(20), normalize: Normalize })
  .strict()

const Order = z
  .object({ ...base, kind: z.literal('order'), items: z.array(shortText).min(2).max(8).refine(distinct, 'items must be distinct') })
  .strict()

const Match = z
  .object({
    ...base,
    kind: z.literal('match'),
    pairs: z
      .array(z.object({ left: shortText, right: shortText }).strict())
      .min(2)
      .max(8)
      .refine((ps) => distinct(ps.map((p) => p.left)), 'the left sides must be distinct')
      .refine((ps) => distinct(ps.map((p) => p.right)), 'the right sides must be distinct'),
  })
  .strict()

/** `{{1}}`, `{{2}}`, …: where the blanks sit in a fill-in-the-blank prompt. */
export const BLANK_MARKER = /\{\{(\d+)\}\}/g

const Blanks = z
  .object({ ...base, kind: z.literal('blanks'), blanks: z.array(z.array(shortText).min(1).max(20)).min(1).max(10), normalize: Normalize })
  .strict()
  .superRefine((q, ctx) => {
    const numbers = [...q.prompt.matchAll(BLANK_MARKER)].map((m) => Number(m[1]))
    const expected = q.blanks.map((_, i) => i + 1)
    if (numbers.length !== expected.length || expected.some((n) => numbers.filter((m) => m === n).length !== 1))
      ctx.addIssue({
        code: 'custom',
        message: `the prompt must hold each marker {{1}}…{{${q.blanks.length}}} exactly once (one per list in "blanks")`,
        path: ['prompt'],
      })
  })

const Sql = z
  .object({
    ...base,
    kind: z.literal('sql'),
    reference: z.string().trim().min(1).max(5000),
    starter: z.string().max(2000).optional(),
  })
  .strict()

export const QUESTION_KINDS = ['single', 'multiple', 'truefalse', 'numeric', 'text', 'order', 'match', 'blanks', 'sql'] as const
export type QuestionKind = (typeof QUESTION_KINDS)[number]

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

export const QuestionSchema = z.preprocess(
  // Format 1 had one kind only and no `kind` field, and ignored fields it did not know: so do we.
  (raw) => {
    if (!isRecord(raw) || raw.kind !== undefined || !('choices' in raw && 'answer' in raw)) return raw
    const { id, prompt, choices, answer, explanation } = raw
    return { id, prompt, choices, answer, explanation, kind: 'single' }
  },
  z.discriminatedUnion('kind', [Single, Multiple, TrueFalse, Numeric, Text, Order, Match, Blanks, Sql], {
    error: (issue) => (issue.code === 'invalid_union' ? `kind must be one of ${QUESTION_KINDS.join(', ')}` : undefined),
  }),
)

export type Question = z.output<typeof QuestionSchema>
export type QuestionOf<K extends QuestionKind> = Extract<Question, { kind: K }>
export type TextNormalization = z.output<typeof Normalize>
/** The kinds with choices, whose choice lengths the content rules balance. */
export type ChoiceQuestion = QuestionOf<'single' | 'multiple'>
