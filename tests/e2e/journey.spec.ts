/**
 * One learner's journey through the real renderer in Chromium, against the loopback host and a real
 * database in a fresh folder. Screenshots of every screen are saved as test artifacts.
 */
import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { XP } from '../helpers/xp-model'
import { newDataDir, startHost, type RunningHost } from './support/host'
import { shot } from './support/screens'

const COURSE_ID = 'sql-fundamentals'
const pack = JSON.parse(readFileSync(new URL(`../../resources/courses/${COURSE_ID}/course.json`, import.meta.url), 'utf8')) as {
  title: string
  lessons: { id: string; title: string; quiz: { prompt: string; choices: string[]; answer: number }[] }[]
  pressureRoom: { questions: { prompt: string; choices: string[]; answer: number }[] }
}
const firstLesson = pack.lessons[0] as (typeof pack.lessons)[number]

// What the journey earns, from the XP table. Enrolling and the first lesson earn Curious Mind and First
// Step; a perfect first pass earns Under Pressure and Flawless; the failed attempt earns nothing.
const XP_AFTER_FIRST_LESSON = XP.courseEnrolled + XP.lessonCompleted + 2 * XP.badgeEarned
const XP_AFTER_PASS = XP_AFTER_FIRST_LESSON + XP.pressureRoomPassed + 2 * XP.badgeEarned
const LEVEL_2_XP = 100

/** The figure a dashboard stat card shows. */
const statValue = (page: Page, id: string) => page.getByTestId(id).locator('.stat-value')

/** The value a <dl> shows for a term. */
const definition = (page: Page, term: string) => page.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]')

/** Text as the page shows it: `code` spans lose their backticks. */
const shown = (text: string) => text.replaceAll('`', '')

/** The right choice for the question whose prompt is on screen. */
function answerFor(prompt: string, questions: { prompt: string; choices: string[]; answer: number }[]): string {
  const q = questions.find((candidate) => shown(candidate.prompt) === prompt.trim())
  if (!q) throw new Error(`no question with prompt ${prompt}`)
  return shown(q.choices[q.answer] as string)
}

let host: RunningHost

test.afterEach(async () => host?.stop())

