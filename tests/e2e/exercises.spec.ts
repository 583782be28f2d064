/**
 * Every exercise kind in the real renderer (Chromium, loopback host, the fixture packs in
 * tests/fixtures/courses-every-kind): answered and checked with the keyboard only, marked right and
 * wrong, axe-clean in light and dark, with screenshots of every kind in both themes and two window sizes.
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { answerByKeyboard, checkByKeyboard, readPack, shown, tabTo, type PackQuestion } from './support/exercises'
import { newDataDir, startHost, type RunningHost } from './support/host'
import { shot, SHOTS } from './support/screens'

const COURSES = fileURLToPath(new URL('../fixtures/courses-every-kind/', import.meta.url))
const pack = readPack(new URL('../fixtures/courses-every-kind/every-kind/course.json', import.meta.url))
const lesson = pack.lessons[0] as (typeof pack.lessons)[number]
const THEMES = ['light', 'dark'] as const

let host: RunningHost

test.afterEach(async () => host?.stop())

async function expectAxeClean(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)
  expect(found, `axe violations on ${what}`).toEqual([])
}

/** An element's own screenshot, next to the full-page ones. */
async function shotOf(page: Page, selector: string, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page.locator(selector).screenshot({ path: `${SHOTS}/${name}.png` })
  await test.info().attach(name, { path: `${SHOTS}/${name}.png`, contentType: 'image/png' })
}

const questionScope = (page: Page, q: PackQuestion) => page.getByTestId(`quiz-question-${q.id}`)

test('every kind in a lesson quiz: answered, checked and retried by keyboard only; no key before checking; axe-clean in both themes', async ({ page }) => {
  test.setTimeout(240_000)
  host = await startHost(await newDataDir(), undefined, { coursesDir: COURSES })
  await page.setViewportSize({ width: 1280, height: 800 })
  const lessonAnswer = page.waitForResponse((r) => r.url().endsWith('/api/courses.lesson'))
  await page.goto(`${host.url}#/courses/${pack.id}/lessons/${lesson.id}`)
  await expect(page.getByRole('heading', { name: lesson.title, level: 1 })).toBeVisible()

  // What the page received holds no key: no answer index, accepted text, pair, blank or reference query.
  const received = JSON.stringify(await (await lessonAnswer).json())
  for (const field of ['"answer"', '"answers"', '"accepted"', '"pairs"', '"reference"', '"explanation"']) expect(received).not.toContain(field)
  for (const key of ['ORDER BY title', 'DISTINCT']) expect(received).not.toContain(key) // the reference query, the accepted text
  expect(lesson.quiz.map((q) => q.kind).sort()).toEqual(['blanks', 'match', 'multiple', 'numeric', 'order', 'single', 'sql', 'text', 'truefalse'])

  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme })
    await expectAxeClean(page, `the lesson quiz, unanswered, ${theme}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })

  // Checking one question needs no other answered; an unanswered check says what is missing, locally.
  const first = lesson.quiz[0] as PackQuestion
  await tabTo(page, questionScope(page, first).getByRole('button', { name: 'Check answer' }))
  await page.keyboard.press('Enter')
  await expect(questionScope(page, first).getByRole('status')).toHaveText('Pick an answer first.')

  // Right: every kind, with its verdict and explanation.
  for (const q of lesson.quiz) {
    const scope = questionScope(page, q)
    await answerByKeyboard(page, scope, q)
    await checkByKeyboard(page, scope, true)
    await expect(scope.getByText(shown(q.explanation))).toBeVisible()
    await expect(scope.getByRole('group')).toHaveAccessibleDescription(/Right/)
  }
  await expect(page.getByTestId('quiz-summary')).toHaveText('Great — you passed the quiz!')
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme })
    await expectAxeClean(page, `the lesson quiz, all right, ${theme}`)
    await shot(page, `exercises-quiz-right-${theme}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })

  // Wrong: Try again, answer wrongly, check; the verdict says why and the answer is shown.
  for (const q of lesson.quiz) {
    const scope = questionScope(page, q)
    await tabTo(page, scope.getByRole('button', { name: 'Try again' }))
    await page.keyboard.press('Enter')
    await expect(scope.getByRole('button', { name: 'Check answer' })).toBeFocused()
    await answerByKeyboard(page, scope, q, true)
    await checkByKeyboard(page, scope, false)
    await expect(scope.getByText(shown(q.explanation))).toBeVisible()
  }
  await expect(page.getByTestId('quiz-summary')).toHaveText(`0 of ${lesson.quiz.length} right so far; ${lesson.quiz.length} to try again.`)

  // What each kind says when wrong, and where it shows the right answer.
  const scopeOf = (id: string) => page.getByTestId(`quiz-question-${id}`)
  await expect(scopeOf('ek-single').getByText('Right answer')).toHaveCount(1)
  await expect(scopeOf('ek-single').getByText('`SELECT` picks the columns'.replaceAll('`', ''))).toBeVisible()
  await expect(scopeOf('ek-multiple').locator('.learn-verdict')).toContainText('You picked 2 right options of 2 and 1 wrong one.')
  await expect(scopeOf('ek-truefalse').locator('.learn-verdict')).toContainText('Comparing with NULL gives NULL')
  await expect(scopeOf('ek-numeric').getByText('The answer: 10 euros (± 0.005)')).toBeVisible()
  await expect(scopeOf('ek-text').getByText('The answer: DISTINCT')).toBeVisible()
  await expect(scopeOf('ek-order').getByText('The right order:')).toBeVisible()
  await expect(scopeOf('ek-match').getByText('Right match: keeps the rows that pass a test')).toBeVisible()
  await expect(scopeOf('ek-blanks').getByText('The answer: 1: SELECT, 2: FROM')).toBeVisible()
  await expect(scopeOf('ek-sql').locator('.learn-verdict')).toContainText('Right rows, but not in the order asked for')
  await expect(scopeOf('ek-sql').getByText('SELECT title FROM books ORDER BY title;')).toBeVisible()

  for (const [width, height] of [
    [1280, 800],
    [900, 650],
  ] as const) {
    await page.setViewportSize({ width, height })
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme })
      if (width === 1280) await expectAxeClean(page, `the lesson quiz, all wrong, ${theme}`)
      await shot(page, `exercises-quiz-wrong-${theme}-${width}`)
      if (width === 1280) for (const q of lesson.quiz) await shotOf(page, `[data-testid="quiz-question-${q.id}"]`, `exercises-${q.kind}-wrong-${theme}`)
    }
  }
})


