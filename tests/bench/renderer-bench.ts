/**
 * Renderer figures: the built JS gzipped, and the time from navigation to the dashboard showing a heavy
 * learner's stats in Chromium through the loopback host (median of 5).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium } from '@playwright/test'
import { openCore } from '../../electron/core/core'
import { newDataDir, startHost } from '../e2e/support/host'
import { COURSES_DIR, MIGRATIONS_DIR, ROOT } from '../helpers/paths'
import { benchCatalog, seedHeavyLearner } from './heavy-learner'
import { percentile, round, type BenchResult } from './measure'

const RUNS = 5
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p))

function rendererGzipBytes(): number {
  const assets = join(ROOT, 'out/renderer/assets')
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0)
}

export async function benchRenderer(): Promise<BenchResult[]> {
  execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' })
  const results: BenchResult[] = [{ name: 'renderer JS gzipped', value: round(rendererGzipBytes() / 1024, 1), unit: 'kB' }]

  const dataDir = await newDataDir()
  const core = await openCore({ dataDir, coursesDir: COURSES_DIR, catalog: benchCatalog(), migrationsDir: MIGRATIONS_DIR, timezone: 'UTC' })
  await seedHeavyLearner(core, Math.floor(Date.now() / 1000))
  const xp = (await core.services.stats.get()).xp
  core.close()

  const host = await startHost(dataDir)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  try {
    const times: number[] = []
    for (let i = 0; i < RUNS + 1; i++) {
      const page = await browser.newPage()
      const start = performance.now()
      await page.goto(host.url)
      await page.getByTestId('stat-xp').filter({ hasText: xp.toLocaleString('en-US') }).or(page.getByTestId('stat-xp').filter({ hasText: String(xp) })).first().waitFor()
      const elapsed = performance.now() - start
      if (i > 0) times.push(elapsed) // the first load warms the host's caches
      await page.close()
    }
    times.sort((a, b) => a - b)
    results.push({ name: 'dashboard with heavy learner stats (median of 5)', value: round(percentile(times, 50), 1), unit: 'ms' })
    results.push({ name: 'heavy learner XP shown', value: xp, unit: 'xp' })
  } finally {
    await browser.close()
    await host.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
  return results
}
