/**
 * Settings in the real renderer against the loopback host: the update status of a copy that cannot
 * update itself, the automatic-updates switch persisting through the real core, and "Export my data"
 * downloading a JSON file (the loopback host has no save dialog: data.saveExport answers UNSUPPORTED).
 * The loopback host has no updater, so the sidebar's download bar and "Restart to update" are shown by
 * answering updates.* with made-up statuses; the desktop app's save through main is shown the same way
 * with data.saveExport (everything else is real).
 */
import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { TOKEN_HEADER } from '../../electron/core/contract/messages'
import type { PathwiseExport, UpdateStatusView } from '../../electron/core/contract/types'
import { newDataDir, startHost, tokenOf, type RunningHost } from './support/host'
import { shot } from './support/screens'

const COURSE_ID = 'sql-fundamentals'
const pack = JSON.parse(readFileSync(new URL(`../../resources/courses/${COURSE_ID}/course.json`, import.meta.url), 'utf8')) as {
  lessons: { id: string; title: string }[]
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
  host = await startHost(await newDataDir())
  let answer: { saved: true; fileName: string } | { saved: false } = { saved: false }
  let saveCalls = 0
  let exportCalls = 0
  let downloads = 0
  await page.route('**/api/data.saveExport', (route) => {
    saveCalls++
    return route.fulfill({ json: { ok: true, value: answer } })
  })
  await page.route('**/api/data.export', (route) => {
    exportCalls++
    return route.continue()
  })
  page.on('download', () => downloads++)

  await page.goto(host.url)
  await settingsLink(page).click()
  const button = page.getByRole('button', { name: 'Export my data' })

  await button.click()
  await expect.poll(() => saveCalls).toBe(1)
  await expect(button).toBeEnabled()
  await expect(page.getByText('Your data is exported')).toHaveCount(0)

  answer = { saved: true, fileName: 'my-pathwise.json' }
  await button.click()
  await expect(page.getByText('Your data is exported')).toBeVisible()
  await expect(page.getByText('Saved as my-pathwise.json.')).toBeVisible()
  // Main wrote the file: the renderer neither fetched the document nor downloaded anything.
  expect(saveCalls).toBe(2)
  expect(exportCalls).toBe(0)
  expect(downloads).toBe(0)
})

test('the sidebar shows the download with its progress, then "Restart to update", never over the Pressure Room', async ({ page }) => {
  host = await startHost(await newDataDir())
  let status: UpdateStatusView = { state: 'downloading', version: '1.1.0', currentVersion: '1.0.0', percent: 42.7 }
  let restartCalls = 0
  await page.route('**/api/updates.status', (route) => route.fulfill({ json: { ok: true, value: status } }))
  await page.route('**/api/updates.restart', (route) => {
    restartCalls++
    return route.fulfill({ status: 409, json: { ok: false, error: { code: 'CONFLICT', message: 'Finish your Pressure Room first: restarting now would end your attempt.' } } })
  })

  await page.goto(host.url)
  const notice = page.getByTestId('update-notice')
  const bar = notice.getByRole('progressbar', { name: 'Downloading version 1.1.0' })
  await expect(bar).toHaveAttribute('aria-valuenow', '42')
  await expect(notice).toContainText('Downloading version 1.1.0… 42%')
  await shot(page, 'update-downloading-light')

  // Ready, while a Pressure Room attempt is open: the button is there but disabled, with the reason.
  status = { state: 'ready', version: '1.1.0', currentVersion: '1.0.0', percent: 100, restartBlockedByPressureRoom: true }
  await page.reload()
  const restart = notice.getByRole('button', { name: 'Restart to update' })
  await expect(restart).toBeDisabled()
  await expect(restart).toHaveAccessibleDescription(/Finish your Pressure Room first/)
  await page.emulateMedia({ colorScheme: 'dark' })
  await shot(page, 'update-ready-blocked-dark')
  await page.emulateMedia({ colorScheme: 'light' })

  // On the Pressure Room screen itself, nothing about updates is shown.
  await page.goto(`${host.url}#/courses/${COURSE_ID}/pressure-room`)
  await expect(page.getByRole('heading', { name: 'Pressure Room', level: 1 })).toBeVisible()
  await expect(page.getByTestId('update-notice')).toHaveCount(0)

  // Not blocked any more: the learner may restart; a refusal from the core is shown in words.
  status = { ...status, restartBlockedByPressureRoom: false }
  await settingsLink(page).click()
  await expect(page.getByTestId('update-status')).toContainText('Version 1.1.0 is ready. Restart Pathwise to finish updating.')
  await expect(page.getByRole('button', { name: 'Check for updates' })).toBeDisabled()
  // Settings shows the update in full, so the sidebar does not repeat it.
  await expect(page.getByTestId('update-notice')).toHaveCount(0)
  await shot(page, 'settings-update-ready-light')
  await page.getByRole('button', { name: 'Restart to update' }).click()
  await expect(page.getByText('Pathwise did not restart')).toBeVisible()
  await expect(page.getByText('Finish your Pressure Room first: restarting now would end your attempt.')).toBeVisible()
  expect(restartCalls).toBe(1)
})
