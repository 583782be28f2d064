/**
 * Content test for the SQL Fundamentals course (resources/courses/sql-fundamentals/).
 *
 * Every ```sql block of every lesson (all but ```sql norun) runs on the course's sample database
 * (dataset.sql) through the same sandboxed runner the app's "Try it" uses, and must succeed. Where a
 * GitHub table directly follows the block, it is the result the lesson prints, and it must be the
 * query's result exactly: the header is the column names, each cell the value as text (NULL as
 * `NULL`), and the rows in the printed order when the query orders its result (referenceOrders), in
 * any order otherwise.
 *
 * Every `sql` exercise's reference must run and return rows, and a starter, where one is given, must
 * not already be a right answer (compared as the grader compares).
 *
 * The Markdown is parsed with micromark's GFM extension, the parser remark-gfm gives the app's lesson
 * renderer, so a table counts here exactly when the learner sees one.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fromMarkdown } from 'mdast-util-from-markdown'
import { gfmFromMarkdown } from 'mdast-util-gfm'
import { toString } from 'mdast-util-to-string'
import { gfm } from 'micromark-extension-gfm'
import type { RootContent, Table } from 'mdast'
import { createSqlRunner, type SqlTable, type SqlValue } from '../../electron/core/sql/runner'
import { compareResults } from '../../electron/core/sql/compare'
import { referenceOrders } from '../../electron/core/sql/result-order'
import { COURSES_DIR } from '../helpers/paths'

const COURSE_DIR = join(COURSES_DIR, 'sql-fundamentals')

interface Question {
  id: string
  kind: string
  choices?: (string | { text: string })[]
  answer?: unknown
  answers?: number[]
  reference?: string
  starter?: string
}

interface Course {
  format: number
  dataset: string
  lessons: { id: string; file: string; quiz: Question[] }[]
  pressureRoom: { draw: number; pool: Question[] }
}

interface SqlBlock {
  lessonFile: string
  line: number
  code: string
  /** The table printed directly after the block, as text cells. */
  printed: { columns: string[]; rows: string[][] } | null
}

const course = JSON.parse(readFileSync(join(COURSE_DIR, 'course.json'), 'utf8')) as Course
const dataset = readFileSync(join(COURSE_DIR, course.dataset), 'utf8')
const lessonText = (file: string) => readFileSync(join(COURSE_DIR, file), 'utf8')

function tableCells(table: Table): string[][] {
  return table.children.map((row) => row.children.map((cell) => toString(cell)))
}

function sqlBlocks(lessonFile: string): SqlBlock[] {
  const tree = fromMarkdown(lessonText(lessonFile), { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] })
  const top: RootContent[] = tree.children
  const blocks: SqlBlock[] = []
  top.forEach((node, index) => {
    if (node.type !== 'code' || node.lang !== 'sql') return
    const meta = (node.meta ?? '').split(/\s+/).filter(Boolean)
    if (meta.includes('norun')) return
    const next = top[index + 1]
    const cells = next?.type === 'table' ? tableCells(next) : null
    blocks.push({
      lessonFile,
      line: node.position?.start.line ?? 0,
      code: node.value,
      printed: cells ? { columns: cells[0] ?? [], rows: cells.slice(1) } : null,
    })
  })
  return blocks
}

/** A value as the lessons print it: numbers as JavaScript writes them (24, 18.5), NULL as `NULL`. */
function shown(value: SqlValue): string {
  return value === null ? 'NULL' : String(value)
}

function asText(result: SqlTable): { columns: string[]; rows: string[][] } {
  return { columns: result.columns, rows: result.rows.map((row) => row.map(shown)) }
}

/** Rows as sorted lines, for results whose order the query does not fix. */
function unordered(rows: string[][]): string[] {
  return rows.map((row) => JSON.stringify(row)).sort()
}

