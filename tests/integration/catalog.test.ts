import { cp, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadCatalog } from '../../electron/core/catalog/catalog'
import { openTestCore, tempDir } from '../helpers/core'
import { COURSES_DIR } from '../helpers/paths'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

async function coursesWithBrokenPacks(): Promise<string> {
  const dir = await tempDir('pathwise-courses-')
  dirs.push(dir)
  await cp(join(COURSES_DIR, 'git-essentials'), join(dir, 'git-essentials'), { recursive: true })
  await mkdir(join(dir, 'bad-json'))
  await writeFile(join(dir, 'bad-json', 'course.json'), '{ "id": "bad-json", ')
  await cp(join(COURSES_DIR, 'sql-fundamentals'), join(dir, 'missing-lesson'), { recursive: true })
  await rm(join(dir, 'missing-lesson', 'lessons'), { recursive: true })
  await mkdir(join(dir, 'no-pack-file'))
  await mkdir(join(dir, 'bad-answer'))
  await writeFile(
    join(dir, 'bad-answer', 'course.json'),
    JSON.stringify({ id: 'bad-answer', version: 1, title: 'T', summary: 'S', level: 'beginner', tags: [], lessons: [], pressureRoom: { timeLimitSeconds: 60, passMark: 50, questions: [] } }),
  )
  return dir
}

describe('course packs', () => {
  it('a malformed pack is reported by name and skipped; the good ones load', async () => {
    const catalog = await loadCatalog(await coursesWithBrokenPacks())
    expect(catalog.courses.map((c) => c.id)).toEqual(['git-essentials'])
    expect(catalog.errors.map((e) => e.pack).sort()).toEqual(['bad-answer', 'bad-json', 'missing-lesson', 'no-pack-file'])
    const byPack = Object.fromEntries(catalog.errors.map((e) => [e.pack, e.message]))
    expect(byPack['bad-json']).toMatch(/not valid JSON/)
    expect(byPack['missing-lesson']).toMatch(/id "sql-fundamentals" does not match|lesson file/)
    expect(byPack['bad-answer']).toMatch(/lessons/)
  })

  it('the app still starts with broken packs beside the good one', async () => {
    const core = await openTestCore({ coursesDir: await coursesWithBrokenPacks() })
    try {
      expect((await core.services.courses.list()).map((c) => c.id)).toEqual(['git-essentials'])
      expect(core.catalog.errors).toHaveLength(4)
    } finally {
      await core.dispose()
    }
  })

  it('every bundled pack loads with its lesson Markdown', async () => {
    const catalog = await loadCatalog(COURSES_DIR)
    expect(catalog.errors).toEqual([])
    expect(catalog.courses.length).toBeGreaterThanOrEqual(3)
    for (const c of catalog.courses) for (const l of c.lessons) expect(l.markdown.length).toBeGreaterThan(500)
  })
})
