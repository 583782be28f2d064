/**
 * Runs the Git scenarios of a lesson in scratch repositories and reports what each command block
 * printed. The Markdown convention it reads is documented in tests/content/README.md ("Git
 * scenarios"); in short:
 *
 * - ```bash scenario=NAME [setup=FIXTURE] [exit=N]  commands, run in order, one scratch home per
 *   scenario; a ```text block directly after holds the expected output.
 * - ```bash norun                                    shown, never run (needs a real host or a prompt).
 * - ```text scenario=NAME file=PATH                  the learner edits PATH to hold this text.
 * - ```text scenario=NAME editor                     what the learner saves the next time Git opens an editor.
 *
 * Everything is deterministic: a fixed ~/.gitconfig, author dates that advance one minute per
 * commit-making command, and "https://" URLs rewritten to local bare repositories, so no command
 * reaches the network and the hashes a lesson prints are the real ones.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, mkdir, readFile, realpath, rm, writeFile, chmod } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { promisify } from 'node:util'
import { fromMarkdown } from 'mdast-util-from-markdown'
import type { Code, Nodes } from 'mdast'

const run = promisify(execFile)

/** One step of a scenario, in document order. */
export type ScenarioStep =
  | {
      kind: 'commands'
      line: number
      script: string
      exit: number
      expected: string | undefined
      /** Where the expected-output block sits in the Markdown (start and end offsets), if there is one. */
      expectedAt: [number, number] | undefined
    }
  | { kind: 'file'; line: number; path: string; content: string }

export interface Scenario {
  name: string
  /** A fixture from the caller's table, run hidden before the first step. */
  setup: string | undefined
  steps: ScenarioStep[]
  /** Texts saved by the editor, in the order Git opens it. */
  editorTexts: string[]
}

export interface LessonGitBlocks {
  scenarios: Scenario[]
  /** ```bash norun blocks. */
  norun: number
  /** Blocks this convention cannot place: a bash block with neither scenario= nor norun, a bad attribute. */
  problems: string[]
}

interface Attributes {
  flags: Set<string>
  values: Map<string, string>
}

function parseMeta(meta: string | null | undefined): Attributes {
  const flags = new Set<string>()
  const values = new Map<string, string>()
  for (const word of (meta ?? '').split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=')
    if (eq === -1) flags.add(word)
    else values.set(word.slice(0, eq), word.slice(eq + 1))
  }
  return { flags, values }
}

/** Code blocks with the block that directly follows each (only blank lines between), in document order. */
function codeBlocks(tree: Nodes): { code: Code; next: Code | undefined }[] {
  const found: { code: Code; next: Code | undefined }[] = []
  const visit = (node: Nodes) => {
    if (!('children' in node)) return
    node.children.forEach((child, i) => {
      if (child.type === 'code') {
        const following = node.children[i + 1]
        found.push({ code: child, next: following?.type === 'code' ? following : undefined })
      }
      visit(child)
    })
  }
  visit(tree)
  return found
}

export function readGitBlocks(markdown: string): LessonGitBlocks {
  const scenarios = new Map<string, Scenario>()
  const problems: string[] = []
  let norun = 0
  const scenarioNamed = (name: string) => {
    let scenario = scenarios.get(name)
    if (!scenario) {
      scenario = { name, setup: undefined, steps: [], editorTexts: [] }
      scenarios.set(name, scenario)
    }
    return scenario
  }
  const known = new Set(['scenario', 'setup', 'exit', 'file'])
  for (const { code, next } of codeBlocks(fromMarkdown(markdown))) {
    const line = code.position?.start.line ?? 0
    const { flags, values } = parseMeta(code.meta)
    for (const key of values.keys()) if (!known.has(key)) problems.push(`line ${line}: unknown attribute "${key}"`)
    const name = values.get('scenario')
    if (code.lang === 'bash' || code.lang === 'sh' || code.lang === 'shell') {
      if (flags.has('norun')) {
        norun++
        if (name) problems.push(`line ${line}: a norun block belongs to no scenario`)
        continue
      }
      if (!name) {
        problems.push(`line ${line}: a bash block needs scenario=NAME or norun`)
        continue
      }
      if (/^\s*\$ /m.test(code.value)) problems.push(`line ${line}: command blocks hold commands only, no "$ " prompts`)
      const scenario = scenarioNamed(name)
      const setup = values.get('setup')
      if (setup) {
        if (scenario.steps.length > 0) problems.push(`line ${line}: setup= belongs on the first block of scenario "${name}"`)
        scenario.setup = setup
      }
      const exit = Number(values.get('exit') ?? '0')
      if (!Number.isInteger(exit)) problems.push(`line ${line}: exit= must be a whole number`)
      const output = next && next.lang === 'text' && !parseMeta(next.meta).values.has('scenario') ? next : undefined
      const expectedAt: [number, number] | undefined = output?.position
        ? [output.position.start.offset ?? 0, output.position.end.offset ?? 0]
        : undefined
      scenario.steps.push({ kind: 'commands', line, script: code.value, exit, expected: output?.value, expectedAt })
    } else if (code.lang === 'text' && name) {
      const scenario = scenarioNamed(name)
      const path = values.get('file')
      if (path) scenario.steps.push({ kind: 'file', line, path, content: code.value })
      else if (flags.has('editor')) scenario.editorTexts.push(code.value)
      else problems.push(`line ${line}: a text block with scenario= needs file=PATH or editor`)
    }
  }
  for (const scenario of scenarios.values())
    if (!scenario.steps.some((s) => s.kind === 'commands')) problems.push(`scenario "${scenario.name}" has no commands`)
  return { scenarios: [...scenarios.values()], norun, problems }
}

