/**
 * data.saveExport: "Export my data" in the desktop app. The same document as data.export, saved where
 * the learner chooses in a native save dialog and written atomically by the core, so the renderer never
 * needs a blob: download (which the window's navigation guard may block, electron/electron#44375).
 * Hosts without a save dialog (the loopback host) answer UNSUPPORTED and the renderer downloads instead.
 */
import { basename, isAbsolute } from 'node:path'
import { z } from 'zod'
import { exportFileText } from '../contract/export-file'
import type { DataExport, SavedExport } from '../contract/types'
import { Invalid, Unavailable, Unsupported } from '../errors'
import { writeFileAtomic } from '../files/atomic-write'
import type { SaveDialogPort } from '../files/save-dialog'

export const SAVE_EXPORT_MESSAGES = {
  noDialog: 'This copy of Pathwise has no save dialog; your browser downloads the file instead.',
  notAbsolute: 'Pathwise could not use that place to save the file: it is not a full path.',
} as const

/** Why a write failed, in the learner's words; the system's own message for anything unusual. */
const WRITE_FAILURES: Record<string, string> = {
  EACCES: 'Pathwise is not allowed to write in that folder',
  EPERM: 'Pathwise is not allowed to write in that folder',
  EROFS: 'that disk is read-only',
  ENOENT: 'that folder does not exist',
  ENOTDIR: 'that folder does not exist',
  EISDIR: 'a folder already has that name',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk is full',
}

/** The dialog's answer comes from outside the core: checked like any input, so the write cannot misread it. */
const ChosenPath = z
  .string()
  .min(1)
  .refine((path) => !path.includes('\0') && isAbsolute(path))
  .nullable()

function writeFailure(path: string, error: unknown): Unavailable {
  const code = (error as NodeJS.ErrnoException | null)?.code
  const why = (code ? WRITE_FAILURES[code] : undefined) ?? (error instanceof Error ? error.message : 'the file could not be written')
  return new Unavailable(`Your data could not be saved to ${path}: ${why}. Any file already there is unchanged.`)
}

export function createSaveExportService(deps: { exportData: () => Promise<DataExport>; dialog?: SaveDialogPort }) {
  return {
    async saveExport(): Promise<SavedExport> {
      const { dialog } = deps
      if (!dialog) throw new Unsupported(SAVE_EXPORT_MESSAGES.noDialog)
      const { fileName, data } = await deps.exportData()
      const answer = ChosenPath.safeParse(await dialog.chooseExportPath(fileName))
      if (!answer.success) throw new Invalid(SAVE_EXPORT_MESSAGES.notAbsolute)
      const chosen = answer.data
      if (chosen === null) return { saved: false }
      try {
        await writeFileAtomic(chosen, exportFileText(data))
      } catch (error) {
        throw writeFailure(chosen, error)
      }
      return { saved: true, fileName: basename(chosen) }
    },
  }
}
