/**
 * The SQL runner's worker thread: learner SQL runs here, so a runaway query only ever blocks this
 * thread, and the runner (runner.ts) stops it with worker.terminate() when its time is up.
 *
 * Each dataset's SQL is executed once per worker; its database file image (db.export()) is kept, and
 * every run opens a fresh database from those bytes, so a learner's DROP TABLE changes nothing for the
 * next run.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { parentPort } from 'node:worker_threads'
import initSqlJs, { type SqlJsStatic } from 'sql.js'
import { DatasetError, buildImage, runOnImage } from './execute'
import type { FromSqlWorker, ToSqlWorker } from './protocol'

const port = parentPort
if (!port) throw new Error('sql-worker.ts runs only as a worker thread (see runner.ts)')
const send = (message: FromSqlWorker) => port.postMessage(message)

/**
 * sql.js's engine file. In the packaged app node_modules is inside app.asar, and electron-builder.yml
 * unpacks the .wasm beside it (app.asar.unpacked): read from a real file where there is one.
 */
function wasmPath(): string {
  // Beside the engine's JavaScript, which is what `import 'sql.js'` loads (dist/sql-wasm.js).
  const packed = join(dirname(createRequire(import.meta.url).resolve('sql.js')), 'sql-wasm.wasm')
  const unpacked = packed.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2')
  return unpacked !== packed && existsSync(unpacked) ? unpacked : packed
}

// Images of the datasets run lately. A course has one dataset; a few cover tests and switching courses.
const IMAGES_KEPT = 4
const images = new Map<string, Uint8Array>()

function imageOf(SQL: SqlJsStatic, dataset: string): Uint8Array {
  const kept = images.get(dataset)
  if (kept) {
    images.delete(dataset)
    images.set(dataset, kept)
    return kept
  }
  const image = buildImage(SQL, dataset)
  images.set(dataset, image)
  for (const oldest of images.keys()) {
    if (images.size <= IMAGES_KEPT) break
    images.delete(oldest)
  }
  return image
}

let SQL: SqlJsStatic
try {
  const wasm = readFileSync(wasmPath())
  SQL = await initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) })
} catch (error) {
  send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) })
  process.exit(1)
}

port.on('message', (message: ToSqlWorker) => {
  if (message.kind === 'prepare') {
    // A dataset that fails says so at its next run, where there is someone to tell.
    try {
      imageOf(SQL, message.dataset)
    } catch {
      // Nothing to answer.
    }
    return
  }
  try {
    const image = imageOf(SQL, message.dataset)
    send({ kind: 'result', id: message.id, run: runOnImage(SQL, image, message.query, message.rowCap) })
  } catch (error) {
    if (error instanceof DatasetError) send({ kind: 'dataset-failed', id: message.id, message: error.message })
    else throw error
  }
})
send({ kind: 'ready' })
