/**
 * Inside the worker: the host's ports (token store, save dialog, updater) as the core expects them,
 * each call a `port` request answered by the host (host-ports.ts). The updater's events and the
 * connection state arrive as messages; UpdaterPort.isOnline() is synchronous, so it answers the last
 * state the host reported and asks for a fresh one for next time.
 */
import type { Result } from '../contract/channels'
import { AppError, type ErrorBody } from '../errors'
import type { SaveDialogPort } from '../files/save-dialog'
import type { TokenStore } from '../sync/token-store'
import type { UpdaterEvent, UpdaterPort } from '../updates/port'
import type { FromCoreWorker, PortCalls, PortMethod } from './protocol'

/** A port call the host refused; carries the host's error body so typed errors keep their code. */
export class PortFailed extends AppError {
  constructor(body: ErrorBody) {
    super(body.code, body.message)
  }
}

export interface WorkerPorts {
  tokens: TokenStore
  saveDialog: SaveDialogPort
  updater(currentVersion: string, online: boolean): UpdaterPort
  answered(id: number, result: Result<unknown>): void
  updaterEvent(event: UpdaterEvent): void
  online(online: boolean): void
}

export function createWorkerPorts(send: (message: FromCoreWorker) => void): WorkerPorts {
  const waiting = new Map<number, (result: Result<unknown>) => void>()
  const listeners = new Set<(event: UpdaterEvent) => void>()
  let nextId = 1
  let online = true

  function ask<M extends PortMethod>(method: M, ...args: PortCalls[M]['args']): Promise<PortCalls[M]['value']> {
    const id = nextId++
    return new Promise((resolve, reject) => {
      waiting.set(id, (result) => (result.ok ? resolve(result.value as PortCalls[M]['value']) : reject(new PortFailed(result.error))))
      send({ kind: 'port', id, method, args } as FromCoreWorker)
    })
  }
  const fireAndForget = (method: PortMethod) => void ask(method).catch((error: unknown) => console.warn(`[pathwise] ${method} failed`, error))

  return {
    tokens: {
      kept: () => ask('tokens.kept'),
      load: () => ask('tokens.load'),
      save: (token) => ask('tokens.save', token),
      clear: () => ask('tokens.clear'),
    },
    saveDialog: { chooseExportPath: (name) => ask('saveDialog.chooseExportPath', name) },
    updater(currentVersion, initiallyOnline) {
      online = initiallyOnline
      return {
        currentVersion,
        checkForUpdates: () => ask('updater.checkForUpdates'),
        downloadUpdate: () => ask('updater.downloadUpdate'),
        cancelDownload: () => fireAndForget('updater.cancelDownload'),
        quitAndInstall: () => fireAndForget('updater.quitAndInstall'),
        isOnline() {
          void ask('updater.isOnline').then(
            (now) => (online = now),
            () => undefined,
          )
          return online
        },
        onEvent(listener) {
          listeners.add(listener)
          return () => listeners.delete(listener)
        },
      }
    },
    answered(id, result) {
      const resolve = waiting.get(id)
      waiting.delete(id)
      resolve?.(result)
    },
    updaterEvent(event) {
      for (const listener of listeners) listener(event)
    },
    online(now) {
      online = now
    },
  }
}