test('a learner enrolls, learns, passes and fails the Pressure Room, edits the profile, and it all survives a restart', async ({ page, browser }) => {
  const dataDir = await newDataDir()
  host = await startHost(dataDir)

  // A brand-new learner: an empty dashboard that points to the courses.
  await page.goto(host.url)
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible()
  await expect(statValue(page, 'stat-xp')).toHaveText('0')
  await expect(statValue(page, 'stat-streak')).toHaveText('0 days')
  await expect(page.getByRole('link', { name: 'Browse courses' })).toBeVisible()
  await shot(page, '01-dashboard-empty')

  // Catalog: search, then open the course.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Courses' }).click()
  await expect(page.getByRole('heading', { name: 'Courses', level: 1 })).toBeVisible()
  await page.getByLabel('Search courses').fill('zzz-nothing')
  await expect(page.getByText(/No courses match/)).toBeVisible()
  await page.getByLabel('Search courses').fill('sql')
  await expect(page.getByTestId(`course-card-${COURSE_ID}`)).toBeVisible()
  await expect(page.getByTestId('course-card-git-essentials')).toHaveCount(0)
  await page.getByLabel('Search courses').fill('')
  await shot(page, '02-catalog')
  await page.getByTestId(`course-card-${COURSE_ID}`).getByRole('link', { name: pack.title }).click()

  // Course: enroll (first achievement toast).
  await expect(page.getByRole('heading', { name: pack.title, level: 1 })).toBeVisible()
  await page.getByRole('button', { name: 'Enroll' }).click()
  await expect(page.getByText('Achievement unlocked: Curious Mind')).toBeVisible()
  await shot(page, '03-course')

  // Lesson: read, pass the quiz, complete it.
  await page.getByRole('link', { name: firstLesson.title }).first().click()
  await expect(page.getByRole('heading', { name: firstLesson.title, level: 1 })).toBeVisible()
  await expect(page.locator('article.prose pre').first()).toBeVisible()
  for (const question of firstLesson.quiz) {
    const group = page.getByRole('group', { name: shown(question.prompt) })
    await group.getByLabel(shown(question.choices[question.answer] as string), { exact: true }).check()
  }
  await page.getByRole('button', { name: 'Check answers' }).click()
  await expect(page.getByText('Great — you passed the quiz!')).toBeVisible()
  await page.getByLabel('Your notes').fill('SELECT picks columns, WHERE picks rows.')
  await expect(page.getByText('Saved', { exact: true })).toBeVisible()
  await page.getByRole('button', { name: 'Mark complete' }).click()
  await expect(page.getByRole('button', { name: 'Completed' })).toBeDisabled()
  await expect(page.getByText('Achievement unlocked: First Step')).toBeVisible()
  await shot(page, '04-lesson')

  // Dashboard: the lesson and two badges; a one-day streak.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click()
  await expect(statValue(page, 'stat-xp')).toHaveText(String(XP_AFTER_FIRST_LESSON))
  await expect(statValue(page, 'stat-level')).toHaveText('1')
  await expect(statValue(page, 'stat-streak')).toHaveText('1 day')
  await expect(statValue(page, 'stat-lessons')).toHaveText('1')
  await expect(page.getByRole('progressbar', { name: 'Progress to level 2' })).toHaveAttribute('aria-valuenow', String(XP_AFTER_FIRST_LESSON))
  await expect(page.locator('.dash-level-next')).toHaveText(
    `${LEVEL_2_XP - XP_AFTER_FIRST_LESSON} XP to level 2 · ${XP_AFTER_FIRST_LESSON} of ${LEVEL_2_XP} XP this level`,
  )
  await expect(page.getByRole('link', { name: /Continue/ })).toBeVisible()
  await shot(page, '05-dashboard')

  // Pressure Room, pass: every answer right.
  await page.goto(`${host.url}#/courses/${COURSE_ID}/pressure-room`)
  await shot(page, '06-pressure-room-intro')
  await page.getByRole('button', { name: 'Start' }).click()
  const total = pack.pressureRoom.questions.length
  for (let i = 1; i <= total; i++) {
    await expect(page.getByText(`Question ${i} of ${total}`)).toBeVisible()
    const attempt = page.getByTestId('pr-attempt')
    const prompt = await attempt.locator('legend').innerText()
    await attempt.getByLabel(answerFor(prompt, pack.pressureRoom.questions), { exact: true }).check()
    if (i === 1) await shot(page, '07-pressure-room-question')
    await page.getByRole('button', { name: i === total ? 'Submit answers' : 'Next' }).click()
  }
  await expect(page.getByRole('heading', { name: 'Passed!' })).toBeVisible()
  await expect(page.getByText(/Score: 100%/)).toBeVisible()
  await expect(page.getByText('Level 2!')).toBeVisible()
  await shot(page, '08-pressure-room-passed')

  // Pressure Room, fail: the countdown reaches zero and submits the attempt as it stands.
  const timed = await browser.newPage()
  await timed.clock.install()
  await timed.goto(`${host.url}#/courses/${COURSE_ID}/pressure-room`)
  await timed.getByRole('button', { name: 'Start' }).click()
  await expect(timed.getByRole('timer', { name: 'Time left' })).toBeVisible()
  await timed.clock.fastForward('08:30')
  await expect(timed.getByRole('heading', { name: 'Not this time' })).toBeVisible()
  await expect(timed.getByText(/Time.s up/)).toBeVisible()
  await expect(definition(timed, 'Best score')).toHaveText('100%')
  await shot(timed, '09-pressure-room-failed')
  await timed.close()

  // Achievements: earned and locked, with progress.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Achievements' }).click()
  await expect(page.getByTestId('achievement-first_lesson')).toContainText('First Step')
  await expect(page.getByTestId('achievement-perfect_pr')).toBeVisible()
  await expect(page.getByRole('progressbar', { name: 'Getting Going progress' })).toHaveAttribute('aria-valuenow', '1')
  await shot(page, '10-achievements')

  // Activity feed, newest first.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click()
  await expect(page.getByText(`Completed "${firstLesson.title}"`)).toBeVisible()
  await shot(page, '11-activity')

  // Profile: an invalid website shows the contract's message; a valid one saves.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click()
  await page.getByLabel('Name').fill('Ada')
  await page.getByLabel('Website').fill('not a website')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText('Enter a web address starting with http:// or https://')).toBeVisible()
  await expect(page.getByLabel('Website')).toHaveAttribute('aria-invalid', 'true')
  await shot(page, '12-profile-invalid')
  await page.getByLabel('Website').fill('https://ada.example.org')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText('Profile saved')).toBeVisible()
  await shot(page, '13-profile-saved')

  // Restart the host on the same folder: everything is still there.
  await host.stop()
  host = await startHost(dataDir)
  await page.goto(host.url)
  await expect(statValue(page, 'stat-xp')).toHaveText(String(XP_AFTER_PASS))
  await expect(statValue(page, 'stat-level')).toHaveText('2')
  await expect(statValue(page, 'stat-lessons')).toHaveText('1')
  await page.goto(`${host.url}#/profile`)
  await expect(page.getByLabel('Website')).toHaveValue('https://ada.example.org')
  await expect(page.getByLabel('Name')).toHaveValue('Ada')
  await page.goto(`${host.url}#/courses/${COURSE_ID}`)
  await expect(definition(page, 'Best score')).toHaveText('100%')
  await page.goto(`${host.url}#/courses/${COURSE_ID}/lessons/${firstLesson.id}`)
  await expect(page.getByLabel('Your notes')).toHaveValue('SELECT picks columns, WHERE picks rows.')
  await expect(page.getByRole('button', { name: 'Completed' })).toBeDisabled()
})
