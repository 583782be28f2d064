import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { restoreWindowPlacement } from '../../electron/main/window-state'
import { loadWindowState, saveWindowState, windowStateFile } from '../../electron/main/window-state-store'
import { tempDir } from '../helpers/core'

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }]

describe('window-state.json', () => {
  it('what is saved is what the next start restores', async () => {
    const file = windowStateFile(await tempDir())
    saveWindowState(file, { x: 120, y: 80, width: 1000, height: 700, maximized: true })
    expect(restoreWindowPlacement(loadWindowState(file), screen)).toEqual({ x: 120, y: 80, width: 1000, height: 700, maximized: true })
  })

  it('lives in the data folder, readable by the learner only, with no temporary file left behind', async () => {
    const dir = await tempDir()
    const file = windowStateFile(dir)
    expect(file).toBe(join(dir, 'window-state.json'))
    saveWindowState(file, { x: 1, y: 2, width: 800, height: 600, maximized: false })
    saveWindowState(file, { x: 3, y: 4, width: 900, height: 650, maximized: false })
    expect(readdirSync(dir)).toEqual(['window-state.json'])
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 3, y: 4, width: 900, height: 650, maximized: false })
  })

  it('a missing file means no saved state', async () => {
    expect(loadWindowState(join(await tempDir(), 'window-state.json'))).toBeNull()
  })

  it.each(['', '{', 'null', '{"x": 1, "y": 2', '\u0000\u0001garbage', '[1,2,3]', '{"x":"a","y":0,"width":800,"height":600}'])(
    'a corrupt file (%j) is ignored: the window opens at the default place',
    async (content) => {
      const file = windowStateFile(await tempDir())
      writeFileSync(file, content)
      expect(restoreWindowPlacement(loadWindowState(file), screen)).toEqual({ width: 1200, height: 800, maximized: false })
    },
  )

  it('a failed save is reported, not thrown, and leaves the previous state', async () => {
    const dir = await tempDir()
    const file = windowStateFile(dir)
    saveWindowState(file, { x: 1, y: 2, width: 800, height: 600, maximized: false })
    // A folder where the temporary file would go makes the write fail.
    mkdirSync(`${file}.${process.pid}.tmp`)
    const errors: unknown[] = []
    expect(() => saveWindowState(file, { x: 9, y: 9, width: 999, height: 999, maximized: true }, (e) => errors.push(e))).not.toThrow()
    expect(errors).toHaveLength(1)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 1, y: 2, width: 800, height: 600, maximized: false })
  })

  it('creates the data folder if it does not exist yet', async () => {
    const file = windowStateFile(join(await tempDir(), 'new', 'folder'))
    saveWindowState(file, { x: 1, y: 2, width: 800, height: 600, maximized: false })
    expect(loadWindowState(file)).toEqual({ x: 1, y: 2, width: 800, height: 600, maximized: false })
  })
})
