/**
 * The real Electron app, through a learner's desktop day: the app:// page and the preload bridge, a
 * lesson completed, a quit and a restart that keep progress, streak and the window's place, a sign-in
 * link from the email (handed over by a second instance on Linux and Windows, by open-url on macOS),
 * "Export my data" through the native save dialog, and the security rules (no navigation away, no new
 * windows, no IPC from another window).
 *
 * It runs where the Electron binary is installed (`npx install-electron`). Where it is not, the tests
 * are skipped with the reason printed, unless PATHWISE_REQUIRE_ELECTRON=1 (the hosted CI's runners),
 * which turns the missing binary into a failure.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { systemClock } from '../../electron/core/clock'
import type { PathwiseExport } from '../../electron/core/contract/types'
import { openDevice, type Device } from '../helpers/devices'
import { latestMail, startServer, type TestServer } from '../helpers/server'
import { XP } from '../helpers/xp-model'
import { newDataDir } from './support/host'
import { electronBinary } from './support/electron-binary'

const binary = electronBinary()
const REQUIRED = process.env.PATHWISE_REQUIRE_ELECTRON === '1'
const APP_DIR = fileURLToPath(new URL('../../', import.meta.url))
const PRELOAD = join(APP_DIR, 'out', 'preload', 'index.cjs')
// Chromium refuses its sandbox as root (containers, CI); the app's own renderer sandbox stays on.
const SANDBOX_ARGS = process.getuid?.() === 0 ? ['--no-sandbox'] : []
const EMAIL = 'link-learner@example.com'
/** The engine's 3 s debounce, a 2 s status poll and a slow machine. */
const SYNC_TIMEOUT = 30_000

const SKIP_REASON = 'Electron binary not installed here (node_modules/electron has no dist/; `npx install-electron` fetches it); the real-app tests run where it is'

if (binary === null && REQUIRED) {
  test('the Electron binary is installed (PATHWISE_REQUIRE_ELECTRON=1)', () => {
    throw new Error(`PATHWISE_REQUIRE_ELECTRON=1 but ${SKIP_REASON}. Run \`npx install-electron\` before the tests.`)
  })
} else if (binary === null) {
  console.warn(`[e2e] SKIPPED the Electron app tests: ${SKIP_REASON}`)
}

