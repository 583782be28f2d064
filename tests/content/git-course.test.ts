/**
 * The Git Essentials course (resources/courses/git-essentials): every Git scenario a lesson walks
 * through runs in a scratch repository with the system git and must print what the lesson says
 * (convention: tests/content/README.md, "Git scenarios"), and the course keeps the shape issue #14
 * asks of it. The rules all courses share are in pack-rules.test.ts.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCatalog, type Course } from '../../electron/core/catalog/catalog'
import { gradeLocal } from '../../electron/core/exercises/grade'
import { COURSES_DIR } from '../helpers/paths'
import { asOnTerminal, gitFixtures, outputMatches, quotedHashes, readGitBlocks, scenarioRunner, type Fixtures, type Scenario } from './git-scenarios'

const COURSE_ID = 'git-essentials'
const courseDir = join(COURSES_DIR, COURSE_ID)

/** The lessons of format 1: their ids are kept, so learners' progress stays attached. */
const FIRST_LESSON_IDS = ['why-version-control', 'first-commits', 'history', 'branches', 'merging', 'remotes', 'undoing']

interface LessonFile {
  id: string
  file: string
  markdown: string
}

const entries = (JSON.parse(readFileSync(join(courseDir, 'course.json'), 'utf8')) as { lessons: { id: string; file: string }[] }).lessons
const lessons: LessonFile[] = entries.map((l) => ({ id: l.id, file: l.file, markdown: readFileSync(join(courseDir, l.file), 'utf8') }))

const figures = { scenarios: 0, blocksRun: 0, outputsCompared: 0, norun: 0 }
const lessonRunner = scenarioRunner(gitFixtures)
const runScenario = (scenario: Scenario) => lessonRunner.run(scenario)

describe('the Git scenario helper', () => {
  it('compares output exactly, except for trailing whitespace and the [...] wildcard', () => {
    expect(outputMatches('a\nb', 'a  \nb\n\n')).toBe(true)
    expect(outputMatches('a\nb', 'a\nc')).toBe(false)
    expect(outputMatches('a\nb', 'a\nb\nc')).toBe(false)
    expect(outputMatches(' a', 'a')).toBe(false)
    expect(outputMatches('Cloning into x...\n[...]', 'Cloning into x...')).toBe(true)
    expect(outputMatches('Cloning into x...\n[...]\ndone', 'Cloning into x...\n1\n2\ndone')).toBe(true)
    expect(outputMatches('   c18b22a..[...]  main -> main', '   c18b22a..0f6af6a  main -> main')).toBe(true)
    expect(outputMatches('   c18b22a..[...]  main -> main', '   c18b22a..0f6af6a  main -> dev')).toBe(false)
  })

  it('shows carriage-return progress lines as a terminal leaves them', () => {
    expect(asOnTerminal('Rebasing (1/2)\rRebasing (2/2)\r              \rDone.\nnext')).toBe('Done.         \nnext')
  })

  it('reads scenarios, expected outputs, files and editor texts, and reports blocks it cannot place', () => {
    const blocks = readGitBlocks(
      [
        '```bash scenario=s setup=f',
        'git init -q',
        '```',
        '',
        '```text',
        'out',
        '```',
        '',
        '```text scenario=s file=a.txt',
        'hello',
        '```',
        '',
        '```text scenario=s editor',
        'message',
        '```',
        '',
        'Prose between.',
        '',
        '```bash scenario=s exit=1',
        'false',
        '```',
        '',
        '```bash norun',
        'ssh -T git@github.com',
        '```',
        '',
        '```bash',
        'ls',
        '```',
        '',
        '```bash scenario=t',
        '$ git status',
        '```',
      ].join('\n'),
    )
    const [s] = blocks.scenarios
    expect(s?.setup).toBe('f')
    expect(s?.editorTexts).toEqual(['message'])
    expect(s?.steps.map((step) => (step.kind === 'commands' ? [step.script, step.exit, step.expected] : [step.path, step.content]))).toEqual([
      ['git init -q', 0, 'out'],
      ['a.txt', 'hello'],
      ['false', 1, undefined],
    ])
    expect(blocks.norun).toBe(1)
    expect(blocks.problems).toEqual([
      'line 27: a bash block needs scenario=NAME or norun',
      'line 31: command blocks hold commands only, no "$ " prompts',
    ])
  })

  it('runs a scenario deterministically, offline, and catches a wrong exit status', async () => {
    const fixtures: Fixtures = { host: 'git init -q --bare "$PW_HOSTS/github.com/ada/x.git"' }
    const markdown = [
      '```bash scenario=s setup=host',
      'git clone -q https://github.com/ada/x.git 2>/dev/null',
      'cd x',
      'git commit -q --allow-empty -m one',
      'git log --format="%h %ad %an" --date=iso',
      'git remote get-url origin',
      'pwd',
      '```',
      '',
      '```bash scenario=s exit=0',
      'git merge nothing-here',
      '```',
      '',
      '```bash scenario=s',
      'echo never runs',
      '```',
    ].join('\n')
    const [scenario] = readGitBlocks(markdown).scenarios
    if (!scenario) throw new Error('no scenario read')
    const runner = scenarioRunner(fixtures)
    const first = await runner.run(scenario)
    const again = await runner.run(scenario)
    await runner.dispose()
    expect(first.steps[0]?.output).toBe(again.steps[0]?.output)
    expect(first.steps[0]?.output).toMatch(/^[0-9a-f]{7} 2024-03-12 09:01:00 \+0000 Ada Lovelace\nhttps:\/\/github.com\/ada\/x.git\n\/home\/ada\/x\n$/)
    // The failing merge ends the run: the exit status differs from the one the block promises.
    expect(first.steps.map((s) => [s.exit === 0, s.expectedExit])).toEqual([
      [true, 0],
      [false, 0],
    ])
  })

  it('a network URL other than the pretend hosts does not reach the network', async () => {
    const [scenario] = readGitBlocks('```bash scenario=s exit=128\ngit ls-remote git://example.com/x.git\n```').scenarios
    if (!scenario) throw new Error('no scenario read')
    const { steps } = await scenarioRunner({}).run(scenario)
    expect(steps[0]?.exit).toBe(128)
    expect(steps[0]?.output).toContain("transport 'git' not allowed")
  })
})

