import { describe, it, expect } from 'vitest'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { z } from 'zod'
import { CoursePackSchema, LessonEntrySchema, QuestionSchema } from '../../electron/core/catalog/pack-schema'
import { COURSES_DIR } from '../helpers/paths'

type PackInput = z.input<typeof CoursePackSchema>
type LessonInput = z.input<typeof LessonEntrySchema>
type QuestionInput = z.input<typeof QuestionSchema>

function question(id: string, over: Partial<QuestionInput> = {}): QuestionInput {
  return { id, prompt: `Prompt ${id}?`, choices: ['Yes', 'No'], answer: 0, explanation: 'Because.', ...over }
}

function lesson(id: string, over: Partial<LessonInput> = {}): LessonInput {
  return { id, title: `Lesson ${id}`, file: `lessons/${id}.md`, minutes: 10, quiz: [question(`${id}-q1`)], ...over }
}

function pack(over: Partial<PackInput> = {}): PackInput {
  return {
    id: 'tiny-course',
    version: 1,
    title: 'Tiny course',
    summary: 'The smallest valid pack.',
    level: 'beginner',
    tags: [],
    lessons: [lesson('intro')],
    pressureRoom: { timeLimitSeconds: 300, passMark: 70, questions: [question('pr-q1')] },
    ...over,
  }
}

function pressureRoom(over: Partial<PackInput['pressureRoom']>): PackInput['pressureRoom'] {
  return { timeLimitSeconds: 300, passMark: 70, questions: [question('pr-q1')], ...over }
}

interface FoundIssue {
  path: string
  segments: PropertyKey[]
  message: string
}

function issuesOf(input: unknown): FoundIssue[] {
  const result = CoursePackSchema.safeParse(input)
  if (result.success) return []
  return result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), segments: i.path, message: i.message }))
}

/** Whether `path` names a node that exists in `value` (so a pack author can find what is wrong). */
function resolves(value: unknown, path: readonly PropertyKey[]): boolean {
  let node: unknown = value
  for (const key of path) {
    if (node === null || typeof node !== 'object' || typeof key === 'symbol' || !Object.hasOwn(node, key)) return false
    node = (node as Record<string | number, unknown>)[key]
  }
  return true
}

