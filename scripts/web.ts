/**
 * npm run web -- --port P --data DIR [--sync-url URL] [--courses DIR]
 * Serves the built renderer and the IPC contract over HTTP on 127.0.0.1, backed by the real core and a
 * real database in DIR. With a sync server (--sync-url or PATHWISE_SYNC_URL) the learner can sign in
 * and sync; the session token is kept in a file in DIR (Electron keeps it in the OS keychain).
 * Prints `listening on http://127.0.0.1:P/` once ready. --courses DIR serves the course packs in DIR
 * instead of the bundled resources/courses (the end-to-end tests use fixture packs this way).
 *
 * --test-updater (TEST ONLY, for tests/e2e): the app's updates run against a scripted updater fed on
 * stdin (scripts/test-updater.ts) instead of reporting that this copy does not update itself.
 * --test-save-dialog FILE (TEST ONLY, for tests/e2e): "Export my data" saves through the core as in the
 * desktop app, to the path written in FILE (scripts/test-save-dialog.ts), instead of a browser download.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { startCoreWorker } from '../electron/core/worker/client'
import { startLoopbackHost } from '../electron/core/api/loopback-host'
import { createFileTokenStore } from '../electron/core/sync/token-store'
import type { SaveDialogPort } from '../electron/core/files/save-dialog'
import type { UpdaterPort } from '../electron/core/updates/port'

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

const { values } = parseArgs({
  options: { port: { type: 'string', default: '5180' }, data: { type: 'string' }, 'sync-url': { type: 'string' }, 'test-updater': { type: 'boolean', default: false }, 'test-save-dialog': { type: 'string' }, courses: { type: 'string' } },
})
const syncUrl = values['sync-url'] ?? process.env.PATHWISE_SYNC_URL
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got "${values.port}"`)
  process.exit(2)
}
const dataDir = values.data ?? process.env.PATHWISE_DATA_DIR
if (!dataDir) {
  console.error('--data DIR (or PATHWISE_DATA_DIR) is required')
  process.exit(2)
}
const rendererDir = root('out/renderer')
if (!existsSync(`${rendererDir}/index.html`)) {
  console.error('The renderer is not built: run `npm run build` first.')
  process.exit(1)
}

/** Loaded only when asked for, so an ordinary run never has a scripted updater at all. */
async function testUpdater(): Promise<UpdaterPort | undefined> {
  if (!values['test-updater']) return undefined
  const { createScriptedUpdater } = await import('./test-updater')
  console.error('TEST ONLY: updates run against a scripted updater fed on stdin (--test-updater)')
  return createScriptedUpdater({ input: process.stdin, print: (line) => console.log(line), complain: (line) => console.error(line) })
}

/** Loaded only when asked for, like the scripted updater. */
async function testSaveDialog(): Promise<SaveDialogPort | undefined> {
  const answerFile = values['test-save-dialog']
  if (!answerFile) return undefined
  const { createAnsweredSaveDialog } = await import('./test-save-dialog')
  console.error('TEST ONLY: "Export my data" saves to the path in the answer file (--test-save-dialog)')
  return createAnsweredSaveDialog(answerFile)
}

try {
  // The core runs on its own thread (electron/core/worker), as in the desktop app.
  const core = await startCoreWorker({
    dataDir,
    coursesDir: values.courses ?? root('resources/courses'),
    migrationsDir: root('migrations'),
    sync: syncUrl ? { serverUrl: syncUrl, tokens: createFileTokenStore(join(dataDir, 'session-token')) } : undefined,
    updater: await testUpdater(),
    saveDialog: await testSaveDialog(),
  })
  if (syncUrl) core.control('sync.start')
  for (const e of core.catalogErrors) console.error(`course pack "${e.pack}" skipped: ${e.message}`)
  const host = await startLoopbackHost({ dispatch: core.dispatch, rendererDir, port })
  console.log(`listening on ${host.url}`)
  const stop = async () => {
    await host.close()
    // Lets a running sync finish and closes the database before the process ends.
    await core.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
