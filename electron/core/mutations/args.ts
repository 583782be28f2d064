/** zod schemas for the arguments of every mutation: what the outbox stores and the server re-validates. */
import { z } from 'zod'
import { isValidTimezone } from '../domain/days'
import { HLC_PATTERN } from '../domain/hlc'
import { ACHIEVEMENTS } from '../domain/achievements'
import { ACTIVITY_TYPES } from '../domain/xp'
import { MAX_NOTES_LENGTH, notesLength } from '../contract/notes'
import { ResponseSchema } from '../exercises/response'
import { MAX_SEED } from '../exercises/random'

export const Timezone = z.string().min(1).max(64).refine(isValidTimezone, 'is not a known IANA timezone (for example Europe/Paris)')
const EpochSeconds = z.number().int().min(0).max(32503680000)
const Id = z.string().min(1).max(100)

/** Most lesson time one call may add: a tracker reports every few seconds, never hours at once. */
export const MAX_TIME_INCREMENT_SECONDS = 600
export { MAX_NOTES_LENGTH }
/** Counted as the page's textarea counts (contract/notes.ts), not as zod's max() does (code points). */
export const NotesText = z.string().refine((notes) => notesLength(notes) <= MAX_NOTES_LENGTH, `Keep your notes to ${MAX_NOTES_LENGTH.toLocaleString('en')} characters (an emoji counts as 2 or more)`)

/** The most questions a Pressure Room draws (catalog/pack-schema.ts) and so answers one attempt carries. */
export const MAX_ATTEMPT_QUESTIONS = 200
/**
 * All the typed text of one attempt's answers: a bound of its own, since each typed answer may be long
 * and the whole mutation must stay within what a push accepts (sync/args-limits.ts).
 */
export const MAX_ATTEMPT_TEXT = 100_000
const typedLength = (answers: Record<string, unknown>): number =>
  Object.values(answers).reduce<number>((sum, r) => sum + (typeof r === 'string' ? r.length : Array.isArray(r) ? r.reduce<number>((n, v) => n + (typeof v === 'string' ? v.length : 0), 0) : 0), 0)

const When = { at: EpochSeconds, tz: Timezone }
/** A hybrid logical clock reading (domain/hlc.ts): orders last-writer-wins fields across devices. */
const Clock = z.string().regex(HLC_PATTERN, 'is not a clock reading')

export const ProfilePatch = z
  .object({
    name: z.string().trim().min(1, 'Please enter a name').max(80, 'Keep the name under 80 characters'),
    bio: z.string().trim().max(500, 'Keep the bio under 500 characters'),
    location: z.string().trim().max(100, 'Keep the location under 100 characters'),
    website: z
      .union([
        z.literal(''),
        z
          .url({ protocol: /^https?$/, message: 'Enter a web address starting with http:// or https://' })
          .max(200, 'Keep the address under 200 characters'),
      ]),
    timezone: Timezone,
  })
  .partial()
  .strict()

export const MutationArgs = {
  'course.enroll': z.object({ courseId: Id, ...When }).strict(),
  'lesson.complete': z.object({ courseId: Id, lessonId: Id, ...When }).strict(),
  'lesson.addTime': z
    .object({ courseId: Id, lessonId: Id, seconds: z.number().int().positive().transform((s) => Math.min(s, MAX_TIME_INCREMENT_SECONDS)), ...When })
    .strict(),
  'lesson.saveNotes': z.object({ courseId: Id, lessonId: Id, notes: NotesText, hlc: Clock, ...When }).strict(),
  'profile.update': z.object({ patch: ProfilePatch, hlc: Clock, ...When }).strict(),
  // The questions follow from the seed (domain/pressure-room.ts drawQuestions) wherever this is applied,
  // so a device names no questions and sends no score. The second shape is what versions before the
  // seed wrote to their outboxes (questions listed, a choice index per answer); it still applies.
  'pressureRoom.recordAttempt': z.union([
    z
      .object({
        attemptId: Id,
        courseId: Id,
        seed: z.number().int().min(0).max(MAX_SEED),
        answers: z
          .record(Id, ResponseSchema)
          .refine((answers) => Object.keys(answers).length <= MAX_ATTEMPT_QUESTIONS, `An attempt has at most ${MAX_ATTEMPT_QUESTIONS} questions`)
          .refine((answers) => typedLength(answers) <= MAX_ATTEMPT_TEXT, `Keep an attempt's typed answers under ${MAX_ATTEMPT_TEXT} characters in all`),
        startedAt: EpochSeconds,
        deadline: EpochSeconds,
        ...When,
      })
      .strict(),
    z
      .object({
        attemptId: Id,
        courseId: Id,
        questionIds: z.array(Id).min(1).max(500),
        answers: z.record(Id, z.number().int().min(0).max(50)),
        startedAt: EpochSeconds,
        deadline: EpochSeconds,
        ...When,
      })
      .strict(),
  ]),
  'activity.log': z.object({ type: z.enum(ACTIVITY_TYPES), subject: z.string().min(1).max(200), ...When }).strict(),
  // A badge a device derived from what it knew then. Awards merge as a set (earliest earned_at wins), so
  // every device and the server end up with the union, even when merging changed the history behind it.
  'achievement.award': z.object({ key: z.enum(ACHIEVEMENTS.map((a) => a.key) as [string, ...string[]]), ...When }).strict(),
} as const

export type MutationName = keyof typeof MutationArgs
export type ArgsOf<N extends MutationName> = z.output<(typeof MutationArgs)[N]>
