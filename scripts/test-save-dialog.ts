/**
 * TEST ONLY (`npm run web -- --test-save-dialog FILE`, for tests/e2e): the native save dialog of the
 * desktop app, answered by a file instead of a learner. Each time "Export my data" asks where to save,
 * the answer is the path written in FILE, or a cancelled dialog when FILE is missing or empty. The real
 * core then writes the export (data.saveExport), as it does in Electron.
 */
import { readFile } from 'node:fs/promises'
import type { SaveDialogPort } from '../electron/core/files/save-dialog'

export function createAnsweredSaveDialog(answerFile: string): SaveDialogPort {
  return {
    async chooseExportPath() {
      const answer = (await readFile(answerFile, 'utf8').catch(() => '')).trim()
      return answer === '' ? null : answer
    },
  }
}
