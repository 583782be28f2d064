/**
 * The Pressure Room cannot be passed by a trick. Through the core, on every bundled course, many
 * attempts per strategy: (A) always pick the longest choice, with a plausible blind guess for the other
 * kinds; (B) answer from the previous attempt's review (its solutions), guessing like A otherwise;
 * (C) read the keys the page gets as the answer (items in key order, and so on). Each
 * strategy's average score must stay below the course's pass mark. A pack that gives itself away
 * (right choice always the longest, pool drawn whole) shows that the test can fail.
 */
import { readdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCatalog } from '../../electron/core/catalog/catalog'
import type { PresentedQuestion, ReviewedQuestion } from '../../electron/core/contract/types'
import type { Response } from '../../electron/core/exercises/response'
import type { Solution } from '../../electron/core/exercises/grade'
import { fromShown, present } from '../../electron/core/exercises/present'
import { verdictOf } from '../../electron/core/domain/pressure-room'
import { fakeClock } from '../helpers/clock'
import { openTestCore, tempDir } from '../helpers/core'
import { writeFixturePacks } from '../helpers/fixture-pack'
import { COURSES_DIR } from '../helpers/paths'

/** Attempts per strategy per course. */
const ATTEMPTS = 200
/** Every bundled pack, by its folder: a pack that does not load fails its tests instead of going unseen. */
const BUNDLED = readdirSync(COURSES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

type Strategy = 'longest choice' | 'previous review' | 'keys in order'
/** What a learner keeps of a review: each question as it was shown, and its solution. */
type Memory = ReadonlyMap<string, { shown: PresentedQuestion; solution: Solution }>

/** Strategy A: the longest choice (all the longest, for several answers); a blind guess for the rest. */
function guess(q: PresentedQuestion): Response | undefined {
  switch (q.kind) {
    case 'single':
    case 'multiple': {
      const longest = Math.max(...q.choices.map((c) => c.text.length))
      const picks = q.choices.filter((c) => c.text.length === longest).map((c) => c.key)
      return q.kind === 'single' ? picks[0] : picks
    }
    case 'truefalse':
      return true
    case 'order':
      return q.items.map((item) => item.key)
    case 'match':
      return q.rights.map((right) => right.key)
    default:
      // Typed answers (text, blanks, numbers) cannot be guessed blind: left empty.
      return undefined
  }
}

/**
 * Strategy C: read the keys as the answer — items in key order, each left side with the right side of
 * its own number, the lowest key of a choice. Keys that were the original indexes would solve every
 * ordering and matching task this way.
 */
function byKeys(q: PresentedQuestion): Response | undefined {
  const sorted = (parts: readonly { key: number }[]) => parts.map((p) => p.key).sort((a, b) => a - b)
  switch (q.kind) {
    case 'single':
      return sorted(q.choices)[0]
    case 'multiple':
      return sorted(q.choices).slice(0, 1)
    case 'order':
      return sorted(q.items)
    case 'match':
      return sorted(q.rights)
    default:
      return guess(q)
  }
}

/** The texts behind keys, as one presentation showed them. */
function textsOf(shown: PresentedQuestion, keys: readonly number[]): string[] {
  const parts = shown.kind === 'single' || shown.kind === 'multiple' ? shown.choices : shown.kind === 'order' ? shown.items : shown.kind === 'match' ? shown.rights : []
  return keys.map((key) => parts.find((p) => p.key === key)?.text ?? '')
}

/** The keys of texts in another presentation (keys change with every attempt's seed; texts do not). */
function keysOf(q: PresentedQuestion, texts: readonly string[]): number[] {
  const parts = q.kind === 'single' || q.kind === 'multiple' ? q.choices : q.kind === 'order' ? q.items : q.kind === 'match' ? q.rights : []
  return texts.map((text) => parts.find((p) => p.text === text)?.key ?? -1)
}

/**
 * Strategy B: the solution the previous attempt's review showed for this question, if it was asked,
 * remembered as a learner would: by the texts of the right choices, items and sides.
 */
function remembered(q: PresentedQuestion, memory: Memory): Response | undefined {
  const seen = memory.get(q.id)
  if (!seen) return undefined
  const { shown, solution } = seen
  switch (q.kind) {
    case 'single':
      return keysOf(q, textsOf(shown, solution.keys ?? []))[0]
    case 'multiple':
    case 'order':
    case 'match':
      return keysOf(q, textsOf(shown, solution.keys ?? []))
    case 'truefalse':
      return solution.text === 'True'
    case 'numeric':
      return solution.text.split(' ')[0]
    case 'blanks':
      return [...solution.text.matchAll(/(?:^|, )\d+: ([^,]*)/g)].map((m) => m[1] as string)
    default:
      return solution.text
  }
}

/** The average score of `ATTEMPTS` attempts of one strategy, through the core's services. */
async function averageScore(coursesDir: string, courseId: string, strategy: Strategy, attempts = ATTEMPTS): Promise<number> {
  const clock = fakeClock('2026-07-01T08:00:00Z')
  const core = await openTestCore({ coursesDir, clock })
  try {
    let memory: Memory = new Map()
    let total = 0
    for (let i = 0; i < attempts; i++) {
      const attempt = await core.services.pressureRoom.start({ courseId })
      const answers: Record<string, Response> = {}
      for (const q of attempt.questions) {
        const response = strategy === 'keys in order' ? byKeys(q) : ((strategy === 'previous review' ? remembered(q, memory) : undefined) ?? guess(q))
        if (response !== undefined) answers[q.id] = response
      }
      clock.advance(30)
      const result = await core.services.pressureRoom.submit({ attemptId: attempt.attemptId, answers })
      total += result.score
      memory = new Map(result.review.map((r: ReviewedQuestion) => [r.question.id, { shown: r.question, solution: r.solution }]))
    }
    return total / attempts
  } finally {
    await core.dispose()
  }
}

let fixtures: string
beforeAll(async () => {
  fixtures = await tempDir('pathwise-tricks-')
  await writeFixturePacks(fixtures, [
    { id: 'balanced', poolSize: 36, draw: 15 },
    // Gives itself away twice over: the right choices are the longest, and every attempt asks the whole pool.
    { id: 'leaky', poolSize: 15, draw: 15, format: 1, leaky: true, kinds: ['single', 'multiple'] },
  ])
})
afterAll(async () => {
  if (fixtures) await rm(fixtures, { recursive: true, force: true })
})

const STRATEGIES: Strategy[] = ['longest choice', 'previous review', 'keys in order']
const averages: string[] = []
afterAll(() => console.log(`Pressure Room tricks, average scores:\n${averages.join('\n')}`))

describe('the test can tell a pack that gives itself away', () => {
  it.each(STRATEGIES.slice(0, 2))('a fixture pack whose right choice is the longest, drawn whole, is passed by "%s"', async (strategy) => {
    const average = await averageScore(fixtures, 'leaky', strategy, 40)
    averages.push(`  fixture leaky, ${strategy}: ${average.toFixed(1)} over 40 attempts (pass mark 70)`)
    expect(average).toBeGreaterThanOrEqual(70)
  })

  it('"keys in order" solves every ordering and matching task whose keys are its original indexes', async () => {
    const catalog = await loadCatalog(COURSES_DIR)
    const tasks = catalog.courses.flatMap((c) => [...c.lessons.flatMap((l) => l.quiz), ...c.pressureRoom.pool]).filter((q) => q.kind === 'order' || q.kind === 'match')
    expect(tasks.length).toBeGreaterThan(10)
    // Seed null shows a question as attempts from before seeds were shown: keys = original indexes.
    for (const q of tasks) expect({ id: q.id, ...verdictOf(q, fromShown(q, null, byKeys(present(q, null)))) }).toMatchObject({ id: q.id, correct: true })
  })

  it.each(STRATEGIES)('a balanced fixture pack drawing 15 of 36 is not passed by "%s"', async (strategy) => {
    const average = await averageScore(fixtures, 'balanced', strategy, 100)
    averages.push(`  fixture balanced, ${strategy}: ${average.toFixed(1)} over 100 attempts (pass mark 70)`)
    expect(average).toBeLessThan(70)
  })
})

describe('no bundled Pressure Room is passed by a trick', () => {
  it('every bundled course loads', async () => {
    const catalog = await loadCatalog(COURSES_DIR)
    expect(catalog.errors).toEqual([])
    expect(catalog.courses.map((c) => c.id).sort()).toEqual(BUNDLED)
    expect(BUNDLED.length).toBeGreaterThanOrEqual(3)
  })

  for (const courseId of BUNDLED) {
    it.each(STRATEGIES)(`${courseId}: "%s" averages below the pass mark`, async (strategy) => {
      const course = (await loadCatalog(COURSES_DIR)).require(courseId)
      const average = await averageScore(COURSES_DIR, courseId, strategy)
      averages.push(`  ${courseId}, ${strategy}: ${average.toFixed(1)} over ${ATTEMPTS} attempts (pass mark ${course.pressureRoom.passMark}, ${course.pressureRoom.draw} of ${course.pressureRoom.pool.length})`)
      expect(average).toBeLessThan(course.pressureRoom.passMark)
    })
  }
})