// One runner (one worker) for the whole file. The content is checked for what it prints, not for
// speed: a generous time limit keeps a busy CI machine from turning a slow run into a failure.
const runner = createSqlRunner({ timeoutMs: 10_000 })
afterAll(() => runner.close())

async function runOk(sql: string): Promise<SqlTable | null> {
  const run = await runner.run(dataset, sql)
  if (!run.ok) throw new Error(`${run.error.kind}: ${run.error.message}\n${sql}`)
  expect(run.truncated).toBe(false)
  return run.result
}

const blocks = course.lessons.flatMap((lesson) => sqlBlocks(lesson.file))

describe('SQL Fundamentals: lesson examples', () => {
  it('has runnable examples, most of them with a printed result', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(60)
    expect(blocks.filter((block) => block.printed).length).toBeGreaterThanOrEqual(40)
  })

  it.each(blocks.map((block) => [`${block.lessonFile}:${block.line}`, block] as const))('%s runs and prints its result', async (_, block) => {
    const result = await runOk(block.code)
    if (!block.printed) return
    expect(result, 'a table follows the block, so the query must return rows').not.toBeNull()
    const actual = asText(result ?? { columns: [], rows: [] })
    expect(block.printed.columns).toEqual(actual.columns)
    if (referenceOrders(block.code)) expect(block.printed.rows).toEqual(actual.rows)
    else expect(unordered(block.printed.rows)).toEqual(unordered(actual.rows))
  })
})

describe('SQL Fundamentals: sql exercises', () => {
  const exercises = course.lessons.flatMap((lesson) => lesson.quiz.filter((q) => q.kind === 'sql').map((q) => [q.id, q] as const))

  it('every lesson has at least one sql exercise, and the Pressure Room none', () => {
    for (const lesson of course.lessons) expect(lesson.quiz.some((q) => q.kind === 'sql'), lesson.id).toBe(true)
    expect(course.pressureRoom.pool.filter((q) => q.kind === 'sql')).toEqual([])
  })

  it.each(exercises)('%s: the reference returns rows and the starter is not already right', async (_, question) => {
    const reference = question.reference ?? ''
    const expected = await runOk(reference)
    expect(expected?.rows.length ?? 0).toBeGreaterThan(0)
    if (question.starter === undefined || !expected) return
    const run = await runner.run(dataset, question.starter)
    if (!run.ok || !run.result) return
    expect(compareResults(expected, run.result, referenceOrders(reference)).same).toBe(false)
  })
})

describe('SQL Fundamentals: course shape (issue #14 §4)', () => {
  const words = course.lessons.reduce((sum, lesson) => sum + lessonText(lesson.file).split(/\s+/).filter(Boolean).length, 0)

  it('is a format 2 pack whose lesson files are all listed', () => {
    expect(course.format).toBe(2)
    const listed = course.lessons.map((lesson) => lesson.file).sort()
    const onDisk = readdirSync(join(COURSE_DIR, 'lessons')).map((name) => `lessons/${name}`).sort()
    expect(listed).toEqual(onDisk)
  })

  it('has at least 10 lessons and 9 000 words', () => {
    expect(course.lessons.length).toBeGreaterThanOrEqual(10)
    expect(words).toBeGreaterThanOrEqual(9000)
  })

  it('gives every lesson at least 5 practice questions of at least 3 kinds', () => {
    for (const lesson of course.lessons) {
      expect(lesson.quiz.length, lesson.id).toBeGreaterThanOrEqual(5)
      expect(new Set(lesson.quiz.map((q) => q.kind)).size, lesson.id).toBeGreaterThanOrEqual(3)
    }
  })

  it('draws 15 from a pool of at least 36 questions of at least 4 kinds', () => {
    expect(course.pressureRoom.draw).toBe(15)
    expect(course.pressureRoom.pool.length).toBeGreaterThanOrEqual(36)
    expect(new Set(course.pressureRoom.pool.map((q) => q.kind)).size).toBeGreaterThanOrEqual(4)
  })
})
