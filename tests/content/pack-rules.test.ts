/**
 * The rules every bundled course pack keeps (issue #14; docs/course-packs.md, "What the content suite
 * checks"): format 2, enough lessons, words and practice, a Pressure Room that cannot be learnt by
 * heart, and choice lengths that give no answer away. Prints a per-course table for release notes.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCatalog, type Catalog, type Course } from '../../electron/core/catalog/catalog'
import { QUESTION_KINDS, QuestionSchema, type ChoiceQuestion, type Question } from '../../electron/core/exercises/question-schema'
import { COURSES_DIR } from '../helpers/paths'

const MIN_LESSONS = 10
const MIN_WORDS = 9000
const MIN_LESSON_QUESTIONS = 5
const MIN_KINDS = 3
const MIN_POOL = 30
/** The right choice may be the strictly longest one in at most this share of choice questions. */
const MAX_LONGEST_RIGHT_COURSE = 1 / 3
const MAX_LONGEST_RIGHT_POOL = 0.3
/** Courses that teach SQL: they ship a sample database and an sql exercise in every lesson. */
const SQL_COURSES = ['sql-fundamentals']

const folders = readdirSync(COURSES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()

/** Words as `wc -w` counts them: runs of non-space characters. */
const wordCount = (text: string): number => text.split(/\s+/).filter((w) => w !== '').length

const isChoiceQuestion = (q: Question): q is ChoiceQuestion => q.kind === 'single' || q.kind === 'multiple'

/** Whether the one strictly longest choice is a right one (a test-taker's "pick the longest" wins). */
function longestIsRight(q: ChoiceQuestion): boolean {
  const lengths = q.choices.map((c) => [...c.text].length)
  const max = Math.max(...lengths)
  const longest = lengths.flatMap((l, i) => (l === max ? [i] : []))
  if (longest.length !== 1) return false
  const right = q.kind === 'single' ? [q.answer] : q.answers
  return right.includes(longest[0] ?? -1)
}

/** The share of choice questions whose strictly longest choice is right (0 when there are none). */
function longestRightRate(questions: readonly Question[]): { rate: number; count: number; of: number } {
  const choice = questions.filter(isChoiceQuestion)
  const count = choice.filter(longestIsRight).length
  return { rate: choice.length === 0 ? 0 : count / choice.length, count, of: choice.length }
}

const kindsOf = (questions: readonly Question[]) => new Set(questions.map((q) => q.kind))
const allQuestions = (course: Course): Question[] => [...course.lessons.flatMap((l) => l.quiz), ...course.pressureRoom.pool]
const percent = (rate: number) => `${Math.round(rate * 100)} %`

let catalog: Catalog | undefined
beforeAll(async () => {
  catalog = await loadCatalog(COURSES_DIR)
})

function courseOf(folder: string): Course {
  const course = catalog?.get(folder)
  const error = catalog?.errors.find((e) => e.pack === folder)
  if (!course) throw new Error(`the pack ${folder} did not load: ${error?.message ?? 'no course with its id'}`)
  return course
}

describe('the rules themselves', () => {
  const choice = (choices: string[], right: number | number[]): ChoiceQuestion => {
    const fields = Array.isArray(right) ? { kind: 'multiple', answers: right } : { kind: 'single', answer: right }
    const q = QuestionSchema.parse({ id: 'q', prompt: 'P', explanation: 'E', choices, ...fields })
    if (!isChoiceQuestion(q)) throw new Error('not a choice question')
    return q
  }

  it('counts words as wc -w does', () => {
    expect(wordCount('# Title\n\nTwo  words,\tthen `code()`.\n')).toBe(6)
    expect(wordCount('  \n ')).toBe(0)
  })

  it('a right choice counts as longest only when it is strictly the longest', () => {
    expect(longestIsRight(choice(['short', 'the longest one'], 1))).toBe(true)
    expect(longestIsRight(choice(['short', 'the longest one'], 0))).toBe(false)
    expect(longestIsRight(choice(['same length', 'equal sizes'], 0))).toBe(false)
    expect(longestIsRight(choice(['a', 'bb', 'the longest one'], [0, 2]))).toBe(true)
    expect(longestIsRight(choice(['a', 'bb', 'the longest one'], [0, 1]))).toBe(false)
  })
})

describe('bundled course packs', () => {
  it('there are bundled packs, and every one loads', () => {
    expect(folders.length).toBeGreaterThanOrEqual(3)
    expect(catalog?.errors).toEqual([])
  })

  it.each(SQL_COURSES)('the SQL course %s is bundled', (id) => {
    expect(folders).toContain(id)
  })

  describe.each(folders)('%s', (folder) => {
    it('is format 2', () => {
      const json = JSON.parse(readFileSync(join(COURSES_DIR, folder, 'course.json'), 'utf8')) as { format?: unknown }
      expect(json.format).toBe(2)
    })

    it(`has at least ${MIN_LESSONS} lessons and ${MIN_WORDS} words of lesson Markdown`, () => {
      const course = courseOf(folder)
      expect(course.lessons.length).toBeGreaterThanOrEqual(MIN_LESSONS)
      expect(wordCount(course.lessons.map((l) => l.markdown).join('\n'))).toBeGreaterThanOrEqual(MIN_WORDS)
    })

    it(`has at least ${MIN_LESSON_QUESTIONS} practice questions of at least ${MIN_KINDS} kinds in every lesson`, () => {
      for (const lesson of courseOf(folder).lessons) {
        expect(lesson.quiz.length, `lesson ${lesson.id}`).toBeGreaterThanOrEqual(MIN_LESSON_QUESTIONS)
        expect(kindsOf(lesson.quiz).size, `lesson ${lesson.id}: ${[...kindsOf(lesson.quiz)].join(', ')}`).toBeGreaterThanOrEqual(MIN_KINDS)
      }
    })

    it(`has a Pressure Room pool of at least ${MIN_POOL} and twice the draw, of at least ${MIN_KINDS} kinds, with no sql`, () => {
      const { pool, draw } = courseOf(folder).pressureRoom
      expect(pool.length).toBeGreaterThanOrEqual(MIN_POOL)
      expect(pool.length).toBeGreaterThanOrEqual(2 * draw)
      expect(kindsOf(pool).size).toBeGreaterThanOrEqual(MIN_KINDS)
      expect(pool.filter((q) => q.kind === 'sql').map((q) => q.id)).toEqual([])
    })

    it('explains every question', () => {
      const unexplained = allQuestions(courseOf(folder)).filter((q) => q.explanation.trim() === '')
      expect(unexplained.map((q) => q.id)).toEqual([])
    })

    it(`gives no answer away by length: right = strictly longest in ≤ 1/3 of choice questions, ≤ 30 % in the pool`, () => {
      const course = courseOf(folder)
      const all = longestRightRate(allQuestions(course))
      const pool = longestRightRate(course.pressureRoom.pool)
      const offenders = (qs: readonly Question[]) => qs.filter(isChoiceQuestion).filter(longestIsRight).map((q) => q.id)
      expect(all.rate, `${all.count}/${all.of}: ${offenders(allQuestions(course)).join(', ')}`).toBeLessThanOrEqual(MAX_LONGEST_RIGHT_COURSE)
      expect(pool.rate, `${pool.count}/${pool.of}: ${offenders(course.pressureRoom.pool).join(', ')}`).toBeLessThanOrEqual(MAX_LONGEST_RIGHT_POOL)
    })

    if (SQL_COURSES.includes(folder))
      it('ships its sample database and has an sql exercise in every lesson', () => {
        const course = courseOf(folder)
        expect(course.dataset?.trim() ?? '').not.toBe('')
        for (const lesson of course.lessons) expect(lesson.quiz.some((q) => q.kind === 'sql'), `lesson ${lesson.id}`).toBe(true)
      })
  })

  afterAll(() => {
    const rows = folders.map((folder) => {
      const course = catalog?.get(folder)
      if (!course) return `| ${folder} | did not load: ${catalog?.errors.find((e) => e.pack === folder)?.message ?? '?'} |`
      const questions = allQuestions(course)
      const byKind = QUESTION_KINDS.map((k) => [k, questions.filter((q) => q.kind === k).length] as const)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')
      const all = longestRightRate(questions)
      const pool = longestRightRate(course.pressureRoom.pool)
      const words = wordCount(course.lessons.map((l) => l.markdown).join('\n'))
      return `| ${folder} | ${course.lessons.length} | ${words} | ${questions.length}: ${byKind} | ${course.pressureRoom.pool.length} (draw ${course.pressureRoom.draw}) | ${all.count}/${all.of} = ${percent(all.rate)} | ${pool.count}/${pool.of} = ${percent(pool.rate)} |`
    })
    console.log(
      [
        '| course | lessons | words | questions by kind (lessons + pool) | pool | longest choice right (course) | (pool) |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...rows,
      ].join('\n'),
    )
  })
})
