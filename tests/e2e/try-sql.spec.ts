/**
 * "Try it" in a lesson of a course with a sample database (tests/fixtures/courses-every-kind): run a
 * query and see its table, break the database and see the next run start fresh, stop a runaway query
 * at the time limit while the page stays responsive. A course without a dataset never loads the editor.
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { tabTo } from './support/exercises'
import { newDataDir, startHost, type RunningHost } from './support/host'
import { shot, SHOTS } from './support/screens'

const COURSES = fileURLToPath(new URL('../fixtures/courses-every-kind/', import.meta.url))
const LESSON = '#/courses/every-kind/lessons/every-kind'

let host: RunningHost

test.beforeAll(async () => {
  host = await startHost(await newDataDir(), undefined, { coursesDir: COURSES })
})
test.afterAll(async () => host?.stop())

/** Replaces the editor's query by keyboard and runs it with the Run button. */
async function run(page: Page, tryIt: Locator, query: string): Promise<void> {
  const editor = tryIt.getByRole('textbox', { name: 'SQL query' })
  await tabTo(page, editor)
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText(query)
  await tabTo(page, tryIt.getByRole('button', { name: 'Run' }))
  await page.keyboard.press('Enter')
}

const rowsOf = (tryIt: Locator) => tryIt.locator('tbody tr')

test('a lesson example runs as written, edited, broken and reset: every run starts from a fresh copy', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.goto(`${host.url}${LESSON}`)
  const tryIts = page.getByRole('group', { name: 'Try it' })
  // Two runnable examples; the ```sql norun block stays plain code.
  await expect(tryIts).toHaveCount(2)
  await expect(page.locator('article pre code.language-sql')).toHaveText('SELECT TOP 2 title FROM books;')
  const tryIt = tryIts.first()
  await expect(tryIt.getByRole('textbox', { name: 'SQL query' })).toHaveValue('SELECT id, title, author_id FROM books ORDER BY id;')

  // The example as written: its table, with NULL shown as NULL.
  await tabTo(page, tryIt.getByRole('button', { name: 'Run' }))
  await page.keyboard.press('Enter')
  await expect(tryIt.locator('thead th')).toHaveText(['id', 'title', 'author_id'])
  await expect(rowsOf(tryIt)).toHaveCount(4)
  await expect(rowsOf(tryIt).nth(2).locator('td')).toHaveText(['3', 'Letters Unsigned', 'NULL'])
  await expect(rowsOf(tryIt).nth(2).locator('.sql-null')).toHaveText('NULL')
  await expect(tryIt.getByText('4 rows')).toBeVisible()
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme })
    const { violations } = await new AxeBuilder({ page }).analyze()
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([])
    await shot(page, `try-sql-result-${theme}`)
    mkdirSync(SHOTS, { recursive: true })
    await tryIt.screenshot({ path: `${SHOTS}/try-sql-tryit-${theme}.png` })
  }
  await page.emulateMedia({ colorScheme: 'light' })

  // Ctrl+Enter runs from the editor too.
  await tabTo(page, tryIt.getByRole('textbox', { name: 'SQL query' }))
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText("SELECT title FROM books WHERE price < 10 ORDER BY title;")
  await page.keyboard.press('Control+Enter')
  await expect(rowsOf(tryIt).locator('td')).toHaveText(['Brief Lights', 'Letters Unsigned'])

  // DROP TABLE changes nothing for the next run.
  await run(page, tryIt, 'DROP TABLE books;')
  await expect(tryIt.getByRole('status').filter({ hasText: 'Done' })).toContainText('fresh copy')
  await run(page, tryIt, 'SELECT count(*) AS books FROM books;')
  await expect(rowsOf(tryIt).locator('td')).toHaveText(['4'])

  // An error is shown in an alert, with the engine's message.
  await run(page, tryIt, 'SELECT nope FROM books;')
  await expect(tryIt.getByRole('alert')).toContainText('no such column: nope')

  // Past the row cap: the first 1 000 rows and a note saying so.
  await run(page, tryIt, 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) SELECT i FROM n;')
  await expect(tryIt.getByText('Showing the first 1 000 rows')).toBeVisible()
  await expect(rowsOf(tryIt)).toHaveCount(1000)

  // Reset brings the example back and clears the result.
  await tabTo(page, tryIt.getByRole('button', { name: 'Reset' }))
  await page.keyboard.press('Enter')
  await expect(tryIt.getByRole('textbox', { name: 'SQL query' })).toHaveValue('SELECT id, title, author_id FROM books ORDER BY id;')
  await expect(tryIt.locator('table')).toHaveCount(0)
})

test('a runaway WITH RECURSIVE is stopped at the time limit with a clear message, and the page stays responsive', async ({ page }) => {
  await page.goto(`${host.url}${LESSON}`)
  const tryIt = page.getByRole('group', { name: 'Try it' }).first()
  const started = Date.now()
  await run(page, tryIt, 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n;')
  await expect(tryIt.getByRole('button', { name: 'Running…' })).toBeVisible()

  // While it runs, the page answers: the other example runs, and the notes box takes typing.
  const other = page.getByRole('group', { name: 'Try it' }).nth(1)
  await tabTo(page, other.getByRole('button', { name: 'Run' }))
  await page.keyboard.press('Enter')
  await page.getByLabel('Your notes').fill('typed while a query ran away')
  await expect(page.getByLabel('Your notes')).toHaveValue('typed while a query ran away')

  await expect(tryIt.getByRole('alert')).toContainText(/ran for more than \d+(\.\d+)? seconds? and was stopped/, { timeout: 15_000 })
  await expect(tryIt.getByRole('alert')).toContainText('WITH RECURSIVE')
  expect(Date.now() - started).toBeLessThan(12_000)
  await expect(other.locator('tbody tr')).toHaveCount(3)
  // Two results and an error on one page: still axe-clean (no duplicate landmarks, scrollable tables focusable).
  const { violations } = await new AxeBuilder({ page }).analyze()
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([])
  await shot(page, 'try-sql-timeout')
  await tryIt.screenshot({ path: `${SHOTS}/try-sql-tryit-timeout.png` })

  // The runner is usable again at once.
  await run(page, tryIt, 'SELECT 1 AS one;')
  await expect(tryIt.locator('tbody td')).toHaveText(['1'])
})

test('a lesson of a course without a sample database shows its SQL as code and never loads the editor', async ({ page }) => {
  const scripts: string[] = []
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(request.url())
  })
  await page.goto(`${host.url}#/courses/plain-course/lessons/plain`)
  await expect(page.getByRole('heading', { name: 'A lesson without a sample database', level: 1 })).toBeVisible()
  await expect(page.locator('article pre code.language-sql')).toHaveText('SELECT 1;')
  await expect(page.getByRole('group', { name: 'Try it' })).toHaveCount(0)
  expect(scripts.filter((url) => /\/(TryIt|SqlWidget)-/.test(url))).toEqual([])
  expect(scripts.some((url) => /\/Lesson-/.test(url))).toBe(true)
})
