import { describe, it, expect } from 'vitest'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { z } from 'zod'
import { CoursePackSchema, describeIssue, LessonEntrySchema, QuestionSchema } from '../../electron/core/catalog/pack-schema'
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

describe('format 1 reads as format 2', () => {
  it('its questions read as single choice and its Pressure Room as a pool drawn whole', () => {
    const v1 = pack({ pressureRoom: pressureRoom({ questions: [question('pr-q1'), question('pr-q2', { choices: ['a', 'b', 'c'], answer: 2 })] }) })
    const parsed = CoursePackSchema.parse(v1)
    expect(parsed.format).toBe(1)
    expect(parsed.pressureRoom).toEqual({
      timeLimitSeconds: 300,
      passMark: 70,
      draw: 2,
      pool: [
        { id: 'pr-q1', kind: 'single', prompt: 'Prompt pr-q1?', choices: [{ text: 'Yes' }, { text: 'No' }], answer: 0, explanation: 'Because.' },
        { id: 'pr-q2', kind: 'single', prompt: 'Prompt pr-q2?', choices: [{ text: 'a' }, { text: 'b' }, { text: 'c' }], answer: 2, explanation: 'Because.' },
      ],
    })
    expect(parsed.lessons[0]?.quiz[0]?.kind).toBe('single')
  })

  it('a format-1 room is not held to the pool ≥ 2 × draw rule', () => {
    expect(issuesOf(pack())).toEqual([])
  })

  it('a format-1 room with a draw is rejected at draw: its questions are asked whole', () => {
    expect(issuesOf(pack({ pressureRoom: { ...pressureRoom({}), draw: 1 } as PackInput['pressureRoom'] })).map((i) => i.path)).toEqual(['pressureRoom.draw'])
  })
})

function question2(id: string, kind: string, fields: Record<string, unknown> = {}): QuestionInput {
  const byKind: Record<string, Record<string, unknown>> = {
    single: { choices: ['a', 'b'], answer: 0 },
    truefalse: { answer: true },
    numeric: { answer: 3 },
    text: { accepted: ['x'] },
    sql: { reference: 'SELECT 1;' },
  }
  return { id, kind, prompt: `Prompt ${id}?`, explanation: 'Because.', ...byKind[kind], ...fields } as QuestionInput
}

const poolOf = (n: number, prefix = 'pr') => Array.from({ length: n }, (_, i) => question2(`${prefix}-q${i + 1}`, ['single', 'truefalse', 'numeric', 'text'][i % 4] ?? 'single'))

function pack2(over: Partial<PackInput> = {}): PackInput {
  return {
    ...pack(),
    format: 2,
    lessons: [lesson('intro', { quiz: [question2('intro-q1', 'single'), question2('intro-q2', 'numeric'), question2('intro-q3', 'text')] })],
    pressureRoom: { timeLimitSeconds: 600, passMark: 70, draw: 3, pool: poolOf(6) },
    ...over,
  }
}

describe('CoursePackSchema, format 2', () => {
  it('accepts a pack with a pool twice the draw', () => {
    expect(issuesOf(pack2())).toEqual([])
    const parsed = CoursePackSchema.parse(pack2())
    expect(parsed.pressureRoom.draw).toBe(3)
    expect(parsed.pressureRoom.pool.map((q) => q.kind)).toEqual(['single', 'truefalse', 'numeric', 'text', 'single', 'truefalse'])
  })

  it('rejects a pool smaller than twice the draw, at the pool', () => {
    const issues = issuesOf(pack2({ pressureRoom: { timeLimitSeconds: 600, passMark: 70, draw: 3, pool: poolOf(5) } }))
    expect(issues).toEqual([expect.objectContaining({ path: 'pressureRoom.pool', message: 'the pool must hold at least twice the draw (6 for 3)' })])
  })

  it('rejects a draw larger than the pool, at the draw (any format)', () => {
    const room = { timeLimitSeconds: 600, passMark: 70, draw: 7, pool: poolOf(6) }
    expect(issuesOf(pack2({ pressureRoom: room }))).toContainEqual(expect.objectContaining({ path: 'pressureRoom.draw', message: 'draw (7) is more than the pool holds (6)' }))
    expect(issuesOf(pack({ pressureRoom: room }))).toEqual([expect.objectContaining({ path: 'pressureRoom.draw', message: 'draw (7) is more than the pool holds (6)' })])
  })

  it('rejects a pool without a draw, and a room with neither pool nor questions', () => {
    expect(issuesOf(pack2({ pressureRoom: { timeLimitSeconds: 600, passMark: 70, pool: poolOf(6) } })).map((i) => i.path)).toEqual(['pressureRoom.draw'])
    expect(issuesOf(pack2({ pressureRoom: { timeLimitSeconds: 600, passMark: 70, draw: 3 } })).map((i) => i.path)).toContain('pressureRoom.pool')
  })

  it('rejects both "pool" and "questions", and "questions" in a format-2 pack', () => {
    const both = { timeLimitSeconds: 600, passMark: 70, draw: 3, pool: poolOf(6), questions: poolOf(2, 'old') }
    expect(issuesOf(pack2({ pressureRoom: both })).map((i) => i.path)).toContain('pressureRoom.questions')
    const v1Room = { timeLimitSeconds: 600, passMark: 70, questions: poolOf(6) }
    expect(issuesOf(pack2({ pressureRoom: v1Room }))).toEqual([expect.objectContaining({ path: 'pressureRoom.questions', message: expect.stringMatching(/"pool"/) })])
  })

  it('rejects an unknown format', () => {
    expect(issuesOf(pack2({ format: 3 as 2 })).map((i) => i.path)).toEqual(['format'])
  })

  it('rejects an sql question in a pack without a dataset, at its kind', () => {
    const bad = pack2({ lessons: [lesson('intro', { quiz: [question2('intro-q1', 'sql')] })] })
    expect(issuesOf(bad)).toEqual([expect.objectContaining({ path: 'lessons.0.quiz.0.kind', message: 'an sql question needs the pack to name its "dataset"' })])
    expect(issuesOf({ ...bad, dataset: 'dataset.sql' })).toEqual([])
  })

  it('rejects an sql question in the Pressure Room pool, even with a dataset', () => {
    const pool = [...poolOf(5), question2('pr-sql', 'sql')]
    const bad = pack2({ dataset: 'dataset.sql', pressureRoom: { timeLimitSeconds: 600, passMark: 70, draw: 3, pool } })
    expect(issuesOf(bad)).toEqual([expect.objectContaining({ path: 'pressureRoom.pool.5.kind', message: expect.stringMatching(/sql questions cannot be in the Pressure Room pool/) })])
  })

  it.each(['../dataset.sql', 'data/dataset.sql', 'dataset.txt', '.sql', 'Dataset.sql'])('rejects the dataset file %j', (dataset) => {
    expect(issuesOf(pack2({ dataset })).map((i) => i.path)).toEqual(['dataset'])
  })

  it('rejects a question id used in a lesson and in the pool, at the pool question', () => {
    const bad = pack2({ pressureRoom: { timeLimitSeconds: 600, passMark: 70, draw: 3, pool: [question2('intro-q2', 'truefalse'), ...poolOf(5)] } })
    const issues = issuesOf(bad)
    expect(issues).toEqual([expect.objectContaining({ path: 'pressureRoom.pool.0.id', message: 'duplicate question id "intro-q2"' })])
    expect(resolves(bad, issues[0]?.segments ?? [])).toBe(true)
  })

  it('rejects a bad question of any kind at its own field', () => {
    const bad = pack2({
      lessons: [lesson('intro', { quiz: [question2('intro-q1', 'single', { answer: 5 }), question2('intro-q2', 'essay'), question2('intro-q3', 'numeric', { tolerance: -1 })] })],
    })
    expect(issuesOf(bad).map((i) => i.path)).toEqual(['lessons.0.quiz.0.answer', 'lessons.0.quiz.1.kind', 'lessons.0.quiz.2.tolerance'])
  })
})

