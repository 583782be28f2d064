/**
 * The sync journey through the real renderer in Chromium: a loopback host wired to a real sync server.
 * The learner signs in by emailed code, learns while the server is up, keeps learning while it is down
 * (changes wait), syncs when it is back, and finds everything on a second computer.
 * Screenshots of each step are saved as test artifacts (test-results/screens/sync-*.png).
 */
import { readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { expect, test, type Page } from '@playwright/test'
import { latestCode, startServer, type TestServer } from '../helpers/server'
import { newDataDir, startHost, type RunningHost } from './support/host'
import { shot } from './support/screens'

const COURSE_ID = 'sql-fundamentals'
const pack = JSON.parse(readFileSync(new URL(`../../resources/courses/${COURSE_ID}/course.json`, import.meta.url), 'utf8')) as {
  title: string
  lessons: { id: string; title: string }[]
}
const [lesson1, lesson2] = pack.lessons as [(typeof pack.lessons)[number], (typeof pack.lessons)[number]]
const EMAIL = 'sync-learner@example.com'
const BIO = 'Learning SQL on the train, offline.'
/** Long enough for the engine's 3 s debounce, a 2 s status poll and a slow machine. */
const SYNC_TIMEOUT = 20_000


const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click()
const statusLine = (page: Page) => page.getByTestId('sync-status')

const mailCount = async (server: TestServer) => (await readdir(server.mailDir).catch(() => [])).length

/** Signs in on the Sign in screen with the code the server mailed. */
async function signIn(page: Page, server: TestServer) {
  await nav(page, 'Account')
  await expect(page.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible()
  await page.getByRole('main').getByRole('link', { name: 'Sign in', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible()
  await page.getByLabel('Email', { exact: true }).fill(EMAIL)
  const mailsBefore = await mailCount(server)
  await page.getByRole('button', { name: 'Send code', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Step 2 of 2: the code' })).toBeVisible()
  await expect(page.getByTestId('signin-sent')).toContainText(EMAIL)
  await expect.poll(() => mailCount(server)).toBeGreaterThan(mailsBefore)
  const code = await latestCode(server, EMAIL)
  return {
    async finish() {
      await page.getByLabel('Code', { exact: true }).fill(code)
      await page.getByRole('main').getByRole('button', { name: 'Sign in', exact: true }).click()
      await expect(page.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible()
      await expect(page.getByTestId('account-signed-in')).toContainText(`Signed in as ${EMAIL}`)
    },
  }
}

/**
 * Waits until the status line says "Up to date" with nothing waiting, from a sync that finished after
 * `since` (a sync that ended mid-change would still show the change as waiting).
 */
async function expectSyncedSince(page: Page, since: number) {
  await expect(async () => {
    const line = statusLine(page)
    await expect(line).toHaveText(/^Up to date · /, { timeout: 1_000 })
    await expect(line).not.toContainText('waiting', { timeout: 1_000 })
    const at = Date.parse((await line.locator('time').getAttribute('datetime', { timeout: 1_000 })) ?? '')
    expect(at).toBeGreaterThanOrEqual(since)
  }).toPass({ timeout: SYNC_TIMEOUT })
}

let server: TestServer | undefined
const hosts: RunningHost[] = []

test.afterEach(async () => {
  for (const host of hosts.splice(0)) await host.stop()
  await server?.stop()
  server = undefined
})

test('a learner signs in, syncs, keeps learning while the server is down, syncs again, and finds it all on a second computer', async ({ page, browser }) => {
  server = await startServer({ env: { RATE_LIMIT_PER_IP: '1000' } })
  const host = await startHost(await newDataDir(), server.url)
  hosts.push(host)

  // Signed out: the status line invites a sign-in.
  await page.goto(host.url)
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible()
  await expect(statusLine(page)).toHaveText('Not syncing — sign in')
  await expect(statusLine(page)).toHaveAttribute('data-state', 'signed-out')
  await shot(page, 'sync-01-signed-out')

  // Sign in by emailed code.
  const started = Date.now()
  const signing = await signIn(page, server)
  await shot(page, 'sync-02-sign-in-code')
  await signing.finish()
  await expectSyncedSince(page, started)
  await expect(page.getByTestId('account-pending')).toHaveText('None — everything is synced')
  await expect(page.getByTestId('account-state')).toHaveText(/Up to date/)
  await shot(page, 'sync-03-up-to-date')

  // Learn online: enroll and complete the first lesson; the engine syncs by itself after the debounce.
  await nav(page, 'Courses')
  await page.getByTestId(`course-card-${COURSE_ID}`).getByRole('link', { name: pack.title }).click()
  await page.getByRole('button', { name: 'Enroll', exact: true }).click()
  await page.getByRole('main').getByRole('link', { name: lesson1.title, exact: true }).first().click()
  await expect(page.getByRole('heading', { name: lesson1.title, level: 1 })).toBeVisible()
  await page.getByRole('button', { name: 'Mark complete', exact: true }).click()
  await expect(page.getByRole('button', { name: 'Completed' })).toBeDisabled()
  const completedOnline = Date.now()
  await expectSyncedSince(page, completedOnline)

  // The server crashes (its database stays). Learn on: a second lesson and a new bio.
  await server.kill()
  await page.getByRole('link', { name: new RegExp(`^Next lesson: ${lesson2.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).click()
  await expect(page.getByRole('heading', { name: lesson2.title, level: 1 })).toBeVisible()
  await page.getByRole('button', { name: 'Mark complete', exact: true }).click()
  await expect(page.getByRole('button', { name: 'Completed' })).toBeDisabled()
  await nav(page, 'Profile')
  await page.getByLabel('Bio', { exact: true }).fill(BIO)
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByText('Profile saved')).toBeVisible()

  // A sync attempt fails: the changes wait, and the line says so.
  await nav(page, 'Account')
  await page.getByRole('button', { name: 'Sync now', exact: true }).click()
  await expect(statusLine(page)).toHaveText(/^Offline — \d+ changes waiting$/, { timeout: SYNC_TIMEOUT })
  const waiting = Number(/(\d+) changes waiting/.exec(await statusLine(page).innerText())?.[1])
  expect(waiting).toBeGreaterThanOrEqual(2)
  await expect(page.getByTestId('account-state')).toHaveText(/Offline/)
  await expect(page.getByTestId('account-pending')).toHaveText(`${waiting} changes to send`)
  await shot(page, 'sync-04-offline-waiting')

  // The server is back: "Sync now" sends everything.
  await server.restart()
  const restarted = Date.now()
  await expect(page.getByRole('button', { name: 'Sync now', exact: true })).toBeEnabled()
  await page.getByRole('button', { name: 'Sync now', exact: true }).click()
  await expectSyncedSince(page, restarted)
  await expect(page.getByTestId('account-pending')).toHaveText('None — everything is synced')
  await expect(page.getByTestId('account-state')).toHaveText(/Up to date/)
  await shot(page, 'sync-05-synced-again')

  // A second computer, fresh: signing in with the same email brings the lessons and the bio.
  const second = await startHost(await newDataDir(), server.url)
  hosts.push(second)
  const other = await browser.newPage()
  await other.goto(second.url)
  await expect(other.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible()
  await expect(other.getByTestId('stat-lessons').locator('dd')).toHaveText('0')
  const signedInAt = Date.now()
  const signingOther = await signIn(other, server)
  await signingOther.finish()
  await expectSyncedSince(other, signedInAt)
  await nav(other, 'Dashboard')
  await expect(other.getByTestId('stat-lessons').locator('dd')).toHaveText('2')
  await other.goto(`${second.url}#/courses/${COURSE_ID}`)
  await expect(other.getByRole('heading', { name: pack.title, level: 1 })).toBeVisible()
  await expect(other.getByText(`2 of ${pack.lessons.length} lessons complete`)).toBeVisible()
  await expect(other.getByTestId(`lesson-item-${lesson1.id}`)).toHaveClass(/is-complete/)
  await expect(other.getByTestId(`lesson-item-${lesson2.id}`)).toHaveClass(/is-complete/)
  await other.mouse.move(1270, 850) // no hover highlight in the screenshot
  await shot(other, 'sync-06-second-device')
  await nav(other, 'Profile')
  await expect(other.getByLabel('Bio', { exact: true })).toHaveValue(BIO)
  await other.mouse.move(1270, 850)
  await shot(other, 'sync-07-second-device-profile')
  await other.close()
})

test('a change the server refuses is set aside, the rest syncs, and the Account screen says so', async ({ page }) => {
  server = await startServer({ env: { RATE_LIMIT_PER_IP: '1000' } })
  const dataDir = await newDataDir()
  const host = await startHost(dataDir, server.url)
  hosts.push(host)
  await page.goto(host.url)
  const signingIn = await signIn(page, server)
  await signingIn.finish()
  await expectSyncedSince(page, 0)

  // A change this server cannot apply (as one from a newer version of the app would be) waits in the outbox.
  const db = createClient({ url: `file:${join(dataDir, 'pathwise.db')}` })
  try {
    await db.execute('PRAGMA busy_timeout = 5000')
    await db.execute({ sql: 'INSERT INTO outbox (id, name, args, created_at) VALUES (?, ?, ?, ?)', args: ['from-the-future', 'lesson.teleport', '{}', 1] })
  } finally {
    db.close()
  }
  const before = Date.now()
  await page.getByRole('button', { name: 'Sync now', exact: true }).click()
  await expectSyncedSince(page, before)
  await expect(page.getByTestId('account-set-aside')).toHaveText(/^1 change the server could not accept, kept on this computer/)
  await shot(page, 'sync-08-set-aside')
})
