/**
 * The canonical subject of each fact-bearing activity, as the mutation that proves the fact logs it
 * (apply.ts): a course id, "<courseId>/<lessonId>", or an achievement key. The activity's row id is a
 * hash of its subject (ids.ts factId), so a second spelling of a fact would be a second row and more XP:
 * activity.log takes a subject only in exactly this form, and refuses anything else before any lookup.
 */
import { ACHIEVEMENTS } from '../domain/achievements'
import type { ActivityType } from '../domain/xp'
import { Invalid } from '../errors'

/** The shape of every catalog id (catalog/pack-schema.ts `slug`): lower-case ASCII words joined by "-". */
const ID = '[a-z0-9]+(?:-[a-z0-9]+)*'
const COURSE_SUBJECT = new RegExp(`^(${ID})$`)
const LESSON_SUBJECT = new RegExp(`^(${ID})/(${ID})$`)
const ACHIEVEMENT_KEYS: ReadonlySet<string> = new Set(ACHIEVEMENTS.map((a) => a.key))

export type Subject =
  | { kind: 'course'; courseId: string }
  | { kind: 'lesson'; courseId: string; lessonId: string }
  | { kind: 'achievement'; key: string }

const FORMS: Readonly<Record<ActivityType, string>> = {
  course_enrolled: 'a course id',
  course_completed: 'a course id',
  pr_completed: 'a course id',
  lesson_completed: '"<course id>/<lesson id>"',
  achievement_earned: 'an achievement key',
}

/**
 * Parses `subject` as the canonical subject of a `type` activity. Throws Invalid for anything else:
 * extra or empty segments ("c/l/x", "c/../l", "c/l/"), other case, spaces, look-alike letters. Whether
 * the course, lesson or fact exists is not its question (the caller answers that with CONFLICT).
 */
export function parseSubject(type: ActivityType, subject: string): Subject {
  const refuse = () => new Invalid(`The subject of a ${type} activity must be ${FORMS[type]}, exactly; "${subject}" is not.`, { subject: [`must be ${FORMS[type]}`] })
  switch (type) {
    case 'course_enrolled':
    case 'course_completed':
    case 'pr_completed': {
      const m = COURSE_SUBJECT.exec(subject)
      if (!m?.[1]) throw refuse()
      return { kind: 'course', courseId: m[1] }
    }
    case 'lesson_completed': {
      const m = LESSON_SUBJECT.exec(subject)
      if (!m?.[1] || !m[2]) throw refuse()
      return { kind: 'lesson', courseId: m[1], lessonId: m[2] }
    }
    case 'achievement_earned':
      if (!ACHIEVEMENT_KEYS.has(subject)) throw refuse()
      return { kind: 'achievement', key: subject }
  }
}

/** The subject a parsed subject is logged under: the same text the proving mutation uses. */
export function canonicalSubject(s: Subject): string {
  switch (s.kind) {
    case 'course':
      return s.courseId
    case 'lesson':
      return `${s.courseId}/${s.lessonId}`
    case 'achievement':
      return s.key
  }
}
