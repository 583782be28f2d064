/**
 * The installers' configuration (electron-builder.yml) and what it puts in the package.
 *
 * The contents are checked on a real package: electron-builder itself packs the app around a
 * stand-in Electron binary (scripts/pack-stand-in.ts), since Electron's zips cannot be downloaded
 * in CI.
 */
import { Ajv, type ValidateFunction } from 'ajv'
import { extractFile, listPackage, statFile } from '@electron/asar'
import { convertIcon } from 'app-builder-lib/out/util/iconConverter.js'
import type { Configuration } from 'electron-builder'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { packWithStandInElectron } from '../../scripts/pack-stand-in'
import { ROOT } from '../helpers/paths'

const run = promisify(execFile)

/** Packages only the sync server (server/) or the loopback host (scripts/web.ts) use. */
const SERVER_ONLY = ['hono', '@hono/node-server', 'nodemailer']

interface PackageJson {
  name: string
  version: string
  main?: string
  homepage?: string
  desktopName?: string
  author?: { name?: string; email?: string } | string
  repository?: { type?: string; url?: string } | string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T
}

let compiled: ValidateFunction<Configuration> | undefined

async function validator(): Promise<ValidateFunction<Configuration>> {
  // electron-builder's own schema is draft-07 with union types ("type": ["null", "string"]) and
  // keywords Ajv's strict mode does not know.
  const schema = await readJson<object>(join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'))
  compiled ??= new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile<Configuration>(schema)
  return compiled
}

/** Every file under `dir`, as forward-slash paths relative to it. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort()
}

const config = parse(await readFile(join(ROOT, 'electron-builder.yml'), 'utf8')) as Configuration
const pkg = await readJson<PackageJson>(join(ROOT, 'package.json'))

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s configuration schema', async () => {
    const validate = await validator()
    const valid = validate(config)
    expect(valid, JSON.stringify(validate.errors, null, 2)).toBe(true)
  })

  it.each([
    ['a misspelled option', { linux: { ...config.linux, categroy: 'Education' } }, '/linux'],
    ['a wrong type', { nsis: { ...config.nsis, perMachine: 'no' } }, '/nsis/perMachine'],
    ['an unknown fuse', { electronFuses: { ...config.electronFuses, runAsNod: false } }, '/electronFuses'],
    ['a scheme given as a string', { protocols: [{ name: 'Pathwise sign-in link', schemes: 'pathwise' }] }, '/protocols/0/schemes'],
  ])('the schema check catches %s', async (_what, change, where) => {
    const validate = await validator()
    expect(validate({ ...config, ...change })).toBe(false)
    expect(validate.errors?.map((error) => error.instancePath)).toContain(where)
  })

  it('registers the pathwise: URL scheme for the sign-in link', () => {
    expect(config.protocols).toEqual([{ name: 'Pathwise sign-in link', schemes: ['pathwise'] }])
  })

  it('flips the Electron fuses that close the ways around the app’s own code', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    })
    expect(config.asar).toBe(true)
  })

  it('publishes to GitHub releases, the repository package.json names', () => {
    expect(config.publish).toMatchObject({ provider: 'github', owner: 'pathwise-app', repo: 'pathwise' })
    const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url
    expect(repository).toMatch(/github\.com\/pathwise-app\/pathwise(\.git)?$/)
  })

  it('builds a per-user Windows installer that lets the learner pick the folder', () => {
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true })
  })

  it('never lets the Windows installer ask for administrator rights or preselect "all users"', () => {
    // allowElevation defaults to true, selectPerMachineByDefault to false: both must be as below.
    expect(config.nsis?.allowElevation).toBe(false)
    expect(config.nsis?.selectPerMachineByDefault ?? false).toBe(false)
  })

  it('the Windows installer skips the "all users / only for me" page: it installs for the current user only', async () => {
    const script = await readFile(join(ROOT, 'build', 'installer.nsh'), 'utf8')
    // The variables electron-builder's install-mode page reads (templates/nsis/multiUserUi.nsh).
    const macro = /!macro customInstallMode\n([\s\S]*?)!macroend/.exec(script)?.[1] ?? ''
    expect(macro).toContain('StrCpy $isForceCurrentInstall "1"')
    expect(macro).toContain('StrCpy $isForceMachineInstall "0"')
    const template = await readFile(join(ROOT, 'node_modules', 'app-builder-lib', 'templates', 'nsis', 'multiUserUi.nsh'), 'utf8')
    expect(template).toMatch(/!insertmacro customInstallMode/)
    expect(template).toMatch(/\$isForceCurrentInstall == "1"/)
  })

  it('the Windows installer registers the pathwise: scheme for the installing user', async () => {
    expect(config.nsis?.include).toBe('build/installer.nsh')
    const script = await readFile(join(ROOT, 'build', 'installer.nsh'), 'utf8')
    expect(script).toContain('!macro customInstall')
    expect(script).toContain('WriteRegStr HKCU "Software\\Classes\\pathwise" "URL Protocol" ""')
    expect(script).toContain('"$INSTDIR\\${APP_EXECUTABLE_FILENAME}" "%1"')
    expect(script).toContain('!macro customUnInstall')
  })

  it('builds AppImage and deb packages in the Education category, with a maintainer and a homepage', () => {
    const targets = (config.linux?.target ?? []) as Array<{ target: string }>
    expect(targets.map((t) => t.target)).toEqual(['AppImage', 'deb'])
    expect(config.linux?.category).toBe('Education')
    // How electron-builder's deb target (FpmTarget.computeFpmMetaInfoOptions) finds them: it refuses
    // to build without both.
    const author = typeof pkg.author === 'object' ? pkg.author : undefined
    const maintainer = config.deb?.maintainer ?? config.linux?.maintainer ?? (author?.email ? `${author.name} <${author.email}>` : undefined)
    expect(maintainer).toMatch(/^[^<>]+ <[^@\s]+@[^@\s]+\.[a-z]+>$/)
    expect(pkg.homepage).toMatch(/^https:\/\//)
    // syncDesktopName names the .desktop file after desktopName, the app_id Electron reports.
    expect(config.linux?.syncDesktopName).toBe(true)
    expect(pkg.desktopName).toBe('pathwise.desktop')
  })

  it('signs macOS builds with the hardened runtime and minimal entitlements', async () => {
    expect(config.mac?.hardenedRuntime).toBe(true)
    expect(config.mac?.entitlements).toBe('build/entitlements.mac.plist')
    expect(config.mac?.entitlementsInherit).toBe('build/entitlements.mac.plist')
    const entitlements = parseBooleanPlist(await readFile(join(ROOT, 'build', 'entitlements.mac.plist'), 'utf8'))
    expect(entitlements).toEqual({ 'com.apple.security.cs.allow-jit': true })
  })

  it('builds a zip beside the dmg, which macOS updates are installed from', () => {
    const targets = (config.mac?.target ?? []) as Array<{ target: string }>
    expect(targets.map((t) => t.target).sort()).toEqual(['dmg', 'zip'])
  })

  it('ships the dmg and the zip for Intel and Apple Silicon Macs, each named for its arch', () => {
    const targets = (config.mac?.target ?? []) as Array<{ target: string; arch?: string[] }>
    for (const target of targets) expect(target.arch?.slice().sort(), target.target).toEqual(['arm64', 'x64'])
    // Two apps in one release need distinct file names, and electron-updater picks a Mac's zip by "arm64" in it.
    for (const artifactName of [config.mac?.artifactName, config.dmg?.artifactName]) expect(artifactName).toContain('${arch}')
  })

  it('the lock pins libsql’s native module for every Mac arch, as the release workflow installs it', async () => {
    const lock = await readJson<{ packages: Record<string, { version?: string }> }>(join(ROOT, 'package-lock.json'))
    const libsql = await readJson<PackageJson>(join(ROOT, 'node_modules', 'libsql', 'package.json'))
    const archs = new Set(((config.mac?.target ?? []) as Array<{ arch?: string[] }>).flatMap((target) => target.arch ?? []))
    expect(archs.size).toBeGreaterThan(0)
    for (const arch of archs) {
      const name = `@libsql/darwin-${arch}`
      expect(libsql.optionalDependencies, name).toHaveProperty(name)
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(libsql.optionalDependencies?.[name])
    }
  })
})

/**
 * The entitlements of a plist that holds one <dict> of booleans (what build/entitlements.mac.plist
 * may contain); throws on anything else, so a malformed file fails here rather than in codesign on
 * a Mac.
 */
function parseBooleanPlist(xml: string): Record<string, boolean> {
  const comments = xml.match(/<!--[\s\S]*?-->/g) ?? []
  for (const comment of comments) {
    if (comment.slice(4, -3).includes('--')) throw new Error('"--" is not allowed inside an XML comment')
  }
  const body = xml.replace(/<!--[\s\S]*?-->/g, '')
  const document =
    /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<!DOCTYPE plist PUBLIC "-\/\/Apple\/\/DTD PLIST 1\.0\/\/EN" "http:\/\/www\.apple\.com\/DTDs\/PropertyList-1\.0\.dtd">\s*<plist version="1\.0">\s*<dict>((?:\s*<key>[^<]+<\/key>\s*<(?:true|false)\/>)*)\s*<\/dict>\s*<\/plist>\s*$/.exec(
      body,
    )
  if (!document) throw new Error('not a plist holding one <dict> of booleans')
  const entries: Record<string, boolean> = {}
  for (const [, key, value] of (document[1] ?? '').matchAll(/<key>([^<]+)<\/key>\s*<(true|false)\/>/g)) {
    if (key !== undefined) entries[key] = value === 'true'
  }
  return entries
}

describe('package.json', () => {
  it('keeps server-only packages out of the production dependencies the package ships', () => {
    for (const name of SERVER_ONLY) {
      expect(pkg.dependencies, name).not.toHaveProperty(name)
      expect(pkg.devDependencies, name).toHaveProperty(name)
    }
  })

  it('every production dependency is imported by the app (electron/), not only by the server', async () => {
    const sources = (await listFiles(join(ROOT, 'electron'))).filter((file) => file.endsWith('.ts'))
    const imported = new Set<string>()
    for (const file of sources) {
      const text = await readFile(join(ROOT, 'electron', file), 'utf8')
      for (const [, specifier] of text.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)) {
        if (specifier) imported.add(packageName(specifier))
      }
    }
    for (const name of Object.keys(pkg.dependencies ?? {})) expect(imported, name).toContain(name)
  })

  it('has the dist, dist:<platform> and icons scripts', async () => {
    const { scripts } = await readJson<{ scripts: Record<string, string> }>(join(ROOT, 'package.json'))
    expect(scripts.icons).toBe('tsx scripts/make-icons.ts')
    expect(scripts.dist).toMatch(/^npm run build && electron-builder .*--publish never$/)
    for (const platform of ['linux', 'win', 'mac']) {
      expect(scripts[`dist:${platform}`]).toBe(`npm run build && electron-builder --${platform} --publish never`)
    }
  })
})

