/**
 * Settings in the real renderer against the loopback host: the update status of a copy that cannot
 * update itself, the automatic-updates switch persisting through the real core, and "Export my data"
 * downloading a JSON file (the loopback host has no save dialog: data.saveExport answers UNSUPPORTED).
 * The download bar and "Restart to update" run the real update controller in the real host, against a
 * scripted updater the test feeds (`--test-updater`, TEST ONLY), and the Pressure Room rule against real
 * attempts; the desktop app's save through main runs the real core against a save dialog answered by a
 * file (`--test-save-dialog`, TEST ONLY).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { TOKEN_HEADER } from '../../electron/core/contract/messages'
import type { PathwiseExport, PressureRoomAttempt } from '../../electron/core/contract/types'
import { UPDATE_MESSAGES } from '../../electron/core/updates/controller'
import { newDataDir, startHost, tokenOf, type RunningHost, type TestUpdater } from './support/host'
import { shot } from './support/screens'

const COURSE_ID = 'sql-fundamentals'
const pack = JSON.parse(readFileSync(new URL(`../../resources/courses/${COURSE_ID}/course.json`, import.meta.url), 'utf8')) as {
  lessons: { id: string; title: string }[]
  // Format 2 draws `draw` questions from a pool; format 1 asked all its `questions`.
  pressureRoom: { draw?: number; questions?: unknown[] }
}
const firstLesson = pack.lessons[0] as { id: string; title: string }


/** Calls the host's API as the page would (with its token). */
async function api(host: RunningHost, channel: string, body: unknown = null): Promise<unknown> {
  const response = await fetch(`${host.url}api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: await tokenOf(host.url) },
    body: JSON.stringify(body),
  })
  const result = (await response.json()) as { ok: boolean; value?: unknown }
  if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result)}`)
  return result.value
}

const settingsLink = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' })
const autoUpdateSwitch = (page: Page) => page.getByRole('switch', { name: 'Install updates automatically' })

let host: RunningHost

test.afterEach(async () => host?.stop())

test('settings show that this copy does not update itself, keep the update choice, and export the learner data as JSON', async ({ page }) => {
  host = await startHost(await newDataDir())
  await api(host, 'courses.enroll', { courseId: COURSE_ID })
  await api(host, 'courses.updateProgress', { courseId: COURSE_ID, lessonId: firstLesson.id, action: 'saveNotes', notes: 'Exported note' })
  await api(host, 'courses.updateProgress', { courseId: COURSE_ID, lessonId: firstLesson.id, action: 'complete' })

  await page.goto(host.url)
  await settingsLink(page).click()
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()

  // The loopback host has no updater: the status says why, and there is nothing to check.
  const status = page.getByTestId('update-status')
  await expect(status).toHaveAttribute('data-state', 'unsupported')
  await expect(status).toContainText('Updates are installed by the packaged app only')
  await expect(page.getByRole('button', { name: 'Check for updates' })).toBeDisabled()
  await expect(page.getByTestId('update-notice')).toHaveCount(0)

  // The switch is on by default and its new value survives a reload (saved by the real core).
  await expect(autoUpdateSwitch(page)).toBeChecked()
  await shot(page, 'settings-light')
  await autoUpdateSwitch(page).click()
  await expect(autoUpdateSwitch(page)).not.toBeChecked()
  await expect(autoUpdateSwitch(page)).toBeEnabled()
  expect(await api(host, 'settings.get')).toEqual({ autoUpdate: false })
  await page.reload()
  await expect(autoUpdateSwitch(page)).not.toBeChecked()
  await autoUpdateSwitch(page).focus()
  await page.keyboard.press('Space')
  await expect(autoUpdateSwitch(page)).toBeChecked()
  await expect(autoUpdateSwitch(page)).toBeEnabled()
  expect(await api(host, 'settings.get')).toEqual({ autoUpdate: true })

  // Export my data: a JSON file named after today, with the completed lesson and its note.
  const downloading = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export my data' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/^pathwise-export-\d{4}-\d{2}-\d{2}\.json$/)
  const file = JSON.parse(readFileSync(await download.path(), 'utf8')) as PathwiseExport
  expect(file).toMatchObject({ format: 'pathwise-export', version: 1, settings: { autoUpdate: true } })
  expect(file.lessonProgress).toContainEqual(
    expect.objectContaining({ courseId: COURSE_ID, lessonId: firstLesson.id, lessonTitle: firstLesson.title, completed: true, notes: 'Exported note' }),
  )
  expect(file.activities.map((a) => a.type)).toContain('lesson_completed')
  await expect(page.getByText('Your data is exported')).toBeVisible()
  await expect(page.getByText(`Saved as ${download.suggestedFilename()}.`)).toBeVisible()

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.getByRole('button', { name: /Dismiss/ }).click()
  await shot(page, 'settings-dark')
})

