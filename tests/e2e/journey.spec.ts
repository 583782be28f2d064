/**
 * One learner's journey through the real renderer in Chromium, against the loopback host and a real
 * database in a fresh folder. Screenshots of every screen are saved as test artifacts.
 */
import { expect, test, type Page } from '@playwright/test'
import { XP } from '../helpers/xp-model'
import { answerByKeyboard, checkByKeyboard, readPack, type PackQuestion } from './support/exercises'
import { newDataDir, startHost, type RunningHost } from './support/host'
import { shot } from './support/screens'

const COURSE_ID = 'sql-fundamentals'
const pack = readPack(new URL(`../../resources/courses/${COURSE_ID}/course.json`, import.meta.url))
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

/** The pool question the attempt shows now (the page names it by id, never by its answer). */
async function shownQuestion(page: Page): Promise<PackQuestion> {
  const id = await page.getByTestId('pr-attempt').locator('fieldset[data-question-id]').getAttribute('data-question-id')
  const q = pack.pressureRoom.pool.find((candidate) => candidate.id === id)
  if (!q) throw new Error(`no pool question with id ${id}`)
  return q
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
  // Each question is checked on its own, by the core.
  for (const question of firstLesson.quiz) {
    const scope = page.getByTestId(`quiz-question-${question.id}`)
    await answerByKeyboard(page, scope, question)
    await checkByKeyboard(page, scope, true)
  }
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
  const total = pack.pressureRoom.draw
  for (let i = 1; i <= total; i++) {
    await expect(page.getByText(`Question ${i} of ${total}`)).toBeVisible()
    const attempt = page.getByTestId('pr-attempt')
    await answerByKeyboard(page, attempt, await shownQuestion(page))
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
  // Past the time limit (and the half minute of grace the submission may take).
  await timed.clock.fastForward((pack.pressureRoom.timeLimitSeconds + 30) * 1000)
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
