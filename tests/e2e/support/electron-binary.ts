/**
 * Where the Electron binary is, or null when it is not installed. Never require('electron') here: the
 * package downloads its binary on first require, which must not happen in a test run.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_DIR = fileURLToPath(new URL('../../../node_modules/electron/', import.meta.url))

export function electronBinary(): string | null {
  const pathFile = join(PACKAGE_DIR, 'path.txt')
  if (!existsSync(pathFile)) return null
  const relative = readFileSync(pathFile, 'utf8').trim()
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(PACKAGE_DIR, 'dist')
  const binary = join(dist, relative)
  return existsSync(binary) ? binary : null
}