describe('the release workflow', () => {
  interface Workflow {
    on: { push: { tags: string[] } }
    // The test job calls a reusable workflow: it has neither runs-on nor steps.
    jobs: Record<string, { 'runs-on'?: string; strategy?: { matrix: { include: Array<{ os: string; platform: string }> } }; steps?: Array<{ run?: string; env?: Record<string, string> }> }>
  }

  it('builds and publishes every platform’s installers when a version tag is pushed', async () => {
    const workflow = parse(await readFile(join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8')) as Workflow
    expect(workflow.on.push.tags).toEqual(['v*'])
    const build = workflow.jobs.build
    expect(build?.strategy?.matrix.include.map((entry) => entry.os).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest'])
    const steps = build?.steps ?? []
    expect(steps.map((step) => step.run)).toEqual(expect.arrayContaining(['npm ci', 'npm run build']))
    const publish = steps.find((step) => step.run?.includes('electron-builder'))
    expect(publish?.run).toContain('--publish always')
    expect(Object.keys(publish?.env ?? {})).toEqual(
      expect.arrayContaining(['GH_TOKEN', 'CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID', 'WIN_CSC_LINK']),
    )
  })
})

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/')
}

function pngSize(data: Buffer): { width: number; height: number } {
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  expect(data.toString('ascii', 12, 16)).toBe('IHDR')
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) }
}

