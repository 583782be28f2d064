/** zod schemas of what the renderer may send to the services (the IPC contract reuses these). */
import { z } from 'zod'
import { NotesText } from '../mutations/args'
import { ACTIVITY_TYPES } from '../domain/xp'
import { ResponseSchema } from '../exercises/response'

const Id = z.string().trim().min(1, 'is required').max(100)

export const CourseRef = z.object({ courseId: Id }).strict()
export const LessonRef = z.object({ courseId: Id, lessonId: Id }).strict()

export const UpdateProgressInput = z.discriminatedUnion('action', [
  LessonRef.extend({ action: z.literal('complete') }).strict(),
  // Capped (not refused) above the per-call maximum; zero, negative or fractional seconds are refused.
  LessonRef.extend({ action: z.literal('addTime'), seconds: z.number().int().positive() }).strict(),
  LessonRef.extend({ action: z.literal('saveNotes'), notes: NotesText }).strict(),
])
export type UpdateProgressInput = z.input<typeof UpdateProgressInput>

export const ActivitiesListInput = z
  .object({ cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(100).optional() })
  .strict()

// The subject is not trimmed: only its canonical form is taken (mutations/subjects.ts), here as on the server.
export const ActivityLogInput = z.object({ type: z.enum(ACTIVITY_TYPES), subject: z.string().min(1).max(200) }).strict()

export const PressureRoomStartInput = CourseRef
export const PressureRoomAnswerInput = z.object({ attemptId: Id, questionId: Id, response: ResponseSchema }).strict()
export const PressureRoomSubmitInput = z.object({ attemptId: Id, answers: z.record(Id, ResponseSchema).optional() }).strict()

/** A lesson practice answer, graded by the core (the renderer never holds the key). */
export const CheckAnswerInput = LessonRef.extend({ questionId: Id, response: ResponseSchema }).strict()

/** A learner's query for the course's sample database ("Try it" in a lesson). */
export const SqlRunInput = CourseRef.extend({ query: z.string().max(20_000, 'Keep the query under 20 000 characters') }).strict()

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'Enter a valid email address' }))

export const EmailStartBody = z.object({ email: Email }).strict()
export const EmailVerifyBody = z.object({ email: Email, code: z.string().trim().regex(/^\d{6}$/, 'The code has 6 digits') }).strict()
/** auth.confirmLink: the address the learner saw and confirmed (the one waiting must be the same). */
export const ConfirmLinkInput = z.object({ email: Email }).strict()

/** settings.update: only the preferences named; at least one. */
export const SettingsPatch = z
  .object({ autoUpdate: z.boolean() })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Name at least one setting to change')
