/**
 * TEST ONLY. A scripted UpdaterPort for the loopback host (`npm run web -- --test-updater`), so the
 * end-to-end tests drive the real update controller and its real Pressure Room rule instead of faking
 * the host's answers. It lives in scripts/, which electron-builder never packs (electron-builder.yml
 * `files`): the packaged app only ever has electron/main/updater.ts.
 *
 * The test is the release feed: each line it writes to the host's stdin is an UpdaterEvent (JSON) that
 * the port emits; each call the controller makes on the port is printed as `[test-updater] <call>`.
 */
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import type { UpdaterEvent, UpdaterPort } from '../electron/core/updates/port'

export const TEST_UPDATER_PREFIX = '[test-updater]'

export type TestUpdaterCall = 'checkForUpdates' | 'downloadUpdate' | 'cancelDownload' | 'quitAndInstall'

const EVENT_TYPES: ReadonlySet<string> = new Set<UpdaterEvent['type']>(['checking', 'available', 'not-available', 'progress', 'downloaded', 'error'])

/** One stdin line as an event, or null for anything that is not one (reported, never emitted). */
export function parseScriptedEvent(line: string): UpdaterEvent | null {
  try {
    const value = JSON.parse(line) as unknown
    if (typeof value !== 'object' || value === null || !EVENT_TYPES.has(String((value as { type?: unknown }).type))) return null
    return value as UpdaterEvent
  } catch {
    return null
  }
}

export function createScriptedUpdater(options: {
  input: Readable
  print: (line: string) => void
  complain: (line: string) => void
  currentVersion?: string
}): UpdaterPort {
  const listeners = new Set<(event: UpdaterEvent) => void>()
  const called = (call: TestUpdaterCall) => options.print(`${TEST_UPDATER_PREFIX} ${call}`)
  createInterface({ input: options.input }).on('line', (line) => {
    if (line.trim() === '') return
    const event = parseScriptedEvent(line)
    if (!event) return options.complain(`${TEST_UPDATER_PREFIX} not an updater event, ignored: ${line.slice(0, 200)}`)
    for (const listener of listeners) listener(event)
  })
  return {
    currentVersion: options.currentVersion ?? '1.0.0',
    // The answer comes as events, written by the test when it chooses.
    checkForUpdates: async () => called('checkForUpdates'),
    downloadUpdate: async () => called('downloadUpdate'),
    cancelDownload: () => called('cancelDownload'),
    // The real one quits the app; the test only needs to know it was asked.
    quitAndInstall: () => called('quitAndInstall'),
    isOnline: () => true,
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