/** Words of inline code that look like hashes but are not: the SSH key type. */
const NOT_HASHES = new Set(['ed25519'])

/** Commit hashes (7 to 40 hex digits, at least one digit and one letter) a text quotes in `inline code`. */
export function quotedHashes(markdown: string): string[] {
  const found: string[] = []
  const visit = (node: Nodes) => {
    if (node.type === 'inlineCode') found.push(...(node.value.match(/\b[0-9a-f]{7,40}\b/g) ?? []).filter((h) => /[0-9]/.test(h) && /[a-f]/.test(h) && !NOT_HASHES.has(h)))
    if ('children' in node) node.children.forEach(visit)
  }
  visit(fromMarkdown(markdown))
  return found
}

/** Trailing whitespace of every line and trailing blank lines do not count. */
function lines(text: string): string[] {
  const all = text.split('\n').map((l) => l.replace(/\s+$/, ''))
  while (all.length > 0 && all[all.length - 1] === '') all.pop()
  return all
}

export const WILDCARD = '[...]'

function lineMatches(expected: string, actual: string): boolean {
  if (!expected.includes(WILDCARD)) return expected === actual
  const pattern = expected
    .split(WILDCARD)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${pattern}$`).test(actual)
}

/**
 * Exact comparison after trimming trailing whitespace; `[...]` inside a line stands for any text,
 * and a line that is only `[...]` stands for any number of lines (output the lesson leaves out).
 */
export function outputMatches(expected: string, actual: string): boolean {
  const want = lines(expected)
  const got = lines(actual)
  const memo = new Map<string, boolean>()
  const match = (i: number, j: number): boolean => {
    const key = `${i},${j}`
    const known = memo.get(key)
    if (known !== undefined) return known
    const line = want[i]
    const actual = got[j]
    let result: boolean
    if (line === undefined) result = actual === undefined
    else if (line === WILDCARD) result = match(i + 1, j) || (actual !== undefined && match(i, j + 1))
    else result = actual !== undefined && lineMatches(line, actual) && match(i + 1, j + 1)
    memo.set(key, result)
    return result
  }
  return match(0, 0)
}

/**
 * Git redraws progress lines ("Rebasing (1/2)") with carriage returns even off a terminal. Show
 * each line as a terminal leaves it: text after a carriage return overwrites the line from its start.
 */
export function asOnTerminal(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split('\r').reduce((shown, part) => part + shown.slice(part.length), ''))
    .join('\n')
}

export interface StepResult {
  line: number
  exit: number
  expectedExit: number
  /** Combined stdout and stderr, with scratch paths shown as the learner's (/home/ada, https://…). */
  output: string
  expected: string | undefined
}

/** Hidden fixtures by name: shell run in the scratch home before a scenario's first step. */
export type Fixtures = Readonly<Record<string, string>>

/** The date of the first commit: Tue Mar 12 2024 09:00:00 UTC. Each commit-making command adds a minute. */
const FIRST_COMMIT_EPOCH = 1710234000

// A `git` in front of the real one on PATH: it dates every commit-making command one minute after
// the last, so `git log` looks like real work and the hashes stay the same on every run.
const gitShim = (realGit: string) => `#!/bin/sh
sub=""
skip=0
for a in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$a" in
    -c|-C) skip=1 ;;
    -*) ;;
    *) sub="$a"; break ;;
  esac
