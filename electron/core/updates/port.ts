/**
 * What the update controller needs from an updater. electron/main/updater.ts adapts electron-updater
 * to it; tests pass a fake. The core never loads electron or electron-updater itself, so it keeps
 * running in plain Node (tests, the loopback host).
 */

export type UpdaterEvent =
  | { type: 'checking' }
  | { type: 'available'; version: string }
  | { type: 'not-available' }
  | { type: 'progress'; percent: number; bytesPerSecond: number; transferred: number; total: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; message: string }

export interface UpdaterPort {
  /** The version running now. */
  readonly currentVersion: string
  /** Asks the release feed for a newer version; the answer arrives as events. */
  checkForUpdates(): Promise<void>
  /** Downloads the version announced by the last 'available' event; progress arrives as events. */
  downloadUpdate(): Promise<void>
  /** Abandons a download in progress (the learner turned automatic updates off). */
  cancelDownload(): void
  /** Quits the app, installs the downloaded version and starts it again. */
  quitAndInstall(): void
  /** Whether the operating system reports a network connection. */
  isOnline(): boolean
  /** Listens to the updater's events; returns a function that stops listening. */
  onEvent(listener: (event: UpdaterEvent) => void): () => void
}