test('the Pressure Room: every drawn question answered by keyboard, answers recorded as given, a review that keeps teaching; axe-clean in both themes', async ({ page }) => {
  test.setTimeout(240_000)
  host = await startHost(await newDataDir(), undefined, { coursesDir: COURSES })
  await page.setViewportSize({ width: 1280, height: 800 })
  const recorded: { questionId: string; response: unknown }[] = []
  page.on('request', (request) => {
    if (request.url().endsWith('/api/pressureRoom.answer')) recorded.push(request.postDataJSON() as { questionId: string; response: unknown })
  })
  await page.goto(`${host.url}#/courses/${pack.id}`)
  await tabTo(page, page.getByRole('button', { name: 'Enroll' }))
  await page.keyboard.press('Enter')
  await expect(page.getByText('Achievement unlocked: Curious Mind')).toBeVisible()

  await page.goto(`${host.url}#/courses/${pack.id}/pressure-room`)
  await tabTo(page, page.getByRole('button', { name: 'Start' }))
  await page.keyboard.press('Enter')
  const attempt = page.getByTestId('pr-attempt')
  const total = pack.pressureRoom.draw
  const wrongIds: string[] = []
  for (let i = 1; i <= total; i++) {
    await expect(attempt.getByRole('heading', { name: `Question ${i} of ${total}` })).toBeFocused()
    const id = (await attempt.locator('fieldset[data-question-id]').getAttribute('data-question-id')) as string
    const q = pack.pressureRoom.pool.find((candidate) => candidate.id === id) as PackQuestion
    // Every third question is answered wrongly, so the review shows both.
    const wrong = i % 3 === 0
    if (wrong) wrongIds.push(id)
    await answerByKeyboard(page, attempt, q, wrong)
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme })
      await expectAxeClean(page, `Pressure Room question ${i} (${q.kind}), ${theme}`)
      await shot(page, `exercises-pr-${q.kind}-${theme}-${i}`)
    }
    await page.emulateMedia({ colorScheme: 'light' })
    await expect(attempt.getByText(`${i} of ${total} answered`)).toBeVisible()
    await tabTo(page, attempt.getByRole('button', { name: i === total ? 'Submit answers' : 'Next' }))
    await page.keyboard.press('Enter')
  }

  await expect(page.getByRole('heading', { name: /Passed!|Not this time/ })).toBeVisible()
  const right = total - wrongIds.length
  await expect(page.getByText(`(${right} of ${total} correct)`)).toBeVisible()
  // Each drawn question reached the core as it was answered; typed answers once the typing paused
  // (or on leaving the question), not at every key: one request per input typed into.
  const answeredIds = new Set(recorded.map((r) => r.questionId))
  expect(answeredIds.size).toBe(total)
  for (const id of answeredIds) {
    const q = pack.pressureRoom.pool.find((candidate) => candidate.id === id) as PackQuestion
    const sent = recorded.filter((r) => r.questionId === id)
    if (q.kind === 'numeric' || q.kind === 'text') expect(sent, `answers sent for ${id}`).toHaveLength(1)
    if (q.kind === 'blanks') expect(sent.length, `answers sent for ${id}`).toBeLessThanOrEqual(q.blanks.length)
  }

  const review = page.locator('.learn-review > li')
  await expect(review).toHaveCount(total)
  for (const item of await review.all()) {
    const id = ((await item.getAttribute('data-testid')) as string).replace('pr-review-', '')
    const q = pack.pressureRoom.pool.find((candidate) => candidate.id === id) as PackQuestion
    await expect(item.getByText(shown(q.explanation))).toBeVisible()
    await expect(item.locator('.learn-verdict')).toContainText(wrongIds.includes(id) ? 'Not quite' : 'Right')
  }
  for (const [width, height] of [
    [1280, 800],
    [900, 650],
  ] as const) {
    await page.setViewportSize({ width, height })
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme })
      if (width === 1280) await expectAxeClean(page, `the Pressure Room review, ${theme}`)
      await shot(page, `exercises-pr-review-${theme}-${width}`)
    }
  }
})
