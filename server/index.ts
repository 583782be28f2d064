/**
 * npm run server -- --port P --db URL [--mail-dir DIR]
 * The sync and sign-in service. Prints `listening on http://HOST:PORT/` once ready;
 * SIGTERM / SIGINT stop it cleanly. Settings: server/config.ts.
 */
import type { AddressInfo } from 'node:net'
import { dirname } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { loadCatalog } from '../electron/core/catalog/catalog'
import { createServerApp, describeError } from './app'
import { createAuth } from './auth'
import { CodeKeyError, loadCodeKeys, type CodeKey } from './code-keys'
import { ConfigError, parseConfig, type ServerConfig } from './config'
import { capConnectionsPerAddress, httpServerOptions } from './connections'
import { openServerDatabase, type ServerDb } from './db'
import { jsonLogger as log } from './log'
import { folderMailer, smtpMailer, type Mailer } from './mailer'
import { startPushThread } from './push-thread'
import { createSync } from './sync'

const HOUSEKEEPING_MS = 60_000
const DRAIN_MS = 5_000

function listen(app: { fetch: (request: Request) => Response | Promise<Response> }, config: ServerConfig): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: config.port, hostname: config.host, serverOptions: httpServerOptions(config.http) },
      (info: AddressInfo) => resolve({ server, port: info.port }),
    )
    server.once('error', reject)
    capConnectionsPerAddress(server, config.http.maxConnectionsPerAddress, (address) =>
      log.error('connections_capped', { address, max: config.http.maxConnectionsPerAddress }),
    )
  })
}

async function main(): Promise<void> {
  let config: ServerConfig
  try {
    config = parseConfig(process.argv.slice(2), process.env)
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e
    console.error(e.message)
    process.exit(2)
  }

  const catalog = await loadCatalog(config.coursesDir)
  for (const e of catalog.errors) log.error('course_pack_skipped', { pack: e.pack, reason: e.message })
  if (catalog.courses.length === 0) log.error('no_courses', { dir: config.coursesDir })

  const db: ServerDb = await openServerDatabase({
    url: config.dbUrl,
    authToken: config.dbAuthToken,
    migrationsDir: config.migrationsDir,
    serverMigrationsDir: config.serverMigrationsDir,
  })
  const mailer: Mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : folderMailer(config.mailDir, config.mailFrom)
  let keys: CodeKey[]
  try {
    keys = await loadCodeKeys({ keys: config.codeKeys, keyFile: config.codeKeyFile, db, dataDir: db.file ? dirname(db.file) : null, log })
  } catch (e) {
    if (!(e instanceof CodeKeyError)) throw e
    console.error(e.message)
    db.close()
    process.exit(2)
  }
  const auth = createAuth({ db, mailer, keys, codeTtlSeconds: config.codeTtlSeconds, limits: config.signInLimits })
  const sync = createSync({ db, catalog, pageSize: config.pullPageSize })
  // On a local file, pushes are written by a worker thread (push-thread.ts); a remote database does
  // that work itself.
  const pushThread = db.file ? await startPushThread({ file: db.file, migrationsDir: config.migrationsDir, coursesDir: config.coursesDir }, log) : null
  const { app, sweep } = createServerApp({
    auth,
    sync: pushThread ? { pull: sync.pull, push: pushThread.push } : sync,
    logger: log,
    limits: config.limits,
    trustProxy: config.trustProxy,
  })

  const housekeeping = setInterval(() => {
    sweep()
    auth.purgeExpired().catch((e: unknown) => log.error('purge_failed', describeError(e)))
  }, HOUSEKEEPING_MS)
  housekeeping.unref()

  const { server, port } = await listen(app, config)
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  console.log(`listening on http://${host}:${port}/`)
  log.info('started', { port, mail: config.smtpUrl ? 'smtp' : 'folder', courses: catalog.courses.length })

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    clearInterval(housekeeping)
    // Finish requests in flight (briefly), then let go of idle keep-alive connections.
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      if ('closeIdleConnections' in server) server.closeIdleConnections()
      setTimeout(() => {
        if ('closeAllConnections' in server) server.closeAllConnections()
      }, DRAIN_MS).unref()
    })
    await pushThread?.close() // commits the pushes it holds
    await db.read(async () => undefined) // waits for queued writes to commit
    db.close()
    mailer.close()
    log.info('stopped', { signal })
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