/** This process's environment (display, locale, …) with `env` on top. */
function childEnv(env: Record<string, string>): Record<string, string> {
  const merged = { ...process.env, ...env }
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

function launch(env: Record<string, string>): Promise<ElectronApplication> {
  return electron.launch({ executablePath: binary ?? undefined, args: [...SANDBOX_ARGS, APP_DIR], env: childEnv(env) })
}

/** The main window, once its page shows the dashboard. */
async function dashboard(app: ElectronApplication): Promise<Page> {
  const page = await app.firstWindow()
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
  return page
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

/**
 * How a sign-in link reaches the running app on this OS: a second instance with the link in its
 * command line (Linux, Windows), or the open-url event macOS sends to the running app (emitted here
 * as the OS would; a real `open pathwise://…` needs the app registered with Launch Services, which
 * only an installed app is).
 */
async function deliverLink(app: ElectronApplication, link: string, env: Record<string, string>): Promise<void> {
  if (process.platform === 'darwin') {
    await app.evaluate(({ app: electronApp }, url) => {
      electronApp.emit('open-url', { preventDefault: () => undefined }, url)
    }, link)
    return
  }
  expect(await openLinkLikeTheOs(link, env)).toBe(0)
}

/** What completeFirstLesson earns, from the XP table: the lesson, Curious Mind and First Step (as journey.spec.ts shows in a browser). */
const XP_AFTER_FIRST_LESSON = XP.courseEnrolled + XP.lessonCompleted + 2 * XP.badgeEarned

/** The figure a dashboard stat card shows. */
const statValue = (page: Page, id: string) => page.getByTestId(id).locator('.stat-value')

async function completeFirstLesson(page: Page) {
  await page.getByRole('link', { name: 'Courses' }).click()
  await page.getByRole('link', { name: 'SQL Fundamentals' }).click()
  await page.getByRole('button', { name: 'Enroll' }).click()
  await page.getByRole('list').getByRole('link').first().click()
  await page.getByRole('button', { name: 'Mark complete' }).click()
  await expect(page.getByRole('button', { name: 'Completed' })).toBeDisabled()
}

/** What the page's own globals look like, for code that runs in the page (page.evaluate). */
interface PageGlobals {
  location: { href: string; origin: string }
  open(url: string): unknown
  api: Record<string, (input?: unknown) => Promise<{ ok: boolean }>>
  probe?: () => Promise<unknown>
  require?: unknown
  process?: unknown
}

interface Bounds {
  x: number
  y: number
  width: number
  height: number
}

function mainWindowBounds(app: ElectronApplication): Promise<Bounds> {
  return app.evaluate(({ BrowserWindow }) => {
    const [window] = BrowserWindow.getAllWindows()
    if (!window) throw new Error('no window')
    return window.getNormalBounds()
  })
}

test.describe('the real app', () => {
  test.skip(binary === null, SKIP_REASON)

  test('first start shows the dashboard from app://pathwise, and a lesson is completed through the preload bridge', async () => {
    const app = await launch({ PATHWISE_DATA_DIR: await newDataDir() })
    try {
      const page = await dashboard(app)
      // The built page comes from the app's own protocol, never from a file: URL.
      expect(page.url()).toMatch(/^app:\/\/pathwise\/index\.html(?:#.*)?$/)
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).location.origin)).toBe('app://pathwise')
      // The page sees the contract and nothing of Node.
      expect(await page.evaluate(() => typeof (globalThis as unknown as PageGlobals).require)).toBe('undefined')
      expect(await page.evaluate(() => typeof (globalThis as unknown as PageGlobals).process)).toBe('undefined')
      expect(await page.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).api).length)).toBeGreaterThan(10)
      // Files outside the renderer folder are not served.
      expect(await page.evaluate(async () => (await fetch('app://pathwise/../../package.json')).status)).toBe(404)

      await completeFirstLesson(page)
      await page.getByRole('link', { name: 'Dashboard' }).click()
      await expect(statValue(page, 'stat-lessons')).toHaveText('1')
      await expect(statValue(page, 'stat-xp')).toHaveText(String(XP_AFTER_FIRST_LESSON))
    } finally {
      await app.close()
    }
  })

  test('quit and start again on the same data folder: progress, streak and the window kept', async () => {
    const env = { PATHWISE_DATA_DIR: await newDataDir() }
    const first = await launch(env)
    let before: Bounds
    try {
      const page = await dashboard(first)
      await completeFirstLesson(page)
      await page.getByRole('link', { name: 'Dashboard' }).click()
      await expect(statValue(page, 'stat-streak')).toHaveText('1 day')
      await expect(statValue(page, 'stat-xp')).toHaveText(String(XP_AFTER_FIRST_LESSON))
      // Fits the smallest hosted runner's screen (1024×768) and the window's minimum size.
      await first.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.setBounds({ x: 64, y: 96, width: 900, height: 640 }))
      // What the window manager actually gave the window is what must come back.
      await expect.poll(async () => (await mainWindowBounds(first)).width).toBe(900)
      before = await mainWindowBounds(first)
    } finally {
      await first.close()
    }

    const second = await launch(env)
    try {
      const page = await dashboard(second)
      await expect(statValue(page, 'stat-lessons')).toHaveText('1')
      await expect(statValue(page, 'stat-streak')).toHaveText('1 day')
      await expect(statValue(page, 'stat-xp')).toHaveText(String(XP_AFTER_FIRST_LESSON))
      const after = await mainWindowBounds(second)
      for (const side of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(after[side] - before[side]), side).toBeLessThanOrEqual(2)
    } finally {
      await second.close()
    }
  })

  test('"Export my data" goes through the native save dialog and writes the export document', async () => {
    const dataDir = await newDataDir()
    const folder = await mkdtemp(join(tmpdir(), 'pathwise-export-'))
    const target = join(folder, 'my pathwise export.json')
    const app = await launch({ PATHWISE_DATA_DIR: dataDir })
    try {
      const page = await dashboard(app)
      await completeFirstLesson(page)
      // The dialog is the OS's; the test answers it as a learner choosing a file would.
      await app.evaluate(({ dialog }, filePath) => {
        const asked: unknown[] = []
        ;(globalThis as unknown as { savesAsked: unknown[] }).savesAsked = asked
        dialog.showSaveDialog = (async (...args: unknown[]) => {
          asked.push(args.at(-1))
          return { canceled: false, filePath }
        }) as typeof dialog.showSaveDialog
      }, target)
      await page.getByRole('link', { name: 'Settings' }).click()
      await page.getByRole('button', { name: 'Export my data' }).click()
      await expect(page.getByText('Your data is exported')).toBeVisible()
      await expect(page.getByText('Saved as my pathwise export.json.')).toBeVisible()

      const asked = await app.evaluate(() => (globalThis as unknown as { savesAsked: Array<{ defaultPath?: string }> }).savesAsked)
      expect(asked).toHaveLength(1)
      expect(asked[0]?.defaultPath).toMatch(/pathwise-export.*\.json$/)
      const exported = JSON.parse(await readFile(target, 'utf8')) as PathwiseExport
      expect(exported.format).toBe('pathwise-export')
      expect(exported.enrollments.map((e) => e.courseId)).toHaveLength(1)
      // Written atomically: the temporary file is gone and nothing else was left in the folder.
      expect(await readdir(folder)).toEqual(['my pathwise export.json'])

      // A cancelled dialog writes nothing and announces nothing.
      await app.evaluate(({ dialog }) => {
        const asked = (globalThis as unknown as { savesAsked: unknown[] }).savesAsked
        dialog.showSaveDialog = (async (...args: unknown[]) => {
          asked.push(args.at(-1))
          return { canceled: true, filePath: '' }
        }) as typeof dialog.showSaveDialog
      })
      await page.getByRole('button', { name: 'Export my data' }).click()
      await expect.poll(() => app.evaluate(() => (globalThis as unknown as { savesAsked: unknown[] }).savesAsked.length)).toBe(2)
      await expect(page.getByRole('button', { name: 'Export my data' })).toBeEnabled()
      expect(await readdir(folder)).toEqual(['my pathwise export.json'])
      // At most the first export's toast (it may have timed out by now), never a second one.
      expect(await page.getByText('Saved as', { exact: false }).count()).toBeLessThanOrEqual(1)
    } finally {
      await app.close()
    }
  })

  test('the window never navigates away, opens no window, and another window cannot call IPC', async () => {
    const app = await launch({ PATHWISE_DATA_DIR: await newDataDir() })
    try {
      const page = await dashboard(app)
      const home = page.url()
      // Links the app hands to the learner's browser are recorded instead of opened.
      await app.evaluate(({ shell }) => {
        const opened: string[] = []
        ;(globalThis as unknown as { opened: string[] }).opened = opened
        shell.openExternal = async (url: string) => {
          opened.push(url)
        }
      })
      const opened = () => app.evaluate(() => (globalThis as unknown as { opened: string[] }).opened)

      await page.evaluate(() => {
        ;(globalThis as unknown as PageGlobals).location.href = 'https://example.com/elsewhere'
      })
      await expect.poll(opened).toEqual(['https://example.com/elsewhere'])
      await page.evaluate(() => {
        ;(globalThis as unknown as PageGlobals).location.href = 'file:///etc/hosts'
      })
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com/popup'))).toBeNull()
      await expect.poll(opened).toEqual(['https://example.com/elsewhere', 'https://example.com/popup'])
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).open('app://pathwise/index.html'))).toBeNull()
      expect(page.url()).toBe(home)
      await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)

      // A second window showing the very same page, with the app's own preload and with one that
      // calls IPC directly: the main process answers neither.
      const probeDir = await mkdtemp(join(tmpdir(), 'pathwise-probe-'))
      const probe = join(probeDir, 'probe.cjs')
      await writeFile(probe, "const { contextBridge, ipcRenderer } = require('electron')\ncontextBridge.exposeInMainWorld('probe', () => ipcRenderer.invoke('profile.get'))\n")
      const windows = await app.evaluate(async ({ BrowserWindow }, preloads) => {
        const answers: Array<{ url: string; preload: string }> = []
        for (const preload of preloads) {
          const other = new BrowserWindow({ show: false, webPreferences: { preload, sandbox: true, contextIsolation: true } })
          await other.loadURL('app://pathwise/index.html')
          answers.push({ url: other.webContents.getURL(), preload })
        }
        return answers
      }, [PRELOAD, probe])
      expect(windows.map((w) => w.url)).toEqual(['app://pathwise/index.html', 'app://pathwise/index.html'])
      await expect.poll(() => app.windows().length).toBe(3)
      const others = app.windows().filter((other) => other !== page)
      const hasProbe = await Promise.all(others.map((other) => other.evaluate(() => typeof (globalThis as unknown as PageGlobals).probe === 'function')))
      const withProbe = others[hasProbe.indexOf(true)]
      const withAppPreload = others[hasProbe.indexOf(false)]
      expect(await withAppPreload?.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).api))).toEqual([])
      expect(await withProbe?.evaluate(() => (globalThis as unknown as PageGlobals).probe?.())).toEqual({
        ok: false,
        error: { code: 'UNAUTHORIZED', message: 'Calls are only accepted from the Pathwise window.' },
      })
      // The main window still can.
      expect(await page.evaluate(async () => (await (globalThis as unknown as PageGlobals).api['profile.get']?.())?.ok)).toBe(true)
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
        const page = await dashboard(app)

        // Ask for a code the way the Sign in screen does; the email carries the link next to the code,
        // with the nonce this app made for it.
        expect(await page.evaluate((email) => (globalThis as unknown as PageGlobals).api['auth.start']?.({ email }), EMAIL)).toEqual({
          ok: true,
          value: { sent: true },
        })
        const mail = await latestMail(server, EMAIL)
        const link = /pathwise:\/\/auth\/verify\?\S+/.exec(mail)?.[0]
        expect(link).toMatch(/[?&]nonce=[A-Za-z0-9_-]{22,64}(&|$)/)
        const code = /code=(\d{6})/.exec(link as string)?.[1] as string

        // The same link without its nonce (as someone else's link would be) is refused before the server is asked.
        const withoutNonce = (link as string).replace(/&nonce=[^&]*/, '')
        expect(withoutNonce).not.toContain('nonce')
        await deliverLink(app, withoutNonce, env)
        await expect(page.locator('.toast').filter({ hasText: 'This sign-in link was not requested on this computer.' })).toBeVisible()

        // A link with another code is refused, and the learner is told.
        const wrong = (link as string).replace(/code=\d{6}/, `code=${String((Number(code) + 1) % 1_000_000).padStart(6, '0')}`)
        await deliverLink(app, wrong, env)
        await expect(
          page.locator('.toast').filter({ hasText: 'The sign-in link did not work' }).filter({ hasNotText: 'not requested on this computer' }),
        ).toBeVisible()

        // The real link signs in and opens the Account screen, which asks before anything is synced.
        await deliverLink(app, link as string, env)
        await expect(page.getByText('You are signed in', { exact: true })).toBeVisible()
        await expect(page.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible()
        await expect(page.getByTestId('account-confirm-question')).toHaveText(`You are signed in as ${EMAIL}. Add this computer's progress to this account?`)
        await page.getByRole('button', { name: 'Yes, sync', exact: true }).click()
        await expect(page.getByTestId('account-signed-in')).toContainText(`Signed in as ${EMAIL}`)

        // Learn in the app; it syncs by itself.
        await completeFirstLesson(page)
        await expect(page.getByTestId('sync-status')).toHaveText(/^Up to date · /, { timeout: SYNC_TIMEOUT })
        await expect(page.getByTestId('sync-status')).not.toContainText('waiting', { timeout: SYNC_TIMEOUT })

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
})