describe('icons', () => {
  const iconsDir = join(ROOT, 'resources', 'icons')

  it('the Linux set has a square PNG for every hicolor size up to 1024', async () => {
    const names = (await readdir(join(iconsDir, 'png'))).sort((a, b) => parseInt(a) - parseInt(b))
    expect(names).toEqual([16, 24, 32, 48, 64, 128, 256, 512, 1024].map((size) => `${size}x${size}.png`))
    for (const name of names) {
      const size = parseInt(name)
      expect(pngSize(await readFile(join(iconsDir, 'png', name))), name).toEqual({ width: size, height: size })
    }
  })

  it('the Windows icon holds 16 to 256 pixel images', async () => {
    const ico = await readFile(join(iconsDir, 'icon.ico'))
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    const count = ico.readUInt16LE(4)
    const sizes = Array.from({ length: count }, (_, i) => {
      const entry = 6 + i * 16
      // A width byte of 0 means 256.
      const width = ico.readUInt8(entry) || 256
      const offset = ico.readUInt32LE(entry + 12)
      const length = ico.readUInt32LE(entry + 8)
      expect(offset + length).toBeLessThanOrEqual(ico.length)
      return width
    })
    expect(sizes).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]))
  })

  it('the macOS icon is an icns file up to 1024 pixels (512@2x)', async () => {
    const icns = await readFile(join(iconsDir, 'icon.icns'))
    expect(icns.toString('ascii', 0, 4)).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const chunks = new Map<string, Buffer>()
    for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4)) {
      chunks.set(icns.toString('ascii', offset, offset + 4), icns.subarray(offset + 8, offset + icns.readUInt32BE(offset + 4)))
    }
    const ic10 = chunks.get('ic10')
    expect(ic10, 'ic10 (512@2x) chunk').toBeDefined()
    if (ic10) expect(pngSize(ic10)).toEqual({ width: 1024, height: 1024 })
  })

  it('electron-builder takes the configured icons as they are, without falling back to Electron’s', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'pathwise-icons-'))
    try {
      const roots = [join(ROOT, 'resources'), ROOT]
      const resolve = (source: string | null | undefined, format: 'set' | 'ico' | 'icns') =>
        convertIcon({ sources: source ? [source] : [], fallbackSources: [], roots, format, outDir })

      const linux = await resolve(config.linux?.icon, 'set')
      expect(linux.isFallback).toBe(false)
      expect(linux.icons.map((icon) => icon.size)).toEqual([16, 24, 32, 48, 64, 128, 256, 512, 1024])
      expect(linux.icons.every((icon) => icon.file.startsWith(join(ROOT, 'resources', 'icons', 'png')))).toBe(true)

      const win = await resolve(config.win?.icon, 'ico')
      expect(win.icons).toEqual([{ file: join(iconsDir, 'icon.ico'), size: 256 }])

      const mac = await resolve(config.mac?.icon, 'icns')
      expect(mac.icons.map((icon) => icon.file)).toEqual([join(iconsDir, 'icon.icns')])
    } finally {
      await rm(outDir, { recursive: true, force: true })
    }
  })
})

