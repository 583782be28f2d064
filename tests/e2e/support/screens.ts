/** Screenshots of the screens a test walks through, saved as test-results/screens/<name>.png and attached. */
import { mkdirSync } from 'node:fs'
import { test, type Page } from '@playwright/test'

export const SHOTS = 'test-results/screens'

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  const path = `${SHOTS}/${name}.png`
  await page.screenshot({ path, fullPage: true })
  await test.info().attach(name, { path, contentType: 'image/png' })
}
