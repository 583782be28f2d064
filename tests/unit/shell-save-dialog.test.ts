/**
 * electron/main/save-dialog.ts with electron replaced by a fake (requiring the real module outside
 * Electron would try to download its binary).
 */
import { join } from 'node:path'
import type { BrowserWindow } from 'electron'
import { beforeEach, describe, expect, it, vi } from 'vitest'

const fake = vi.hoisted(() => ({
  calls: [] as unknown[][],
  answer: { canceled: false, filePath: '' } as { canceled: boolean; filePath: string },
}))

vi.mock('electron', () => ({
  app: { getPath: (name: string) => (name === 'documents' ? '/home/ada/Documents' : `/unexpected/${name}`) },
  dialog: {
    showSaveDialog: async (...args: unknown[]) => {
      fake.calls.push(args)
      return fake.answer
    },
  },
}))

const { createSaveDialogPort } = await import('../../electron/main/save-dialog')

/** Enough of a BrowserWindow for the adapter. */
const windowStub = (destroyed = false) => ({ isDestroyed: () => destroyed }) as unknown as BrowserWindow

beforeEach(() => {
  fake.calls = []
  fake.answer = { canceled: false, filePath: '' }
})

describe('the save dialog adapter', () => {
  it('proposes the suggested name in Documents, as JSON, attached to the window, and answers the chosen path', async () => {
    const window = windowStub()
    fake.answer = { canceled: false, filePath: '/home/ada/Backups/mine.json' }
    const path = await createSaveDialogPort(() => window).chooseExportPath('pathwise-export-2026-06-11.json')
    expect(path).toBe('/home/ada/Backups/mine.json')
    expect(fake.calls).toHaveLength(1)
    const [parent, options] = fake.calls[0] as [unknown, Record<string, unknown>]
    expect(parent).toBe(window)
    expect(options).toMatchObject({
      defaultPath: join('/home/ada/Documents', 'pathwise-export-2026-06-11.json'),
      filters: [{ name: 'JSON', extensions: ['json'] }],
    })
    expect(options.properties).toContain('showOverwriteConfirmation')
  })

  it('answers null when the learner cancels', async () => {
    fake.answer = { canceled: true, filePath: '' }
    expect(await createSaveDialogPort(() => windowStub()).chooseExportPath('x.json')).toBeNull()
    fake.answer = { canceled: false, filePath: '' }
    expect(await createSaveDialogPort(() => windowStub()).chooseExportPath('x.json')).toBeNull()
  })

  it('still asks without a window (closed, or destroyed) rather than failing', async () => {
    fake.answer = { canceled: false, filePath: '/tmp/x.json' }
    expect(await createSaveDialogPort(() => null).chooseExportPath('x.json')).toBe('/tmp/x.json')
    expect(await createSaveDialogPort(() => windowStub(true)).chooseExportPath('x.json')).toBe('/tmp/x.json')
    // Only the options: a destroyed window must not be passed as the parent.
    for (const call of fake.calls) expect(call).toHaveLength(1)
  })
})
