/**
 * Answering exercises in the real UI the way a keyboard user does: Tab to a control, then Space,
 * Enter, arrow keys or typing. No mouse anywhere. The right answer comes from the pack's JSON (the
 * page never holds it), so a test can answer right or deliberately wrong.
 */
import { readFileSync } from 'node:fs'
import { expect, type Locator, type Page } from '@playwright/test'

type Choice = string | { text: string; feedback?: string }
export type PackQuestion = { id: string; prompt: string; explanation: string } & (
  | { kind: 'single'; choices: Choice[]; answer: number }
  | { kind: 'multiple'; choices: Choice[]; answers: number[] }
  | { kind: 'truefalse'; answer: boolean }
  | { kind: 'numeric'; answer: number; unit?: string }
  | { kind: 'text'; accepted: string[] }
  | { kind: 'order'; items: string[] }
  | { kind: 'match'; pairs: { left: string; right: string }[] }
  | { kind: 'blanks'; blanks: string[][] }
  | { kind: 'sql'; reference: string; starter?: string }
)

export interface Pack {
  id: string
  title: string
  lessons: { id: string; title: string; quiz: PackQuestion[] }[]
  pressureRoom: { timeLimitSeconds: number; draw: number; pool: PackQuestion[] }
}

/** A format-2 course.json; a format-1 question (no kind) reads as single choice, as the core reads it. */
export function readPack(courseJson: URL): Pack {
  const pack = JSON.parse(readFileSync(courseJson, 'utf8')) as Pack & { pressureRoom: { questions?: PackQuestion[] } }
  const withKind = (q: PackQuestion): PackQuestion => ({ ...q, kind: q.kind ?? 'single' }) as PackQuestion
  const pool = pack.pressureRoom.pool ?? pack.pressureRoom.questions ?? []
  return {
    ...pack,
    lessons: pack.lessons.map((l) => ({ ...l, quiz: l.quiz.map(withKind) })),
    pressureRoom: { timeLimitSeconds: pack.pressureRoom.timeLimitSeconds, draw: pack.pressureRoom.draw ?? pool.length, pool: pool.map(withKind) },
  }
}

/** Text as the page shows it: `code` spans lose their backticks. */
export const shown = (text: string) => text.replaceAll('`', '')
const choiceText = (c: Choice) => shown(typeof c === 'string' ? c : c.text)

// What the functions run in the page use of it (this file is compiled without the DOM library).
declare const document: { activeElement: unknown; body: unknown }
type InPage = { compareDocumentPosition(other: unknown): number }
const FOLLOWING = 4 // Node.DOCUMENT_POSITION_FOLLOWING

/** Whether one of the elements `target` matches has the focus. */
const holdsFocus = (target: Locator) => target.evaluateAll((els) => els.some((el) => el === document.activeElement))
/** Whether `target` (its first match) comes before the focused element in the page. */
const isBehind = (target: Locator) =>
  target.first().evaluate((el, following) => {
    const active = document.activeElement
    return active !== null && active !== document.body && ((el as unknown as InPage).compareDocumentPosition(active) & following) !== 0
  }, FOLLOWING)

/**
 * Presses Tab (Shift+Tab when the target lies behind the focus) until an element `target` matches has
 * the focus; fails when none is reachable within `max` presses.
 */
export async function tabTo(page: Page, target: Locator, max = 200): Promise<void> {
  await expect(target.first()).toBeVisible()
  const key = (await isBehind(target)) ? 'Shift+Tab' : 'Tab'
  for (let i = 0; i < max; i++) {
    if (await holdsFocus(target)) return
    await page.keyboard.press(key)
  }
  throw new Error(`could not reach ${target.toString()} with ${key} in ${max} presses`)
}

async function pickRadio(page: Page, scope: Locator, label: string): Promise<void> {
  const radios = scope.getByRole('radio')
  const target = scope.getByRole('radio', { name: label, exact: true })
  // Tab enters a radio group on its checked radio (or the first one): Space checks it, ArrowDown
  // moves to (and checks) the next one, round the group.
  await tabTo(page, radios)
  await page.keyboard.press('Space')
  for (let i = 0; i < 8 && !(await target.isChecked()); i++) await page.keyboard.press('ArrowDown')
  await expect(target).toBeChecked()
}