describe('Git Essentials', () => {
  let course: Course | undefined
  beforeAll(async () => {
    const catalog = await loadCatalog(COURSES_DIR)
    expect(catalog.errors.filter((e) => e.pack === COURSE_ID)).toEqual([])
    course = catalog.get(COURSE_ID)
  })

  it('loads as a format-2 pack that keeps every lesson id of format 1', () => {
    const json = JSON.parse(readFileSync(join(courseDir, 'course.json'), 'utf8')) as { format?: unknown }
    expect(json.format).toBe(2)
    expect(course?.lessons.map((l) => l.id)).toEqual(expect.arrayContaining(FIRST_LESSON_IDS))
  })

  it('draws 15 of a pool of at least 36 questions of at least 4 kinds, passes at 70 %, with time for 15 questions', () => {
    const room = course?.pressureRoom
    expect(room?.draw).toBe(15)
    expect(room?.pool.length).toBeGreaterThanOrEqual(36)
    expect(new Set(room?.pool.map((q) => q.kind)).size).toBeGreaterThanOrEqual(4)
    expect(room?.passMark).toBe(70)
    // Between 30 s and 90 s a question: typed, ordered and matched answers take longer than a pick.
    expect(room?.timeLimitSeconds).toBeGreaterThanOrEqual(15 * 30)
    expect(room?.timeLimitSeconds).toBeLessThanOrEqual(15 * 90)
  })

  it('asks no sql question (the course has no dataset)', () => {
    const all = [...(course?.lessons.flatMap((l) => l.quiz) ?? []), ...(course?.pressureRoom.pool ?? [])]
    expect(all.filter((q) => q.kind === 'sql').map((q) => q.id)).toEqual([])
  })

  it('teaches the topics of issue #14', () => {
    const text = lessons.map((l) => l.markdown).join('\n')
    for (const topic of ['git rebase -i', 'git cherry-pick', 'git tag -a', 'git stash', 'git bisect', '--force-with-lease', 'ssh-keygen', 'personal access token', '.gitignore', 'git rm', 'git mv', 'git clean'])
      expect(text, topic).toContain(topic)
  })

  it('quotes, in lessons and questions, only hashes that the checked outputs print', () => {
    // Expected outputs are compared with real runs, so a hash found in one is a real hash.
    const printed = lessons
      .flatMap((l) => readGitBlocks(l.markdown).scenarios)
      .flatMap((s) => s.steps.flatMap((step) => (step.kind === 'commands' && step.expected !== undefined ? [step.expected] : [])))
      .join('\n')
    const questions = [...(course?.lessons.flatMap((l) => l.quiz) ?? []), ...(course?.pressureRoom.pool ?? [])]
    const quoted = [
      ...lessons.flatMap((l) => quotedHashes(l.markdown).map((hash) => ({ hash, where: l.file }))),
      ...questions.flatMap((q) => quotedHashes(JSON.stringify(q).replace(/\\"/g, '"')).map((hash) => ({ hash, where: q.id }))),
    ]
    expect(quoted.length).toBeGreaterThan(10)
    expect(quoted.filter(({ hash }) => !printed.includes(hash))).toEqual([])
  })

  it('accepts the reasonable ways to type a command, and not the near misses', () => {
    // Question id: answers a learner may type that must pass, and ones that must not.
    const typed: Record<string, { right: (string | string[])[]; wrong: (string | string[])[] }> = {
      'first-commits-q5': { right: ['git add README.md', ' git  add   README.md ', 'git stage README.md'], wrong: ['git add .', 'git commit README.md', 'git add readme.md'] },
      'branches-q5': { right: ['git switch -c hotfix', 'git checkout -b hotfix', 'git switch --create hotfix'], wrong: ['git branch hotfix', 'git switch hotfix'] },
      'remotes-q7': { right: ['git remote -v', 'git remote --verbose'], wrong: ['git remote', 'git remote -V'] },
      'managing-files-q3': { right: ['git rm --cached settings.local'], wrong: ['git rm settings.local', 'git restore --staged settings.local'] },
      'rebase-q5': { right: ['git push --force-with-lease', 'git push --force-with-lease origin waffles'], wrong: ['git push --force', 'git push -f', 'git push'] },
      'cherry-pick-tags-bisect-q6': { right: ['v1.0-1-g00f77d6'], wrong: ['v1.0', '00f77d6'] },
      'pr-q19': { right: ['git clean -n', 'git clean --dry-run'], wrong: ['git clean -f', 'git clean'] },
      'pr-q27': { right: ['ssh-keygen -t ed25519'], wrong: ['ssh-keygen -t rsa', 'ssh-keygen'] },
      'pr-q35': { right: ['git rebase --abort'], wrong: ['git rebase --skip', 'git merge --abort'] },
      'history-q5': { right: [['--staged'], ['--cached']], wrong: [['--stat'], ['HEAD']] },
      'cherry-pick-tags-bisect-q5': { right: [['-a', 'v2.0'], ['--annotate', 'v2.0']], wrong: [['-m', 'v2.0'], ['-a', '--tags']] },
      'pr-q25': { right: [['add', '--continue'], ['stage', '--continue']], wrong: [['commit', '--continue'], ['add', '--skip']] },
    }
    const questions = [...(course?.lessons.flatMap((l) => l.quiz) ?? []), ...(course?.pressureRoom.pool ?? [])]
    const verdicts = Object.entries(typed).flatMap(([id, { right, wrong }]) => {
      const q = questions.find((x) => x.id === id)
      if (!q || q.kind === 'sql') return [{ id, answer: '(no such question)', correct: false, want: true }]
      return [...right.map((a) => ({ a, want: true })), ...wrong.map((a) => ({ a, want: false }))].map(({ a, want }) => ({
        id,
        answer: JSON.stringify(a),
        correct: gradeLocal(q, a).correct,
        want,
      }))
    })
    expect(verdicts.filter((v) => v.correct !== v.want)).toEqual([])
    // Every typed question of the course is in the table.
    expect(questions.filter((q) => q.kind === 'text' || q.kind === 'blanks').map((q) => q.id).sort()).toEqual(Object.keys(typed).sort())
  })

  it('states the facts the expert read found wrong, the right way round', () => {
    const lesson = (id: string) => lessons.find((l) => l.id === id)?.markdown ?? ''
    expect(lesson('undoing')).toMatch(/30 days\*\* for commits that no branch reaches any more \(`gc\.reflogExpireUnreachable`\)/)
    expect(lesson('undoing')).toContain('after 90 days for commits still reachable from a branch (`gc.reflogExpire`)')
    expect(lesson('undoing')).toContain('**untracked files are left alone**')
    expect(lesson('why-version-control')).toContain('a complete snapshot of what your *next* commit will contain')
    expect(lesson('branches')).toContain('merged into the branch you are on (`HEAD`) or into the branch\'s upstream')
    expect(lesson('history')).toContain('index fbac1b4..8894f50 100644')
    expect(lessons.map((l) => l.markdown).join('\n')).not.toMatch(/2\.40 or newer|b1769d7/)
  })
})

// Scenarios wait on git processes far more than they compute, so they run side by side.
describe.concurrent.each(lessons)('lesson $id: its Git scenarios print what it says', (lesson) => {
  const blocks = readGitBlocks(lesson.markdown)

  it('marks every command block as a scenario or norun, and walks through at least one scenario', () => {
    expect(blocks.problems).toEqual([])
    expect(blocks.scenarios.length).toBeGreaterThan(0)
    figures.norun += blocks.norun
  })

  it.each(blocks.scenarios.map((s) => [s.name, s] as const))('scenario %s', async (_name, scenario) => {
    const run = await runScenario(scenario)
    const commandSteps = scenario.steps.filter((s) => s.kind === 'commands')
    figures.scenarios++
    for (const step of run.steps) {
      const where = `${lesson.file}:${step.line}`
      expect(step.exit, `${where} exit status\n${step.output}`).toBe(step.expectedExit)
      figures.blocksRun++
      if (step.expected === undefined) continue
      figures.outputsCompared++
      expect(outputMatches(step.expected, step.output), `${where}: the lesson says\n${step.expected}\n--- but git printed\n${step.output}`).toBe(true)
    }
    expect(run.steps.length, 'every command block ran').toBe(commandSteps.length)
    expect(run.unusedEditorTexts, 'editor blocks no editor used').toBe(0)
  })
})

afterAll(async () => {
  await lessonRunner.dispose()
  console.log(
    `Git scenarios: ${figures.scenarios} scenarios, ${figures.blocksRun} command blocks run, ` +
      `${figures.outputsCompared} outputs compared, ${figures.norun} norun blocks`,
  )
})
