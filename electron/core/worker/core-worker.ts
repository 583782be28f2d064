/**
 * The core's worker thread: opens the core (database, services, sync engine) here, so a long pull or
 * a backup never holds up the thread that draws windows or answers IPC. Contract calls go through the
 * same dispatch as ever; the host's ports are reached through worker-ports.ts. Started by client.ts.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createDispatch } from '../api/dispatch'
import { createHandlers } from '../api/handlers'
import type { Result } from '../contract/channels'
import { openCore, type Core } from '../core'
import { AppError, toErrorBody } from '../errors'
import type { CoreWorkerData, FromCoreWorker, ToCoreWorker } from './protocol'
import { createWorkerPorts } from './worker-ports'

const port = parentPort
if (!port) throw new Error('core-worker.ts runs only as a worker thread (see client.ts)')

const send = (message: FromCoreWorker) => port.postMessage(message)
const data = workerData as CoreWorkerData
const ports = createWorkerPorts(send)

let core: Core
try {
  core = await openCore({
    dataDir: data.dataDir,
    coursesDir: data.coursesDir,
    migrationsDir: data.migrationsDir,
    timezone: data.timezone,
    sync: data.sync ? { serverUrl: data.sync.serverUrl, timings: data.sync.timings, tokens: ports.tokens } : undefined,
    updater: data.updater ? ports.updater(data.updater.currentVersion, data.updater.online) : undefined,
    saveDialog: data.saveDialog ? ports.saveDialog : undefined,
  })
} catch (error) {
  // A core that cannot open (a database too new, a read-only folder) says why, in the core's words.
  // Anything else keeps its own message too: the host shows it as the reason the app cannot start.
  send({ kind: 'failed', error: error instanceof AppError ? toErrorBody(error) : { code: 'UNAVAILABLE', message: error instanceof Error ? error.message : String(error) } })
  process.exit(1)
}

const dispatch = createDispatch(createHandlers(() => core.services))
const answering = new Set<Promise<void>>()
core.sync?.subscribe((payload) => send({ kind: 'event', event: 'sync.status', payload }))
core.updates.subscribe((payload) => send({ kind: 'event', event: 'updates.status', payload }))

async function close(abortSync: boolean): Promise<void> {
  // Calls already received are answered first: their writes were asked for before the close.
  await Promise.all(answering)
  const abort = new AbortController()
  if (abortSync) abort.abort()
  await core.sync?.stopAndDrain({ signal: abort.signal })
  core.close()
  send({ kind: 'closed' })
  port?.close()
}

port.on('message', (message: ToCoreWorker) => {
  switch (message.kind) {
    case 'call': {
      const answered = dispatch(message.channel, message.input).then((result) => send({ kind: 'answer', id: message.id, result }))
      answering.add(answered)
      void answered.finally(() => answering.delete(answered))
      return
    }
    case 'verifyLink': {
      const answered = core.services.account.verifyLink(message.input).then(
        (value): Result<unknown> => ({ ok: true, value }),
        (error: unknown): Result<unknown> => ({ ok: false, error: toErrorBody(error) }),
      )
      const sent = answered.then((result) => send({ kind: 'answer', id: message.id, result }))
      answering.add(sent)
      void sent.finally(() => answering.delete(sent))
      return
    }
    case 'port-answer':
      return ports.answered(message.id, message.result)
    case 'updater-event':
      return ports.updaterEvent(message.event)
    case 'online':
      return ports.online(message.online)
    case 'control':
      if (message.control === 'sync.start') core.sync?.start()
      else if (message.control === 'sync.notifyOnline') core.sync?.notifyOnline()
      else core.updates.start()
      return
    case 'close':
      void close(message.abortSync)
  }
})
send({ kind: 'ready', catalogErrors: core.catalog.errors })