async function typeInto(page: Page, target: Locator, text: string): Promise<void> {
  await tabTo(page, target)
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.type(text)
  await expect(target).toHaveValue(text)
}

async function moveInto(page: Page, scope: Locator, order: string[]): Promise<void> {
  const itemTexts = () => scope.locator('.ex-order-text').allInnerTexts()
  for (let position = 0; position < order.length; position++) {
    const item = order[position] as string
    let at = (await itemTexts()).indexOf(item)
    if (at < 0) throw new Error(`no item "${item}"`)
    if (at === position) continue
    const up = scope.getByRole('button', { name: `Move “${item}” up` })
    await tabTo(page, up)
    // The moved item's button keeps the focus, so Enter can be pressed again at once.
    while (at > position) {
      await page.keyboard.press('Enter')
      at--
      await expect.poll(async () => (await itemTexts()).indexOf(item)).toBe(at)
    }
  }
  expect(await itemTexts()).toEqual(order)
}

async function selectByKeyboard(page: Page, select: Locator, optionText: string): Promise<void> {
  await tabTo(page, select)
  const selectedText = async () => (await select.locator('option:checked').textContent()) ?? ''
  // On a closed select, the arrow keys change the choice; wrap back to the top once if needed.
  for (let i = 0; i < 12 && (await selectedText()) !== optionText; i++) await page.keyboard.press(i < 6 ? 'ArrowDown' : 'ArrowUp')
  expect(await selectedText()).toBe(optionText)
}

/** Answers `q` (shown inside `scope`) by keyboard: right, or with `wrong`, deliberately wrong. */
export async function answerByKeyboard(page: Page, scope: Locator, q: PackQuestion, wrong = false): Promise<void> {
  switch (q.kind) {
    case 'single':
      return pickRadio(page, scope, choiceText(q.choices[wrong ? (q.answer + 1) % q.choices.length : q.answer] as Choice))
    case 'multiple': {
      const wanted = new Set(q.answers)
      // Wrong: also tick the first option that does not belong.
      if (wrong) wanted.add(q.choices.findIndex((_, i) => !q.answers.includes(i)))
      for (const [i, choice] of q.choices.entries()) {
        const box = scope.getByRole('checkbox', { name: choiceText(choice), exact: true })
        if ((await box.isChecked()) === wanted.has(i)) continue
        await tabTo(page, box)
        await page.keyboard.press('Space')
        await expect(box).toBeChecked({ checked: wanted.has(i) })
      }
      return
    }
    case 'truefalse':
      return pickRadio(page, scope, q.answer !== wrong ? 'True' : 'False')
    case 'numeric':
      return typeInto(page, scope.getByRole('textbox', { name: 'Your number' }), wrong ? String(q.answer + 2) : String(q.answer))
    case 'text':
      return typeInto(page, scope.getByRole('textbox', { name: 'Your answer' }), wrong ? 'UNIQUE' : (q.accepted[0] as string))
    case 'order': {
      const right = q.items.map(shown)
      return moveInto(page, scope, wrong ? [right[1] as string, right[0] as string, ...right.slice(2)] : right)
    }
    case 'match':
      for (const [i, pair] of q.pairs.entries()) {
        // Wrong: the first left gets the second pair's right side.
        const right = wrong && i === 0 ? (q.pairs[1] as { right: string }).right : pair.right
        await selectByKeyboard(page, scope.getByRole('combobox', { name: shown(pair.left), exact: true }), shown(right))
      }
      return
    case 'blanks':
      for (const [i, accepted] of q.blanks.entries()) {
        await typeInto(page, scope.getByRole('textbox', { name: `Blank ${i + 1}`, exact: true }), wrong && i === 0 ? 'PICK' : (accepted[0] as string))
      }
      return
    case 'sql':
      // Wrong: the right rows without the order asked for.
      return typeInto(page, scope.getByRole('textbox', { name: 'Your query' }), wrong ? 'SELECT title FROM books;' : q.reference)
  }
}

/** Checks the lesson question in `scope` by keyboard and waits for its verdict. */
export async function checkByKeyboard(page: Page, scope: Locator, expectRight: boolean): Promise<void> {
  await tabTo(page, scope.getByRole('button', { name: 'Check answer' }))
  await page.keyboard.press('Enter')
  await expect(scope.locator('.learn-verdict')).toContainText(expectRight ? 'Right' : 'Not quite')
}
