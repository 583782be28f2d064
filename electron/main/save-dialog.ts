/**
 * Electron's native save dialog behind the core's SaveDialogPort, so "Export my data" is written by
 * the core (electron/core/services/save-export.ts) instead of a blob: download in the window.
 *
 * main/index.ts:
 *   openCore({ …, saveDialog: createSaveDialogPort(() => mainWindow) })
 */
import { app, dialog, type BrowserWindow, type SaveDialogOptions } from 'electron'
import { join } from 'node:path'
import type { SaveDialogPort } from '../core/files/save-dialog'

/** `window` is read at each call: the dialog is attached to the window open then (it may have been re-created). */
export function createSaveDialogPort(window: () => BrowserWindow | null): SaveDialogPort {
  return {
    async chooseExportPath(suggestedName) {
      const options: SaveDialogOptions = {
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters: [{ name: 'JSON', extensions: ['json'] }],
        // Asks before replacing a file on Linux too (macOS and Windows always do); a new folder on macOS.
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      }
      const parent = window()
      const result = parent && !parent.isDestroyed() ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options)
      return result.canceled || result.filePath === '' ? null : result.filePath
    },
  }
}
