/**
 * Where the learner wants a file saved. electron/main/save-dialog.ts adapts Electron's native save
 * dialog to it; the loopback host has none (the browser downloads the file instead) and tests pass a
 * fake. The core never loads electron itself.
 */
export interface SaveDialogPort {
  /** Asks where to save a file proposed as `suggestedName`; null when the learner cancels. */
  chooseExportPath(suggestedName: string): Promise<string | null>
}