/** Linux x64 package contents, built once for the tests below. */
interface Packed {
  resources: string
  asar: string
  /** Files in app.asar (forward slashes, no leading slash), including those stored unpacked. */
  files: string[]
  /** Top-level packages in the asar's node_modules. */
  packages: Set<string>
}

describe('the packaged app (Linux x64, electron-builder --dir)', () => {
  let work = ''
  let packed: Packed

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'out', 'main', 'index.js'))) {
      // A clean clone has not built the app yet (the end-to-end tests build it later in `npm test`).
      await run('npx', ['electron-vite', 'build'], { cwd: ROOT, shell: process.platform === 'win32' })
    }
    work = await mkdtemp(join(tmpdir(), 'pathwise-pack-'))
    const resources = await packWithStandInElectron(ROOT, work)
    const asar = join(resources, 'app.asar')
    const files = listPackage(asar, { isPack: false })
      .map((entry) => entry.split(/[\\/]/).filter(Boolean).join('/'))
      .filter((entry) => 'size' in statFile(asar, entry, false))
      .sort()
    const packages = new Set(files.filter((file) => file.startsWith('node_modules/')).map((file) => packageName(file.slice('node_modules/'.length))))
    packed = { resources, asar, files, packages }
  }, 180_000)

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true })
  })

  it('holds the built app without source maps: exactly out/ and package.json, besides node_modules', async () => {
    const built = (await listFiles(join(ROOT, 'out'))).filter((file) => !file.endsWith('.map')).map((file) => `out/${file}`)
    const app = packed.files.filter((file) => !file.startsWith('node_modules/'))
    expect(app).toEqual([...built, 'package.json'].sort())
  })

  it('carries no sources, tests, server, scripts or source maps anywhere', () => {
    const forbidden = /^(electron|renderer|server|tests|scripts|migrations|resources|build|\.github)\//
    expect(packed.files.filter((file) => forbidden.test(file))).toEqual([])
    expect(packed.files.filter((file) => /\.(map|ts|cts|mts)$/.test(file))).toEqual([])
  })

  it('the packaged package.json starts the built main process', () => {
    const manifest = JSON.parse(extractFile(packed.asar, 'package.json').toString('utf8')) as PackageJson
    expect(manifest.main).toBe('out/main/index.js')
    expect(packed.files).toContain(manifest.main)
  })

  it('ships the production dependencies and what they need, and nothing else', async () => {
    const closure = await productionClosure(ROOT, pkg)
    for (const name of Object.keys(pkg.dependencies ?? {})) expect(packed.packages, name).toContain(name)
    expect([...packed.packages].filter((name) => !closure.has(name))).toEqual([])
    for (const name of SERVER_ONLY) expect(packed.packages, name).not.toContain(name)
  })

  it('every package the built main process and preload import is shipped', async () => {
    const bare = new Set<string>()
    for (const file of ['out/main/index.js', 'out/preload/index.cjs']) {
      const text = await readFile(join(ROOT, file), 'utf8')
      for (const [, specifier] of text.matchAll(/(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)["']([^"'./][^"']*)["']/g)) {
        if (specifier && !specifier.startsWith('node:') && !builtinModules.includes(specifier)) bare.add(packageName(specifier))
      }
    }
    bare.delete('electron')
    expect([...bare].filter((name) => !packed.packages.has(name))).toEqual([])
  })

  it('keeps native modules outside the asar, and only the glibc build of libsql', async () => {
    const native = packed.files.filter((file) => file.endsWith('.node'))
    expect(native.length).toBeGreaterThan(0)
    for (const file of native) {
      expect(statFile(packed.asar, file, false), file).toMatchObject({ unpacked: true })
      expect(existsSync(join(packed.resources, 'app.asar.unpacked', file)), file).toBe(true)
    }
    expect([...packed.packages].filter((name) => /^@libsql\/linux-.*-musl$/.test(name))).toEqual([])
  })

  it('brings the course packs and the SQL migrations as resources beside the asar', async () => {
    expect((await readdir(packed.resources)).sort()).toEqual(['app-update.yml', 'app.asar', 'app.asar.unpacked', 'courses', 'migrations'])
    expect(await listFiles(join(packed.resources, 'courses'))).toEqual(await listFiles(join(ROOT, 'resources', 'courses')))
    const migrations = (await readdir(join(ROOT, 'migrations'))).filter((file) => file.endsWith('.sql')).sort()
    expect(migrations.length).toBeGreaterThan(0)
    expect(await listFiles(join(packed.resources, 'migrations'))).toEqual(migrations)
  })

  it('tells electron-updater where the release feed is', async () => {
    const feed = parse(await readFile(join(packed.resources, 'app-update.yml'), 'utf8')) as Record<string, unknown>
    expect(feed).toMatchObject({ provider: 'github', owner: 'pathwise-app', repo: 'pathwise' })
  })
})

