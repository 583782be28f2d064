/**
 * Saves a JSON file the learner downloads: a Blob behind an <a download>, which Chromium saves to the
 * downloads folder. Only the loopback host uses it: in Electron main saves the file (data.saveExport),
 * since the window's navigation guard may block a blob: download. Nothing leaves the computer.
 */
export function saveJsonFile(fileName: string, text: string): void {
  const blob = new Blob([text], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  // Revoking at once can cancel the download before the browser has read the blob.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
