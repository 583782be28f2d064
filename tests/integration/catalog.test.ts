import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { loadCatalog } from '../../electron/core/catalog/catalog'
import { openTestCore, tempDir } from '../helpers/core'
import { COURSES_DIR } from '../helpers/paths'

/** v1-course (format 1), v2-course (format 2, every kind, a dataset) and broken-v2-course (one bad question). */
const FIXTURE_PACKS = fileURLToPath(new URL('../fixtures/packs', import.meta.url))

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

async function coursesWithBrokenPacks(): Promise<string> {
  const dir = await tempDir('pathwise-courses-')
  dirs.push(dir)
  await cp(join(COURSES_DIR, 'git-essentials'), join(dir, 'git-essentials'), { recursive: true })
  await mkdir(join(dir, 'bad-json'))
  await writeFile(join(dir, 'bad-json', 'course.json'), '{ "id": "bad-json", ')
  await cp(join(COURSES_DIR, 'sql-fundamentals'), join(dir, 'missing-lesson'), { recursive: true })
  await rm(join(dir, 'missing-lesson', 'lessons'), { recursive: true })
  await mkdir(join(dir, 'no-pack-file'))
  await mkdir(join(dir, 'bad-answer'))
  await writeFile(
    join(dir, 'bad-answer', 'course.json'),
    JSON.stringify({ id: 'bad-answer', version: 1, title: 'T', summary: 'S', level: 'beginner', tags: [], lessons: [], pressureRoom: { timeLimitSeconds: 60, passMark: 50, questions: [] } }),
  )
  return dir
}

describe('course packs', () => {
  it('a malformed pack is reported by name and skipped; the good ones load', async () => {
    const catalog = await loadCatalog(await coursesWithBrokenPacks())
    expect(catalog.courses.map((c) => c.id)).toEqual(['git-essentials'])
    expect(catalog.errors.map((e) => e.pack).sort()).toEqual(['bad-answer', 'bad-json', 'missing-lesson', 'no-pack-file'])
    const byPack = Object.fromEntries(catalog.errors.map((e) => [e.pack, e.message]))
    expect(byPack['bad-json']).toMatch(/not valid JSON/)
    expect(byPack['missing-lesson']).toMatch(/id "sql-fundamentals" does not match|lesson file/)
    expect(byPack['bad-answer']).toMatch(/lessons/)
  })

  it('the app still starts with broken packs beside the good one', async () => {
    const core = await openTestCore({ coursesDir: await coursesWithBrokenPacks() })
    try {
      expect((await core.services.courses.list()).map((c) => c.id)).toEqual(['git-essentials'])
      expect(core.catalog.errors).toHaveLength(4)
    } finally {
      await core.dispose()
    }
  })

  it('every bundled pack loads with its lesson Markdown', async () => {
    const catalog = await loadCatalog(COURSES_DIR)
    expect(catalog.errors).toEqual([])
    expect(catalog.courses.length).toBeGreaterThanOrEqual(3)
    for (const c of catalog.courses) for (const l of c.lessons) expect(l.markdown.length).toBeGreaterThan(500)
  })
})

describe('pack formats', () => {
  it('a format-1 pack still loads: its questions read as single choice, its Pressure Room as a pool drawn whole', async () => {
    const course = (await loadCatalog(FIXTURE_PACKS)).require('v1-course')
    expect(course.dataset).toBeNull()
    expect(course.lessons[0]?.quiz).toEqual([
      {
        id: 'first-steps-q1',
        kind: 'single',
        prompt: 'Which command records a snapshot of the staged changes?',
        choices: [{ text: 'git commit' }, { text: 'git add' }, { text: 'git status' }],
        answer: 0,
        explanation: 'git commit records what is staged; git add stages; git status only reports.',
      },
    ])
    expect(course.pressureRoom.draw).toBe(3)
    expect(course.pressureRoom.pool.map((q) => [q.id, q.kind])).toEqual([
      ['pr-q1', 'single'],
      ['pr-q2', 'single'],
      ['pr-q3', 'single'],
    ])
    expect(course.lessons[0]?.markdown).toContain('# First steps')
  })

  it('a format-2 pack loads every kind, its pool and draw, and its dataset', async () => {
    const course = (await loadCatalog(FIXTURE_PACKS)).require('v2-course')
    expect(course.lessons[0]?.quiz.map((q) => q.kind)).toEqual(['single', 'multiple', 'truefalse', 'numeric', 'text', 'order', 'match', 'blanks', 'sql'])
    expect(course.pressureRoom.draw).toBe(4)
    expect(course.pressureRoom.pool).toHaveLength(8)
    expect(course.dataset).toBe(await readFile(join(FIXTURE_PACKS, 'v2-course', 'dataset.sql'), 'utf8'))
    expect(Object.keys(course)).not.toContain('format')
  })

  it('a bad format-2 pack is skipped with a message naming the pack, the question id and the field; the other packs load', async () => {
    const catalog = await loadCatalog(FIXTURE_PACKS)
    expect(catalog.courses.map((c) => c.id).sort()).toEqual(['v1-course', 'v2-course'])
    expect(catalog.errors).toEqual([
      {
        pack: 'broken-v2-course',
        message:
          'course.json lessons.0.quiz.7.prompt (question "reading-rows-q8", field prompt): the prompt must hold each marker {{1}}…{{2}} exactly once (one per list in "blanks")',
      },
    ])
  })

  it('a format-2 pack whose dataset file is missing is skipped, naming the file', async () => {
    const dir = await tempDir('pathwise-courses-')
    dirs.push(dir)
    await cp(join(FIXTURE_PACKS, 'v2-course'), join(dir, 'v2-course'), { recursive: true })
    await rm(join(dir, 'v2-course', 'dataset.sql'))
    await cp(join(FIXTURE_PACKS, 'v1-course'), join(dir, 'v1-course'), { recursive: true })
    const catalog = await loadCatalog(dir)
    expect(catalog.courses.map((c) => c.id)).toEqual(['v1-course'])
    expect(catalog.errors).toEqual([{ pack: 'v2-course', message: 'dataset file dataset.sql is missing' }])
  })

  it('a course.json that is no object at all is reported once as such', async () => {
    const dir = await tempDir('pathwise-courses-')
    dirs.push(dir)
    await mkdir(join(dir, 'a-list'))
    await writeFile(join(dir, 'a-list', 'course.json'), '[]')
    expect((await loadCatalog(dir)).errors).toEqual([{ pack: 'a-list', message: 'course.json (top level): Invalid input: expected object, received array' }])
  })

  it('a pack with many mistakes reports the first five and how many more', async () => {
    const dir = await tempDir('pathwise-courses-')
    dirs.push(dir)
    await cp(join(FIXTURE_PACKS, 'v2-course'), join(dir, 'v2-course'), { recursive: true })
    const file = join(dir, 'v2-course', 'course.json')
    const json = JSON.parse(await readFile(file, 'utf8')) as { pressureRoom: { pool: { explanation?: string }[] } }
    for (const q of json.pressureRoom.pool) delete q.explanation
    await writeFile(file, JSON.stringify(json))
    const [error] = (await loadCatalog(dir)).errors
    expect(error?.pack).toBe('v2-course')
    expect(error?.message).toContain('pressureRoom.pool.0.explanation (question "pr-q1", field explanation)')
    expect(error?.message.match(/field explanation/g)).toHaveLength(5)
    expect(error?.message).toMatch(/\(and 3 more\)$/)
  })
})
