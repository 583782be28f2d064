/**
 * data.saveExport over a real database: the export document written where the (fake) save dialog
 * says, atomically, and refused plainly where there is no dialog (the loopback host).
 */
import { chmod, link, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatch } from '../../electron/core/api/dispatch'
import { createHandlers } from '../../electron/core/api/handlers'
import { createLoopbackApp } from '../../electron/core/api/loopback-host'
import { TOKEN_HEADER } from '../../electron/core/contract/messages'
import type { PathwiseExport } from '../../electron/core/contract/types'
import type { SaveDialogPort } from '../../electron/core/files/save-dialog'
import { SAVE_EXPORT_MESSAGES } from '../../electron/core/services/save-export'
import { fakeClock } from '../helpers/clock'
import { openTestCore, tempDir } from '../helpers/core'
import { expectAppError } from '../helpers/errors'

type TestCore = Awaited<ReturnType<typeof openTestCore>>
const COURSE = 'sql-fundamentals'
const OLD = '{"an":"older export the learner kept"}\n'

let core: TestCore | null = null
let folder: string
/** What the fake dialog was asked, and what it answers next. */
let asked: string[]
let answer: string | null

const dialog: SaveDialogPort = {
  chooseExportPath: async (suggestedName) => {
    asked.push(suggestedName)
    return answer
  },
}

async function open(withDialog = true): Promise<TestCore> {
  core = await openTestCore({ clock: fakeClock('2026-06-10T21:30:00Z'), saveDialog: withDialog ? dialog : undefined })
  await core.services.profile.update({ name: 'Ada', timezone: 'Pacific/Auckland' })
  await core.services.courses.enroll({ courseId: COURSE })
  const [first] = core.catalog.require(COURSE).lessons
  await core.services.courses.updateProgress({ courseId: COURSE, lessonId: first!.id, action: 'saveNotes', notes: 'Saved through main.' })
  return core
}

/** The folder's entries other than the ones a test made itself: a temp file left behind shows here. */
const leftovers = async (dir: string, expected: string[]) => (await readdir(dir)).filter((name) => !expected.includes(name))

beforeEach(async () => {
  folder = await tempDir('pathwise-save-')
  asked = []
  answer = join(folder, 'my-export.json')
})
afterEach(async () => {
  await core?.dispose()
  core = null
  await rm(folder, { recursive: true, force: true })
})

describe('data.saveExport', () => {
  it('writes the same document as data.export where the learner chose, offering the same file name', async () => {
    const c = await open()
    const expected = await c.services.data.export()

    expect(await c.services.data.saveExport()).toEqual({ saved: true, fileName: 'my-export.json' })

    expect(asked).toEqual([expected.fileName])
    expect(expected.fileName).toBe('pathwise-export-2026-06-11.json')
    const text = await readFile(join(folder, 'my-export.json'), 'utf8')
    const written = JSON.parse(text) as PathwiseExport
    expect(written).toEqual(expected.data)
    expect(written.lessonProgress).toContainEqual(expect.objectContaining({ notes: 'Saved through main.' }))
    expect(text.endsWith('}\n')).toBe(true)
    expect(await leftovers(folder, ['my-export.json'])).toEqual([])
  })

  it('replaces a file already there with a new one, never rewriting the old file in place', async () => {
    const c = await open()
    const target = join(folder, 'my-export.json')
    await writeFile(target, OLD)
    // A second name for the old file: a truncating write would change what it shows, a rename cannot.
    await link(target, join(folder, 'old-link.json'))
    const before = await stat(target)

    await c.services.data.saveExport()

    expect((await stat(target)).ino).not.toBe(before.ino)
    expect(JSON.parse(await readFile(target, 'utf8'))).toMatchObject({ format: 'pathwise-export', version: 1 })
    expect(await readFile(join(folder, 'old-link.json'), 'utf8')).toBe(OLD)
    expect(await leftovers(folder, ['my-export.json', 'old-link.json'])).toEqual([])
  })

  it('leaves the old file as it was and no temporary file when the rename fails', async () => {
    const c = await open()
    // A folder under the chosen name: the temp file is written in full, then the rename over it fails.
    const target = join(folder, 'my-export.json')
    await mkdir(target)
    await writeFile(join(target, 'inside.json'), OLD)

    const error = await expectAppError(c.services.data.saveExport(), 'UNAVAILABLE')
    expect(error.message).toContain(target)
    expect(error.message).toContain('Any file already there is unchanged.')

    expect(await readFile(join(target, 'inside.json'), 'utf8')).toBe(OLD)
    expect(await readdir(target)).toEqual(['inside.json'])
    expect(await leftovers(folder, ['my-export.json'])).toEqual([])
  })

  it('says so in words when the chosen folder does not exist, and creates nothing', async () => {
    const c = await open()
    answer = join(folder, 'gone', 'my-export.json')
    const error = await expectAppError(c.services.data.saveExport(), 'UNAVAILABLE')
    expect(error.message).toBe(`Your data could not be saved to ${answer}: that folder does not exist. Any file already there is unchanged.`)
    expect(await readdir(folder)).toEqual([])
  })

  // root may write anywhere, whatever the folder's mode says.
  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('keeps the old file when the folder is read-only', async () => {
    const c = await open()
    const target = join(folder, 'my-export.json')
    await writeFile(target, OLD)
    await chmod(folder, 0o555)
    try {
      const error = await expectAppError(c.services.data.saveExport(), 'UNAVAILABLE')
      expect(error.message).toContain('not allowed to write in that folder')
      expect(await readFile(target, 'utf8')).toBe(OLD)
      expect(await readdir(folder)).toEqual(['my-export.json'])
    } finally {
      await chmod(folder, 0o755)
    }
  })

  it('writes nothing when the learner cancels the dialog', async () => {
    const c = await open()
    answer = null
    expect(await c.services.data.saveExport()).toEqual({ saved: false })
    expect(asked).toHaveLength(1)
    expect(await readdir(folder)).toEqual([])
  })

  it.each(['my-export.json', './my-export.json', '', '/tmp/a\0b.json'])('refuses the path %j and writes nothing', async (path) => {
    const c = await open()
    answer = path
    const error = await expectAppError(c.services.data.saveExport(), 'INVALID')
    expect(error.message).toBe(SAVE_EXPORT_MESSAGES.notAbsolute)
    expect(await readdir(folder)).toEqual([])
  })

  it('answers UNSUPPORTED without a save dialog, over the contract and over the loopback host (HTTP 501)', async () => {
    const c = await open(false)
    const dispatch = createDispatch(createHandlers(() => c.services), () => undefined)
    expect(await dispatch('data.saveExport', null)).toEqual({ ok: false, error: { code: 'UNSUPPORTED', message: SAVE_EXPORT_MESSAGES.noDialog } })
    expect(await dispatch('data.saveExport', { path: '/tmp/x.json' })).toMatchObject({ ok: false, error: { code: 'INVALID' } })

    const app = createLoopbackApp({ dispatch, rendererDir: folder, token: 't0ken', allowedHosts: () => ['127.0.0.1:1'] })
    const response = await app.request('/api/data.saveExport', { method: 'POST', headers: { host: '127.0.0.1:1', [TOKEN_HEADER]: 't0ken' }, body: 'null' })
    expect(response.status).toBe(501)
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } })
    // The browser's download still has its document.
    expect(await dispatch('data.export', null)).toMatchObject({ ok: true, value: { fileName: 'pathwise-export-2026-06-11.json' } })
    expect(asked).toEqual([])
  })
})