test('in the desktop app, "Export my data" saves through main: a toast names the file, a cancelled dialog says nothing', async ({ page }) => {
  // The desktop app's save dialog, answered by a file (TEST ONLY host flag); the real core writes the export.
  const folder = await newDataDir()
  const answerFile = join(folder, 'save-dialog-answer')
  const target = join(folder, 'my-pathwise.json')
  host = await startHost(await newDataDir(), undefined, { testSaveDialog: answerFile })
  await api(host, 'courses.enroll', { courseId: COURSE_ID })
  let downloads = 0
  page.on('download', () => downloads++)

  await page.goto(host.url)
  await settingsLink(page).click()
  const button = page.getByRole('button', { name: 'Export my data' })

  // No answer yet: the learner cancelled the dialog. Nothing is written and nothing is announced.
  const cancelled = page.waitForResponse('**/api/data.saveExport')
  await button.click()
  expect(await (await cancelled).json()).toEqual({ ok: true, value: { saved: false } })
  await expect(button).toBeEnabled()
  await expect(page.getByText('Your data is exported')).toHaveCount(0)
  expect(existsSync(target)).toBe(false)

  writeFileSync(answerFile, target)
  await button.click()
  await expect(page.getByText('Your data is exported')).toBeVisible()
  await expect(page.getByText('Saved as my-pathwise.json.')).toBeVisible()
  // The core wrote the whole document there; the browser downloaded nothing.
  const file = JSON.parse(readFileSync(target, 'utf8')) as PathwiseExport
  expect(file).toMatchObject({ format: 'pathwise-export', version: 1 })
  expect(file.enrollments.map((e) => e.courseId)).toEqual([COURSE_ID])
  expect(readdirSync(folder).sort()).toEqual(['my-pathwise.json', 'save-dialog-answer'])
  expect(downloads).toBe(0)
})

