/**
 * What Pathwise adds to the Electron runtime in an installer: `npx tsx scripts/package-size.ts`.
 *
 * Packs the app with electron-builder around a stand-in Electron (scripts/pack-stand-in.ts) and
 * measures the result. The Electron runtime itself (Chromium, Node, V8: the bulk of every
 * installer) is not measured here; see the estimate printed at the end.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { packWithStandInElectron } from './pack-stand-in'

const root = join(import.meta.dirname, '..')

interface Size {
  bytes: number
  gzip: number
  files: number
}

/** Bytes, per-file gzip -9 bytes (a rough proxy for what an installer's compressor achieves) and file count. */
async function measure(dir: string, keep: (file: string) => boolean = () => true): Promise<Size> {
  const size: Size = { bytes: 0, gzip: 0, files: 0 }
  if (!existsSync(dir)) return size
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath, entry.name)
    if (!entry.isFile() || !keep(file)) continue
    const data = await readFile(file)
    size.bytes += data.length
    size.gzip += gzipSync(data, { level: 9 }).length
    size.files++
  }
  return size
}

async function measureFile(file: string): Promise<Size> {
  const data = await readFile(file)
  return { bytes: (await stat(file)).size, gzip: gzipSync(data, { level: 9 }).length, files: 1 }
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`

function row(label: string, size: Size): string {
  const files = size.files > 0 ? String(size.files) : ''
  return `${label.padEnd(46)} ${mb(size.bytes).padStart(9)} ${mb(size.gzip).padStart(9)} ${files.padStart(6)}`
}

if (!existsSync(join(root, 'out', 'main', 'index.js'))) throw new Error('Build the app first: npm run build')

const work = await mkdtemp(join(tmpdir(), 'pathwise-size-'))
try {
  const resources = await packWithStandInElectron(root, work)
  const out = await measure(join(root, 'out'), (file) => !file.endsWith('.map'))
  const asar = await measureFile(join(resources, 'app.asar'))
  const unpacked = await measure(join(resources, 'app.asar.unpacked'))
  const courses = await measure(join(resources, 'courses'))
  const migrations = await measure(join(resources, 'migrations'))
  const total: Size = [asar, unpacked, courses, migrations].reduce(
    (sum, size) => ({ bytes: sum.bytes + size.bytes, gzip: sum.gzip + size.gzip, files: sum.files + size.files }),
    { bytes: 0, gzip: 0, files: 0 },
  )
  const nodeModulesInAsar: Size = { bytes: asar.bytes - out.bytes, gzip: asar.gzip - out.gzip, files: 0 }

  console.log(`${'Linux x64 package (stand-in Electron)'.padEnd(46)} ${'size'.padStart(9)} ${'gzip -9'.padStart(9)} ${'files'.padStart(6)}`)
  console.log(row('out/ without source maps (the built app)', out))
  console.log(row('resources/app.asar (out/ + production deps)', asar))
  console.log(row('  of which node_modules and asar header', nodeModulesInAsar))
  console.log(row('resources/app.asar.unpacked (libsql .node)', unpacked))
  console.log(row('resources/courses (course packs)', courses))
  console.log(row('resources/migrations (*.sql)', migrations))
  console.log(row('Pathwise on top of Electron', total))
  console.log(`
Not measured (Electron's zips cannot be downloaded here): the Electron 45 runtime itself, roughly
250-290 MB unpacked and ~100-115 MB as Electron's own release zip per platform. Expect installers of
about: AppImage 105-120 MB, deb 75-90 MB (xz), NSIS 80-95 MB (7z/LZMA), dmg and the updater's zip
100-120 MB (arm64).`)
} finally {
  await rm(work, { recursive: true, force: true })
}