done
read -r n < "$PW_TICKS"
case "$sub" in
  commit|merge|revert|cherry-pick|rebase|tag|stash|pull|am)
    n=$((n + 1)); echo "$n" > "$PW_TICKS" ;;
esac
t=$((${FIRST_COMMIT_EPOCH} + n * 60))
GIT_AUTHOR_DATE="@$t +0000" GIT_COMMITTER_DATE="@$t +0000" exec "${realGit}" "$@"
`

// The editor Git opens (commit messages, rebase todo lists): it saves the next queued text, or
// leaves the file as Git wrote it when nothing is queued.
const editorShim = `#!/bin/sh
next=$(ls "$PW_EDITOR_QUEUE" | head -n 1)
if [ -n "$next" ]; then cp "$PW_EDITOR_QUEUE/$next" "$1"; rm "$PW_EDITOR_QUEUE/$next"; fi
`

// log.decorate: Git shows branch names in \`git log\` only on a terminal; the lessons show what a
// learner sees there, so the scratch home asks for them always.
const gitconfig = (hosts: string) => `[user]
	name = Ada Lovelace
	email = ada@example.com
[init]
	defaultBranch = main
[log]
	decorate = short
[url "${hosts}/"]
	insteadOf = https://
`

export interface ScenarioRun {
  /** One per command block run; a block whose exit status is not the expected one ends the run. */
  steps: StepResult[]
  /** Editor blocks that no editor Git opened ever used (a mistake in the lesson). */
  unusedEditorTexts: number
}

interface ScratchHome {
  root: string
  /** Runs a script with bash -e in the scenario's current directory; `cd` carries over to the next call. */
  shell(script: string): Promise<{ exit: number; output: string }>
  /** Shows output as the learner's machine would: /home/ada, https:// URLs, terminal-drawn lines. */
  show(text: string): string
  cwd: string
}

/**
 * A scratch home under root: ~/.gitconfig, the git and editor shims, and the environment every
 * command runs in. With `copyOf`, it starts as a copy of another home (a fixture already run).
 */
async function scratchHome(copyOf?: { root: string; cwd: string }): Promise<ScratchHome> {
  const root = await realpath(await mkdtemp(join(tmpdir(), 'pw-git-')))
  const home = join(root, 'home', 'ada')
  const hosts = join(root, 'hosts')
  const bin = join(root, 'bin')
  const ticks = join(root, 'ticks')
  const cwdFile = join(root, 'cwd')
  if (copyOf) await run('cp', ['-a', `${copyOf.root}/.`, root])
  await Promise.all([home, hosts, bin, join(root, 'editor')].map((d) => mkdir(d, { recursive: true })))
  if (!copyOf) await writeFile(ticks, '0\n')
  // Written again in a copy: they name the root.
  await writeFile(join(home, '.gitconfig'), gitconfig(hosts))
  await writeFile(join(bin, 'git'), gitShim(await realGit))
  await writeFile(join(bin, 'editor'), editorShim)
  await Promise.all([chmod(join(bin, 'git'), 0o755), chmod(join(bin, 'editor'), 0o755)])
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
    LC_ALL: 'C',
    LANG: 'C',
    TZ: 'UTC',
    TERM: 'dumb',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_EDITOR: join(bin, 'editor'),
    GIT_SEQUENCE_EDITOR: join(bin, 'editor'),
    GIT_TERMINAL_PROMPT: '0',
    // Only local repositories: a lesson's https:// URL is rewritten to a bare repository under hosts/.
    GIT_ALLOW_PROTOCOL: 'file',
    PW_TICKS: ticks,
    PW_EDITOR_QUEUE: join(root, 'editor'),
    PW_HOSTS: hosts,
  }
  const scratch: ScratchHome = {
    root,
    cwd: copyOf ? join(root, relative(copyOf.root, copyOf.cwd)) : home,
    show: (text) => asOnTerminal(text.split(`${hosts}/`).join('https://').split(home).join('/home/ada')),
    async shell(script) {
      const wrapped = `exec 2>&1\ntrap 'pwd > "${cwdFile}"' EXIT\nset -e\n${script}\n`
      try {
        const { stdout } = await run('bash', ['--noprofile', '--norc', '-c', wrapped], { cwd: scratch.cwd, env, timeout: 20_000 })
        return { exit: 0, output: stdout }
      } catch (error) {
        const failed = error as { code?: unknown; stdout?: unknown }
        if (typeof failed.code !== 'number') throw error
        return { exit: failed.code, output: String(failed.stdout ?? '') }
      } finally {
        scratch.cwd = (await readFile(cwdFile, 'utf8').catch(() => scratch.cwd + '\n')).trim()
      }
    },
  }
  return scratch
}

const realGit = run('sh', ['-c', 'command -v git']).then(({ stdout }) => stdout.trim())

export interface ScenarioRunner {
  /** Runs every step of a scenario in a fresh scratch home; the caller compares the results. */
  run(scenario: Scenario): Promise<ScenarioRun>
  /** Deletes the fixture homes kept for reuse. */
  dispose(): Promise<void>
}

/**
 * Each fixture runs once; every scenario that names it starts from a copy of the home it left
 * (fixtures must leave ~/.gitconfig alone, since a copy gets a fresh one).
 */
export function scenarioRunner(fixtures: Fixtures): ScenarioRunner {
  const built = new Map<string, Promise<ScratchHome>>()
  const fixtureHome = (name: string) => {
    let home = built.get(name)
    if (!home) {
      const script = fixtures[name]
      home = (async () => {
        if (script === undefined) throw new Error(`no fixture named "${name}"`)
        const scratch = await scratchHome()
        const { exit, output } = await scratch.shell(script)
        if (exit !== 0) throw new Error(`fixture "${name}" failed (exit ${exit}):\n${scratch.show(output)}`)
        return scratch
      })()
      built.set(name, home)
    }
    return home
  }
  return {
    async run(scenario) {
      const scratch = await scratchHome(scenario.setup === undefined ? undefined : await fixtureHome(scenario.setup))
      try {
        const queue = join(scratch.root, 'editor')
        await Promise.all(scenario.editorTexts.map((text, i) => writeFile(join(queue, String(i).padStart(3, '0')), text + '\n')))
        const results: StepResult[] = []
        for (const step of scenario.steps) {
          if (step.kind === 'file') {
            const target = join(scratch.cwd, step.path)
            await mkdir(dirname(target), { recursive: true })
            await writeFile(target, step.content + '\n')
            continue
          }
          const { exit, output } = await scratch.shell(step.script)
          results.push({ line: step.line, exit, expectedExit: step.exit, output: scratch.show(output), expected: step.expected })
          if (exit !== step.exit) break
        }
        const left = (await run('ls', [queue])).stdout.trim()
        return { steps: results, unusedEditorTexts: left === '' ? 0 : left.split('\n').length }
      } finally {
        await rm(scratch.root, { recursive: true, force: true })
      }
    },
    async dispose() {
      const homes = await Promise.allSettled(built.values())
      built.clear()
      await Promise.all(homes.map((h) => (h.status === 'fulfilled' ? rm(h.value.root, { recursive: true, force: true }) : undefined)))
    },
  }
}

// Lesson 2's commits, and the milk line committed too: the history lessons 3 onwards start from.
// The commands and their order are lesson 2's, so the hashes are the ones lesson 2 prints.
const recipeCommits = `echo "# Recipes" > README.md
echo "flour" > pancakes.txt
git add README.md
git commit -q -m "Add README"
git add pancakes.txt
git commit -q -m "Add pancake recipe"
echo "milk" >> pancakes.txt
git commit -q -am "Add milk to pancake recipe"
`

/** The recipes repository in ~/recipes, which becomes the current directory. */
const recipes = `mkdir recipes
cd recipes
git init -q
${recipeCommits}`

// A repository on the pretend host (https://github.com/<owner>/recipes.git is a bare repository
// under hosts/), filled from a work clone outside the learner's home.
const hostedRecipes = (owner: string) => `git init -q --bare "$PW_HOSTS/github.com/${owner}/recipes.git"
git clone -q "$PW_HOSTS/github.com/${owner}/recipes.git" "$PW_HOSTS/../upload" 2>/dev/null
cd "$PW_HOSTS/../upload"
${recipeCommits}git push -q origin main
cd ~
rm -rf "$PW_HOSTS/../upload"
`

// Lesson 5: metric units on their own branch, two commits ahead of main (a fast-forward).
const metricBranch = `${recipes}git switch -q -c metric
sed -i 's/^flour$/200 g flour/' pancakes.txt
git commit -q -am "Use grams for flour"
sed -i 's/^milk$/300 ml milk/' pancakes.txt
git commit -q -am "Use millilitres for milk"
`

// Lesson 5: as above, and main has moved on with a commit of its own (a three-way merge).
const divergedMetric = `${metricBranch}git switch -q main
echo "Family recipes, tried and tested." >> README.md
git commit -q -am "Describe the collection"
`

// Lesson 5: main and syrup both add a third line to pancakes.txt (a conflict).
const syrupConflict = `${recipes}git switch -q -c syrup
echo "maple syrup" >> pancakes.txt
git commit -q -am "Serve with maple syrup"
git switch -q main
echo "eggs" >> pancakes.txt
git commit -q -am "Add eggs"
`

// Lesson 9: a waffles branch two commits ahead, while main gained a commit of its own.
const wafflesBehind = `${recipes}git switch -q -c waffles
echo "flour, milk, eggs" > waffles.txt
git add waffles.txt
git commit -q -m "Add waffle recipe"
echo "Serve with berries." >> waffles.txt
git commit -q -am "Suggest a topping for waffles"
git switch -q main
echo "Family recipes, tried and tested." >> README.md
git commit -q -am "Describe the collection"
git switch -q waffles
`

// Lesson 9: a branch whose last commits are a typo fix and a work-in-progress commit.
const messyCrepes = `${recipes}git switch -q -c crepes
printf 'flour\nmilk\negs\n' > crepes.txt
git add crepes.txt
git commit -q -m "Add crepe recipe"
sed -i 's/^egs$/eggs/' crepes.txt
git commit -q -am "Fix typo in crepes"
echo "Serve with lemon and sugar." >> crepes.txt
git commit -q -am "WIP"
`

// Lesson 9: Ada pushed her waffles branch; since then Sam pushed a commit to main.
const pushedWaffles = `${hostedRecipes('example')}git clone -q https://github.com/example/recipes.git
git clone -q https://github.com/example/recipes.git sam
cd recipes
git switch -q -c waffles
echo "flour, milk, eggs" > waffles.txt
git add waffles.txt
git commit -q -m "Add waffle recipe"
git push -q -u origin waffles 2>/dev/null
cd ../sam
echo "Family recipes, tried and tested." >> README.md
git commit -q -am "Describe the collection"
git push -q
cd ../recipes
`

// Lesson 10: a fix for the pancakes made on the waffles branch, between two waffle commits.
const fixOnWaffles = `${recipes}git switch -q -c waffles
echo "flour, milk, eggs" > waffles.txt
git add waffles.txt
git commit -q -m "Add waffle recipe"
echo "eggs" >> pancakes.txt
git commit -q -am "Add the eggs the pancakes need"
echo "Serve with berries." >> waffles.txt
git commit -q -am "Suggest a topping for waffles"
git switch -q main
`

// Lesson 10: seven commits after v1.0; the one called "Note the tray position" also changes the oven
// temperature from 180 to 220.
const ovenHistory = `${recipes}echo "oven: 180 C" > baking.txt
git add baking.txt
git commit -q -m "Add baking notes"
git tag v1.0
echo "Rest the batter." >> pancakes.txt
git commit -q -am "Rest the batter"
echo "Family recipes, tried and tested." >> README.md
git commit -q -am "Describe the collection"
echo "butter" >> pancakes.txt
git commit -q -am "Add butter"
sed -i 's/180/220/' baking.txt
echo "tray: middle" >> baking.txt
git commit -q -am "Note the tray position"
echo "syrup" >> pancakes.txt
git commit -q -am "Serve with syrup"
echo "Serves four." >> README.md
git commit -q -am "Say how many it serves"
echo "salt" >> pancakes.txt
git commit -q -am "Add salt"
`

/** Hidden fixtures of the Git Essentials lessons, named by the `setup=` of a scenario's first block. */
export const gitFixtures: Fixtures = {
  'example-host': hostedRecipes('example'),
  recipes,
  'metric-branch': metricBranch,
  'diverged-metric': divergedMetric,
  'syrup-conflict': syrupConflict,
  // Lesson 6: an empty repository created on the host, and the recipes repository to publish.
  'waffles-behind': wafflesBehind,
  'messy-crepes': messyCrepes,
  'pushed-waffles': pushedWaffles,
  'fix-on-waffles': fixOnWaffles,
  'oven-history': ovenHistory,
  'ada-host': `git init -q --bare "$PW_HOSTS/github.com/ada/recipes.git"\n${recipes}`,
}
