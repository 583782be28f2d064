#!/usr/bin/env node
// The whole test suite: typecheck, lint, vitest (unit + integration) and, when present, Playwright.
// Ends with one totals line over every runner: `N passed, N failed[, N skipped]`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'

const tmp = '.tmp'
mkdirSync(tmp, { recursive: true })
const totals = { passed: 0, failed: 0, skipped: 0 }
let ok = true

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`)
  // npx is npx.cmd on Windows, which only a shell finds.
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env }, shell: process.platform === 'win32' })
  if (result.status !== 0) ok = false
  return result.status === 0
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

if (!run('typecheck', 'npx', ['tsc', '-b'])) totals.failed++
if (!run('lint', 'npx', ['eslint', '.', '--max-warnings=0'])) totals.failed++

run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${tmp}/vitest.json`])
const vitest = readJson(`${tmp}/vitest.json`)
if (vitest) {
  totals.passed += vitest.numPassedTests
  totals.failed += vitest.numFailedTests
  totals.skipped += vitest.numPendingTests + vitest.numTodoTests
} else {
  console.error('vitest produced no report')
  totals.failed++
}

const hasE2e = existsSync('tests/e2e') && readdirSync('tests/e2e').some((f) => f.endsWith('.spec.ts'))
if (hasE2e) {
  run('playwright', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: `${tmp}/playwright.json` })
  const pw = readJson(`${tmp}/playwright.json`)
  if (pw?.stats) {
    totals.passed += pw.stats.expected + pw.stats.flaky
    totals.failed += pw.stats.unexpected
    totals.skipped += pw.stats.skipped
  } else {
    console.error('playwright produced no report')
    totals.failed++
  }
}

console.log('')
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`)
process.exit(ok && totals.failed === 0 ? 0 : 1)
