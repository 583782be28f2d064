/**
 * docs/architecture.md stays the place comments point at: every anchor of it (the part after `#`) cited in
 * the project names a heading the document has (GitHub's anchors: lower case, punctuation dropped,
 * spaces as hyphens), and the document's own #links do too.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/paths'

const DOC = join(ROOT, 'docs', 'architecture.md')
const doc = readFileSync(DOC, 'utf8')

function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

const headings = new Set(
  doc
    .split('\n')
    .filter((line) => /^#{1,6}\s/.test(line))
    .map((line) => anchorOf(line.replace(/^#+\s*/, '').replace(/`/g, ''))),
)

const SOURCE_DIRS = ['electron', 'server', 'renderer', 'migrations', 'scripts', 'tests', 'docs']
function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* sourceFiles(path)
    else if (/\.(ts|tsx|mjs|sql|md)$/.test(name)) yield path
  }
}

describe('docs/architecture.md', () => {
  it('has every heading that code, migrations and the README point at', () => {
    const cited: string[] = []
    for (const file of [join(ROOT, 'README.md'), ...SOURCE_DIRS.flatMap((dir) => [...sourceFiles(join(ROOT, dir))])]) {
      for (const match of readFileSync(file, 'utf8').matchAll(/docs\/architecture\.md#([\w-]+)/g)) cited.push(`${relative(ROOT, file)} → #${match[1]}`)
    }
    expect(cited.length).toBeGreaterThan(5)
    expect(cited.filter((c) => !headings.has(c.split('#')[1] ?? ''))).toEqual([])
  })

  it('links within itself only to headings it has', () => {
    const links = [...doc.matchAll(/\]\(#([\w-]+)\)/g)].map((m) => m[1] ?? '')
    expect(links.filter((anchor) => !headings.has(anchor))).toEqual([])
  })
})
