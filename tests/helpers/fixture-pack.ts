/**
 * Small format-2 course packs written into a folder for tests: a Pressure Room pool of every kind
 * but sql, lessons whose practice holds every kind (sql too, over a tiny dataset), so tests do not
 * depend on the bundled courses' content. `leaky` makes a pack that gives itself away on purpose
 * (the right choice is always the longest), for tests that must show they can fail.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface FixturePackOptions {
  id?: string
  title?: string
  poolSize?: number
  draw?: number
  passMark?: number
  timeLimitSeconds?: number
  /** The right choice of every single/multiple question is the longest. */
  leaky?: boolean
  /** 1 lets the draw be the whole pool (format 2 asks for a pool of at least twice the draw). */
  format?: 1 | 2
  /** A pack without a sample database (and so without sql practice). */
  withoutDataset?: boolean
  /** The kinds of the pool's questions, in turn (every kind but sql by default). */
  kinds?: readonly FixtureKind[]
}

export const FIXTURE_DATASET = `
CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL, year INTEGER NOT NULL);
INSERT INTO books (id, title, year) VALUES (1, 'Dune', 1965), (2, 'Emma', 1815), (3, 'Ulysses', 1922), (4, 'Beloved', 1987);
`

const KINDS = ['single', 'multiple', 'truefalse', 'numeric', 'text', 'order', 'match', 'blanks'] as const
export type FixtureKind = (typeof KINDS)[number]

/** Four choices of one length, so no length gives the answer away (unless `leaky`). */
function choices(prefix: string, right: readonly number[], leaky: boolean): string[] {
  return ['north', 'south', 'eastx', 'westx'].map((word, c) => `${prefix} ${word}${leaky && right.includes(c) ? ' — and this is the one that is right' : ''}`)
}

function question(id: string, kind: FixtureKind, i: number, leaky: boolean): Record<string, unknown> {
  const base = { id, prompt: `Question ${id}?`, explanation: `Because of rule ${i}.` }
  switch (kind) {
    case 'single': {
      const answer = i % 4
      return { ...base, kind, choices: choices(`q${i}`, [answer], leaky), answer }
    }
    case 'multiple': {
      const answers = [i % 4, (i + 2) % 4]
      return { ...base, kind, choices: choices(`q${i}`, answers, leaky), answers }
    }
    case 'truefalse':
      return { ...base, kind, answer: i % 3 === 0 }
    case 'numeric':
      return { ...base, kind, answer: i * 3 + 1, tolerance: 0, unit: 'rows' }
    case 'text':
      return { ...base, kind, accepted: [`word${i}`, `WORD-${i}`] }
    case 'order':
      return { ...base, kind, items: ['first', 'second', 'third', 'fourth'].map((w) => `${w} step ${i}`) }
    case 'match':
      return { ...base, kind, pairs: ['red', 'green', 'blue'].map((left, p) => ({ left: `${left} ${i}`, right: `colour ${p} of ${i}` })) }
    case 'blanks':
      return { ...base, kind, prompt: `In ${id}, {{1}} comes before {{2}}.`, blanks: [[`alpha${i}`], [`beta${i}`]] }
  }
}

export function fixturePack(options: FixturePackOptions = {}): { id: string; json: Record<string, unknown>; lessons: Record<string, string> } {
  const id = options.id ?? 'fixture-course'
  const leaky = options.leaky ?? false
  const poolSize = options.poolSize ?? 36
  const kinds = options.kinds ?? KINDS
  const pool = Array.from({ length: poolSize }, (_, i) => question(`${id}-p${i}`, kinds[i % kinds.length] as FixtureKind, i, leaky))
  const practice = (lesson: string) => KINDS.map((kind, i) => question(`${id}-${lesson}-${kind}`, kind, 100 + i, leaky))
  const sql = options.withoutDataset
    ? []
    : [{ id: `${id}-one-sql`, kind: 'sql', prompt: 'List the titles from before 1950, oldest first.', explanation: 'Filter with WHERE, order with ORDER BY.', reference: 'SELECT title FROM books WHERE year < 1950 ORDER BY year;', starter: 'SELECT ' }]
  const json: Record<string, unknown> = {
    format: options.format ?? 2,
    id,
    version: 1,
    title: options.title ?? `Fixture ${id}`,
    summary: 'A course pack for tests.',
    level: 'beginner',
    tags: ['test'],
    ...(options.withoutDataset ? {} : { dataset: 'dataset.sql' }),
    lessons: [
      { id: 'one', title: 'One', file: 'lessons/01-one.md', minutes: 5, quiz: [...practice('one'), ...sql] },
      { id: 'two', title: 'Two', file: 'lessons/02-two.md', minutes: 5, quiz: practice('two') },
    ],
    pressureRoom: { timeLimitSeconds: options.timeLimitSeconds ?? 600, passMark: options.passMark ?? 70, draw: options.draw ?? 15, pool },
  }
  return { id, json, lessons: { 'lessons/01-one.md': '# One\n\nText.\n', 'lessons/02-two.md': '# Two\n\nText.\n' } }
}

/** Writes the packs into `dir` (one folder each) and returns `dir`, ready as a courses folder. */
export async function writeFixturePacks(dir: string, packs: readonly FixturePackOptions[]): Promise<string> {
  for (const options of packs) {
    const { id, json, lessons } = fixturePack(options)
    await mkdir(join(dir, id, 'lessons'), { recursive: true })
    await writeFile(join(dir, id, 'course.json'), JSON.stringify(json, null, 2))
    for (const [file, text] of Object.entries(lessons)) await writeFile(join(dir, id, file), text)
    if (!options.withoutDataset) await writeFile(join(dir, id, 'dataset.sql'), FIXTURE_DATASET)
  }
  return dir
}
