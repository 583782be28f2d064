/**
 * The real Electron app: preload bridge, IPC, sender checks and the real window. It runs where the
 * Electron binary is installed and is reported as skipped (with the reason) where it is not.
 */
import { _electron as electron, expect, test } from '@playwright/test'
import { fileURLToPath } from 'node:url'
import { newDataDir } from './support/host'
import { electronBinary } from './support/electron-binary'

const binary = electronBinary()
const APP_DIR = fileURLToPath(new URL('../../', import.meta.url))

const SKIP_REASON = 'Electron binary not installed here (node_modules/electron has no dist/); the real-app test runs where it is'
if (binary === null) console.warn(`[e2e] SKIPPED the Electron app test: ${SKIP_REASON}`)
test.skip(binary === null, SKIP_REASON)

test('the Electron app completes a lesson through the preload bridge', async () => {
  const dataDir = await newDataDir()
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), APP_DIR],
    env: { ...process.env, PATHWISE_DATA_DIR: dataDir },
  })
  try {
    const window = await app.firstWindow()
    await expect(window.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
    // The page sees the contract and nothing of Node.
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined')
    expect(await window.evaluate(() => Object.keys((window as unknown as { api: object }).api).length)).toBeGreaterThan(10)

    await window.getByRole('link', { name: 'Courses' }).click()
    await window.getByRole('link', { name: 'SQL Fundamentals' }).click()
    await window.getByRole('button', { name: 'Enroll' }).click()
    await window.getByRole('list').getByRole('link').first().click()
    await window.getByRole('button', { name: 'Mark complete' }).click()
    await expect(window.getByRole('button', { name: 'Completed' })).toBeDisabled()
    await window.getByRole('link', { name: 'Dashboard' }).click()
    await expect(window.getByTestId('stat-xp')).toContainText(/\d+/)
  } finally {
    await app.close()
  }
})