test('the sidebar shows the download with its progress, then "Restart to update", never over the Pressure Room', async ({ page }) => {
  host = await startHost(await newDataDir(), undefined, { testUpdater: true })
  const updater = host.updater as TestUpdater
  await api(host, 'courses.enroll', { courseId: COURSE_ID })
  // Playwright's clock, running in real time until the refusal below needs the page's polling held.
  await page.clock.install()

  // The learner checks; the feed announces 1.1.0, the controller downloads it, 42.7 % arrives.
  await page.goto(host.url)
  await settingsLink(page).click()
  await page.getByRole('button', { name: 'Check for updates' }).click()
  await expect.poll(() => updater.calls()).toEqual(['checkForUpdates'])
  updater.emit({ type: 'available', version: '1.1.0' })
  await expect.poll(() => updater.calls()).toEqual(['checkForUpdates', 'downloadUpdate'])
  updater.emit({ type: 'progress', percent: 42.7, bytesPerSecond: 1_000_000, transferred: 42_700_000, total: 100_000_000 })
  await expect(page.getByTestId('update-status')).toContainText('Downloading version 1.1.0… 42%')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click()
  const notice = page.getByTestId('update-notice')
  const bar = notice.getByRole('progressbar', { name: 'Downloading version 1.1.0' })
  await expect(bar).toHaveAttribute('aria-valuenow', '42')
  await expect(notice).toContainText('Downloading version 1.1.0… 42%')
  await shot(page, 'update-downloading-light')

  // The learner starts the Pressure Room; on its screen nothing about updates is shown, even once the
  // download is ready.
  await page.goto(`${host.url}#/courses/${COURSE_ID}/pressure-room`)
  await expect(page.getByRole('heading', { name: 'Pressure Room', level: 1 })).toBeVisible()
  await page.getByRole('button', { name: 'Start' }).click()
  const total = pack.pressureRoom.draw ?? pack.pressureRoom.questions?.length ?? 0
  await expect(page.getByText(`Question 1 of ${total}`)).toBeVisible()
  updater.emit({ type: 'downloaded', version: '1.1.0' })

  // Ready while that attempt is open (the real rule): in another window, the button is there but
  // disabled, with the reason; the Pressure Room's own window still shows nothing.
  const other = await page.context().newPage()
  await other.goto(host.url)
  const otherNotice = other.getByTestId('update-notice')
  const blocked = otherNotice.getByRole('button', { name: 'Restart to update' })
  await expect(blocked).toBeDisabled()
  await expect(blocked).toHaveAccessibleDescription(/Finish your Pressure Room first/)
  await other.emulateMedia({ colorScheme: 'dark' })
  await shot(other, 'update-ready-blocked-dark')
  await other.close()
  await expect(page.getByText(`Question 1 of ${total}`)).toBeVisible()
  await expect(page.getByTestId('update-notice')).toHaveCount(0)

  // The learner finishes the attempt (unanswered questions count as wrong): the restart is allowed.
  for (let i = 1; i < total; i++) {
    await expect(page.getByText(`Question ${i} of ${total}`)).toBeVisible()
    await page.getByRole('button', { name: 'Next' }).click()
  }
  await page.getByRole('button', { name: 'Submit answers' }).click()
  await expect(page.getByRole('heading', { name: 'Not this time' })).toBeVisible()
  await settingsLink(page).click()
  const status = page.getByTestId('update-status')
  await expect(status).toContainText('Version 1.1.0 is ready. Restart Pathwise to finish updating.')
  await expect(page.getByRole('button', { name: 'Check for updates' })).toBeDisabled()
  // Settings shows the update in full, so the sidebar does not repeat it.
  await expect(page.getByTestId('update-notice')).toHaveCount(0)
  const restart = page.getByRole('button', { name: 'Restart to update' })
  await expect(restart).toBeEnabled()
  await shot(page, 'settings-update-ready-light')

  // An attempt opened elsewhere after this screen last asked (another window): the page's polling is
  // held so it cannot learn of it first, and the core itself refuses the restart, in words.
  // (A second ahead of the page's time, which runs on while this call travels; a poll falling due in
  // that second may run, but what it learns only reaches the screen through timers, which are held.)
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000)
  const elsewhere = (await api(host, 'pressureRoom.start', { courseId: COURSE_ID })) as PressureRoomAttempt
  await restart.click()
  await page.clock.resume()
  await expect(page.getByText('Pathwise did not restart')).toBeVisible()
  await expect(page.getByText(UPDATE_MESSAGES.pressureRoom)).toBeVisible()
  // And now the screen knows: the button waits, with the reason.
  await expect(restart).toBeDisabled()
  await expect(restart).toHaveAccessibleDescription(/Finish your Pressure Room first/)
  expect(updater.calls()).not.toContain('quitAndInstall')

  // That attempt submitted, the same button restarts: the refusal was the rule's, not a broken updater.
  await api(host, 'pressureRoom.submit', { attemptId: elsewhere.attemptId, answers: {} })
  await page.reload()
  await page.getByRole('button', { name: 'Restart to update' }).click()
  await expect.poll(() => updater.calls()).toEqual(['checkForUpdates', 'downloadUpdate', 'quitAndInstall'])
})
