/**
 * The one message protocol between a host (Electron's main, the loopback host, tests) and the core's
 * worker thread. Calls carry a contract Channel and answer its Result, so the channel list stays in
 * contract/channels.ts alone. The ports a host owns (token store, updater, save dialog) are functions
 * and cannot be posted: the worker asks the host for each port call (`port` → `port-answer`), and the
 * host forwards the updater's events and connectivity (`updater-event`).
 */
import type { PackError } from '../catalog/catalog'
import type { Channel, Input, Output, Result } from '../contract/channels'
import type { SyncStatusView, TokenKept, UpdateStatusView } from '../contract/types'
import type { ErrorBody } from '../errors'
import type { SyncTimings } from '../sync/engine'
import type { UpdaterEvent } from '../updates/port'

/** CoreOptions as they cross the boundary: plain data; the ports are replaced by what the host serves. */
export interface CoreWorkerData {
  dataDir: string
  coursesDir: string
  migrationsDir: string
  timezone?: string
  sync?: { serverUrl: string; timings?: Partial<SyncTimings> }
  /** The host serves an updater; its version is known up front (UpdaterPort.currentVersion is not a promise). */
  updater?: { currentVersion: string; online: boolean }
  /** The host serves a save dialog. */
  saveDialog: boolean
}

/** The events a host may listen to, with what they carry. */
export interface CoreEvents {
  'sync.status': SyncStatusView
  'updates.status': UpdateStatusView
}
export type CoreEvent = keyof CoreEvents

/** Every port call the worker can ask the host for; the host answers with the method's resolved value. */
export interface PortCalls {
  'tokens.kept': { args: []; value: TokenKept }
  'tokens.load': { args: []; value: string | null }
  'tokens.save': { args: [token: string]; value: void }
  'tokens.clear': { args: []; value: void }
  'saveDialog.chooseExportPath': { args: [suggestedName: string]; value: string | null }
  'updater.checkForUpdates': { args: []; value: void }
  'updater.downloadUpdate': { args: []; value: void }
  'updater.cancelDownload': { args: []; value: void }
  'updater.quitAndInstall': { args: []; value: void }
  'updater.isOnline': { args: []; value: boolean }
}
export type PortMethod = keyof PortCalls

/** What the host may ask the worker to do besides contract calls. */
export type CoreControl = 'sync.start' | 'sync.notifyOnline' | 'updates.start'

export type ToCoreWorker =
  | { [C in Channel]: { kind: 'call'; id: number; channel: C; input: Input<C> } }[Channel]
  | { kind: 'control'; control: CoreControl }
  /** A sign-in link main received (account.verifyLink: not a contract channel, the renderer cannot call it). */
  | { kind: 'verifyLink'; id: number; input: unknown }
  | { kind: 'port-answer'; id: number; result: Result<unknown> }
  | { kind: 'updater-event'; event: UpdaterEvent }
  | { kind: 'online'; online: boolean }
  /** Stop the triggers, let a running sync finish (or abort it), close the database, then say `closed`. */
  | { kind: 'close'; abortSync: boolean }

export type FromCoreWorker =
  /** The course packs that were skipped (the host prints them: the worker has no console of its own to speak of). */
  | { kind: 'ready'; catalogErrors: readonly PackError[] }
  | { kind: 'failed'; error: ErrorBody }
  | { kind: 'answer'; id: number; result: Result<unknown> }
  | { [E in CoreEvent]: { kind: 'event'; event: E; payload: CoreEvents[E] } }[CoreEvent]
  | { [M in PortMethod]: { kind: 'port'; id: number; method: M; args: PortCalls[M]['args'] } }[PortMethod]
  | { kind: 'closed' }

/** What `call` resolves with for a channel. */
export type CallResult<C extends Channel> = Result<Output<C>>
