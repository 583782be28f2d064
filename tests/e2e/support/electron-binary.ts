/**
 * Where the Electron binary is, or null when it is not installed (the same check `npm start` makes,
 * scripts/electron-install.mjs). Never require('electron') here: the package downloads its binary
 * on first require, which must not happen in a test run.
 */
import { electronPackageDir, electronStatus } from '../../../scripts/electron-install.mjs'

export function electronBinary(): string | null {
  const status = electronStatus({ packageDir: electronPackageDir(), env: process.env, platform: process.platform })
  return status.ok ? status.binary : null
}