describe('CoursePackSchema on made-up packs', () => {
  it('accepts a minimal valid pack', () => {
    const result = CoursePackSchema.safeParse(pack())
    expect(result.success).toBe(true)
  })

  it('accepts every level and a full set of optional-looking fields', () => {
    for (const level of ['beginner', 'intermediate', 'advanced'] as const) {
      expect(CoursePackSchema.safeParse(pack({ level, tags: ['a', 'b c'] })).success).toBe(true)
    }
  })

  it('rejects an answer index out of range, at the answer', () => {
    const bad = pack({ lessons: [lesson('intro', { quiz: [question('intro-q1', { answer: 2 })] })] })
    expect(issuesOf(bad)).toContainEqual(expect.objectContaining({ path: 'lessons.0.quiz.0.answer', message: 'answer must index one of the choices' }))
  })

  it('rejects a negative answer index, at the answer', () => {
    const bad = pack({ pressureRoom: pressureRoom({ questions: [question('pr-q1', { answer: -1 })] }) })
    expect(issuesOf(bad).map((i) => i.path)).toContain('pressureRoom.questions.0.answer')
  })

  it('rejects duplicate choices, at the choices', () => {
    const bad = pack({ lessons: [lesson('intro', { quiz: [question('intro-q1', { choices: ['Yes', 'No', 'Yes'] })] })] })
    expect(issuesOf(bad)).toContainEqual(expect.objectContaining({ path: 'lessons.0.quiz.0.choices', message: 'choices must be distinct' }))
  })

  it('rejects choices that differ only by surrounding whitespace', () => {
    const bad = pack({ pressureRoom: pressureRoom({ questions: [question('pr-q1', { choices: ['Yes', ' Yes '] })] }) })
    expect(issuesOf(bad).map((i) => i.path)).toContain('pressureRoom.questions.0.choices')
  })

  it('rejects duplicate lesson ids, naming the id under lessons', () => {
    const bad = pack({ lessons: [lesson('intro'), lesson('intro', { quiz: [question('intro-q2')] })] })
    const issues = issuesOf(bad)
    expect(issues).toHaveLength(1)
    expect(issues[0]?.segments[0]).toBe('lessons')
    expect(issues[0]?.message).toContain('"intro"')
    expect(resolves(bad, issues[0]?.segments ?? [])).toBe(true)
  })

  it('rejects a question id repeated across two lessons, naming the id', () => {
    const bad = pack({ lessons: [lesson('intro'), lesson('next', { quiz: [question('intro-q1')] })] })
    const issues = issuesOf(bad)
    expect(issues).toHaveLength(1)
    expect(issues[0]?.message).toContain('"intro-q1"')
  })

  it('rejects a question id repeated in a lesson and the pressure room, with a path that exists in the pack', () => {
    const bad = pack({ pressureRoom: pressureRoom({ questions: [question('intro-q1')] }) })
    const issues = issuesOf(bad)
    expect(issues).toHaveLength(1)
    expect(issues[0]?.message).toContain('"intro-q1"')
    // A pack author must be able to follow the path to the offending question; "questions" is no key of a pack.
    expect(issues[0]?.path).toBe('pressureRoom.questions.0.id')
    expect(resolves(bad, issues[0]?.segments ?? [])).toBe(true)
  })

  it.each([
    ['a course id with capitals', pack({ id: 'Tiny-Course' }), 'id'],
    ['a course id with underscores', pack({ id: 'tiny_course' }), 'id'],
    ['a course id with a trailing dash', pack({ id: 'tiny-' }), 'id'],
    ['a course id with a double dash', pack({ id: 'tiny--course' }), 'id'],
    ['a lesson id with a space', pack({ lessons: [lesson('intro', { id: 'my lesson' })] }), 'lessons.0.id'],
    ['a question id with a dot', pack({ lessons: [lesson('intro', { quiz: [question('q.1')] })] }), 'lessons.0.quiz.0.id'],
  ])('rejects %s as not kebab-case', (_name, bad, path) => {
    expect(issuesOf(bad)).toContainEqual(expect.objectContaining({ path, message: 'must be kebab-case (a-z, 0-9, -)' }))
  })

  it.each(['../x.md', 'lessons/../x.md', '/etc/passwd', 'lessons/sub/x.md', 'lessons\\x.md', 'lessons/x.txt', 'x.md', 'lessons/.md', 'lessons/.hidden.md'])(
    'rejects the lesson file %j as outside lessons/',
    (file) => {
      const bad = pack({ lessons: [lesson('intro', { file })] })
      expect(issuesOf(bad)).toContainEqual(expect.objectContaining({ path: 'lessons.0.file', message: 'must be a .md file inside lessons/' }))
    },
  )

  it('accepts a lesson file inside lessons/', () => {
    expect(issuesOf(pack({ lessons: [lesson('intro', { file: 'lessons/01-intro.v2.md' })] }))).toEqual([])
  })

  it('rejects a pack with no lessons, at lessons', () => {
    expect(issuesOf(pack({ lessons: [] })).map((i) => i.path)).toEqual(['lessons'])
  })

  it('rejects a lesson with no quiz, at its quiz', () => {
    expect(issuesOf(pack({ lessons: [lesson('intro', { quiz: [] })] })).map((i) => i.path)).toEqual(['lessons.0.quiz'])
  })

  it.each([0, -5, 101, 70.5])('rejects a pass mark of %d, at pressureRoom.passMark', (passMark) => {
    expect(issuesOf(pack({ pressureRoom: pressureRoom({ passMark }) })).map((i) => i.path)).toEqual(['pressureRoom.passMark'])
  })

  it('rejects a pressure room with no questions', () => {
    expect(issuesOf(pack({ pressureRoom: pressureRoom({ questions: [] }) })).map((i) => i.path)).toEqual(['pressureRoom.questions'])
  })

  it('rejects a time limit under 30 seconds', () => {
    expect(issuesOf(pack({ pressureRoom: pressureRoom({ timeLimitSeconds: 10 }) })).map((i) => i.path)).toEqual(['pressureRoom.timeLimitSeconds'])
  })

  it('rejects a single choice and blank prompts', () => {
    const bad = pack({ lessons: [lesson('intro', { quiz: [question('intro-q1', { choices: ['Only'], prompt: '   ' })] })] })
    const paths = issuesOf(bad).map((i) => i.path)
    expect(paths).toContain('lessons.0.quiz.0.choices')
    expect(paths).toContain('lessons.0.quiz.0.prompt')
  })

  it('rejects things that are not a pack at all', () => {
    for (const value of [null, 42, 'course', [], {}]) expect(CoursePackSchema.safeParse(value).success).toBe(false)
  })
})

const packFolders = readdirSync(COURSES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()

describe('the bundled course packs', () => {
  it('there is at least one bundled pack', () => {
    expect(packFolders.length).toBeGreaterThan(0)
  })

  describe.each(packFolders)('%s', (folder) => {
    const dir = join(COURSES_DIR, folder)
    const json: unknown = JSON.parse(readFileSync(join(dir, 'course.json'), 'utf8'))
    const result = CoursePackSchema.safeParse(json)

    it('passes the schema', () => {
      expect(result.success ? [] : result.error.issues).toEqual([])
    })

    it('has an id matching its folder', () => {
      expect(result.data?.id).toBe(folder)
    })

    it('has at least 6 lessons, each with a quiz', () => {
      const lessons = result.data?.lessons ?? []
      expect(lessons.length).toBeGreaterThanOrEqual(6)
      for (const l of lessons) expect(l.quiz.length, `lesson ${l.id}`).toBeGreaterThanOrEqual(1)
    })

    it('has a pressure room with at least 12 questions', () => {
      expect(result.data?.pressureRoom.questions.length ?? 0).toBeGreaterThanOrEqual(12)
    })

    it('has every lesson file on disk', () => {
      for (const l of result.data?.lessons ?? []) expect(existsSync(join(dir, l.file)), l.file).toBe(true)
    })
  })
})
