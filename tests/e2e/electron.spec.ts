/**
 * The real Electron app: preload bridge, IPC, sender checks, the app:// page, the real window, and a
 * sign-in link handed over by a second instance, as the operating system does on Linux and Windows.
 * It runs where the Electron binary is installed and is reported as skipped (with the reason) where
 * it is not.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { systemClock } from '../../electron/core/clock'
import { openDevice, type Device } from '../helpers/devices'
import { latestMail, startServer, type TestServer } from '../helpers/server'
import { newDataDir } from './support/host'
import { electronBinary } from './support/electron-binary'

const binary = electronBinary()
const APP_DIR = fileURLToPath(new URL('../../', import.meta.url))
// Chromium refuses its sandbox as root (containers, CI); the app's own renderer sandbox stays on.
const SANDBOX_ARGS = process.getuid?.() === 0 ? ['--no-sandbox'] : []
const EMAIL = 'link-learner@example.com'
/** The engine's 3 s debounce, a 2 s status poll and a slow machine. */
const SYNC_TIMEOUT = 30_000

const SKIP_REASON = 'Electron binary not installed here (node_modules/electron has no dist/); the real-app test runs where it is'
if (binary === null) console.warn(`[e2e] SKIPPED the Electron app test: ${SKIP_REASON}`)
test.skip(binary === null, SKIP_REASON)

/** This process's environment (display, locale, …) with `env` on top. */
function childEnv(env: Record<string, string>): Record<string, string> {
  const merged = { ...process.env, ...env }
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

function launch(env: Record<string, string>): Promise<ElectronApplication> {
  return electron.launch({ executablePath: binary ?? undefined, args: [...SANDBOX_ARGS, APP_DIR], env: childEnv(env) })
}

/**
 * What the OS does with a pathwise: link on Linux and Windows: start Pathwise with the link as an
 * argument. The running instance holds the lock, so this one hands its command line over and quits.
 */
function openLinkLikeTheOs(link: string, env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary as string, [...SANDBOX_ARGS, APP_DIR, link], { env: childEnv(env), stdio: 'ignore' })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error('the second instance did not quit'))
    }, 20_000)
    child.once('error', reject)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
}

async function completeFirstLesson(window: Page) {
  await window.getByRole('link', { name: 'Courses' }).click()
  await window.getByRole('link', { name: 'SQL Fundamentals' }).click()
  await window.getByRole('button', { name: 'Enroll' }).click()
  await window.getByRole('list').getByRole('link').first().click()
  await window.getByRole('button', { name: 'Mark complete' }).click()
  await expect(window.getByRole('button', { name: 'Completed' })).toBeDisabled()
}

test('the Electron app completes a lesson through the preload bridge', async () => {
  const app = await launch({ PATHWISE_DATA_DIR: await newDataDir() })
  try {
    const window = await app.firstWindow()
    await expect(window.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
    // The built page comes from the app's own protocol, never from a file: URL.
    expect(window.url()).toMatch(/^app:\/\/pathwise\/index\.html(?:#.*)?$/)
    expect(await window.evaluate(() => (globalThis as unknown as { location: { origin: string } }).location.origin)).toBe('app://pathwise')
    // The page sees the contract and nothing of Node.
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined')
    expect(await window.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined')
    expect(await window.evaluate(() => Object.keys((window as unknown as { api: object }).api).length)).toBeGreaterThan(10)
    // Files outside the renderer folder are not served.
    expect(await window.evaluate(async () => (await fetch('app://pathwise/../../package.json')).status)).toBe(404)

    await completeFirstLesson(window)
    await window.getByRole('link', { name: 'Dashboard' }).click()
    await expect(window.getByTestId('stat-xp')).toContainText(/\d+/)
  } finally {
    await app.close()
  }
})

test.describe('sign-in link', () => {
  let server: TestServer | undefined
  let device: Device | undefined

  test.afterEach(async () => {
    device?.close()
    device = undefined
    await server?.stop()
    server = undefined
  })

  test('a sign-in link from the email signs the app in, and a lesson completed there reaches the server', async () => {
    server = await startServer({ env: { RATE_LIMIT_PER_IP: '1000' } })
    const env = { PATHWISE_DATA_DIR: await newDataDir(), PATHWISE_SYNC_URL: server.url }
    const app = await launch(env)
    try {
      const window = await app.firstWindow()
      await expect(window.getByRole('heading', { name: 'Dashboard' })).toBeVisible()

      // Ask for a code the way the Sign in screen does; the email carries the link next to the code.
      expect(await window.evaluate((email) => (window as unknown as { api: Record<string, (input: unknown) => Promise<unknown>> }).api['auth.start']?.({ email }), EMAIL)).toEqual({
        ok: true,
        value: { sent: true },
      })
      const mail = await latestMail(server, EMAIL)
      const link = /pathwise:\/\/auth\/verify\?\S+/.exec(mail)?.[0]
      expect(link).toBeDefined()
      const code = /code=(\d{6})/.exec(link as string)?.[1] as string

      // A link with another code is refused, and the learner is told.
      const wrong = (link as string).replace(/code=\d{6}/, `code=${String((Number(code) + 1) % 1_000_000).padStart(6, '0')}`)
      expect(await openLinkLikeTheOs(wrong, env)).toBe(0)
      await expect(window.getByText('The sign-in link did not work')).toBeVisible()

      // The real link signs in and opens the Account screen.
      expect(await openLinkLikeTheOs(link as string, env)).toBe(0)
      await expect(window.getByText('You are signed in')).toBeVisible()
      await expect(window.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible()
      await expect(window.getByTestId('account-signed-in')).toContainText(`Signed in as ${EMAIL}`)

      // Learn in the app; it syncs by itself.
      await completeFirstLesson(window)
      await expect(window.getByTestId('sync-status')).toHaveText(/^Up to date · /, { timeout: SYNC_TIMEOUT })
      await expect(window.getByTestId('sync-status')).not.toContainText('waiting', { timeout: SYNC_TIMEOUT })

      // The server has it: another computer signed in to the same account pulls the lesson.
      const other = await openDevice(server, systemClock)
      device = other
      await other.signIn(EMAIL)
      await expect
        .poll(
          async () => {
            await other.sync()
            return (await other.core.services.stats.get()).lessonsCompleted
          },
          { timeout: SYNC_TIMEOUT },
        )
        .toBe(1)
    } finally {
      await app.close()
    }
  })
})