/**
 * The packages a production install needs: package.json's dependencies, theirs, and the optional
 * dependencies that are installed here, resolved the way Node does (nearest node_modules upwards).
 */
async function productionClosure(root: string, manifest: PackageJson): Promise<Set<string>> {
  const seen = new Set<string>()
  const queue: Array<{ from: string; name: string; optional: boolean }> = Object.keys(manifest.dependencies ?? {}).map((name) => ({
    from: root,
    name,
    optional: false,
  }))
  while (queue.length > 0) {
    const next = queue.shift()
    if (!next) break
    const dir = locate(root, next.from, next.name)
    if (!dir) {
      if (next.optional) continue
      throw new Error(`${next.name} (needed by ${relative(root, next.from) || 'the app'}) is not installed`)
    }
    const key = relative(join(root, 'node_modules'), dir).split(sep).join('/')
    if (seen.has(key)) continue
    seen.add(key)
    const dependency = await readJson<PackageJson>(join(dir, 'package.json'))
    for (const name of Object.keys(dependency.dependencies ?? {})) queue.push({ from: dir, name, optional: false })
    for (const name of Object.keys(dependency.optionalDependencies ?? {})) queue.push({ from: dir, name, optional: true })
  }
  // Nested copies (a/node_modules/b) are reported by their package name, as the asar's top level is.
  return new Set([...seen].map((key) => packageName(key.split('/node_modules/').at(-1) ?? key)))
}

function locate(root: string, from: string, name: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dir === root || dirname(dir) === dir) return null
  }
}