describe('describeIssue names the question id and the field', () => {
  const describe1 = (input: unknown) => {
    const result = CoursePackSchema.safeParse(input)
    return result.success ? [] : result.error.issues.map((issue) => describeIssue(input, issue))
  }

  it('for a lesson question', () => {
    const bad = pack2({ lessons: [lesson('intro', { quiz: [question2('intro-q1', 'single', { answer: 5 })] })] })
    expect(describe1(bad)).toEqual(['lessons.0.quiz.0.answer (question "intro-q1", field answer): answer must index one of the choices'])
  })

  it('for a nested field of a question', () => {
    const bad = pack2({ lessons: [lesson('intro', { quiz: [question2('intro-q1', 'single', { choices: ['a', ' '] })] })] })
    expect(describe1(bad)[0]).toMatch(/^lessons\.0\.quiz\.0\.choices\.1 \(question "intro-q1", field choices\.1\): /)
  })

  it('for an unknown kind, listing the kinds', () => {
    const bad = pack2({ lessons: [lesson('intro', { quiz: [question2('intro-q1', 'essay')] })] })
    expect(describe1(bad)).toEqual(['lessons.0.quiz.0.kind (question "intro-q1", field kind): kind must be one of single, multiple, truefalse, numeric, text, order, match, blanks, sql'])
  })

  it('for a pool question and for a format-1 Pressure Room question', () => {
    const pool = [...poolOf(5), question2('pr-sql', 'sql')]
    expect(describe1(pack2({ dataset: 'dataset.sql', pressureRoom: { timeLimitSeconds: 600, passMark: 70, draw: 3, pool } }))[0]).toMatch(
      /^pressureRoom\.pool\.5\.kind \(question "pr-sql", field kind\): /,
    )
    expect(describe1(pack({ pressureRoom: pressureRoom({ questions: [question('pr-q1', { answer: 9 })] }) }))).toEqual([
      'pressureRoom.questions.0.answer (question "pr-q1", field answer): answer must index one of the choices',
    ])
  })

  it('for a question without a usable id, the field only', () => {
    const bad = pack2({ lessons: [lesson('intro', { quiz: [question2('Bad_Id', 'truefalse')] })] })
    expect(describe1(bad)).toEqual(['lessons.0.quiz.0.id (question "Bad_Id", field id): must be kebab-case (a-z, 0-9, -)'])
    const noId = pack2({ lessons: [lesson('intro', { quiz: [{ kind: 'truefalse', prompt: 'P', explanation: 'E', answer: true } as QuestionInput] })] })
    expect(describe1(noId)[0]).toMatch(/^lessons\.0\.quiz\.0\.id \(field id\): /)
  })

  it('for a field outside questions, the path alone', () => {
    expect(describe1(pack2({ dataset: 'x.txt' }))).toEqual(['dataset: must be a .sql file at the top of the pack'])
    expect(describe1(pack2({ pressureRoom: { timeLimitSeconds: 600, passMark: 70, draw: 4, pool: poolOf(6) } }))).toEqual([
      'pressureRoom.pool: the pool must hold at least twice the draw (8 for 4)',
    ])
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
      expect(result.data?.pressureRoom.pool.length ?? 0).toBeGreaterThanOrEqual(12)
    })

    it('has every lesson file on disk', () => {
      for (const l of result.data?.lessons ?? []) expect(existsSync(join(dir, l.file)), l.file).toBe(true)
    })
  })
})
