// Types of electron-install.mjs for the TypeScript tests that share it (it is plain JavaScript so
// that `npm start` runs it without a compiler).
export type ElectronStatus = { ok: true; binary: string } | { ok: false; missing: 'override' | 'download'; binary: string; version: string }
export interface ElectronFailure {
  missing: 'override' | 'download'
  binary: string
  version: string
  reason?: string
  logFile?: string
  platform: string
  arch: string
}
export function electronPackageDir(): string
export function executableInDist(platform: string): string
export function electronStatus(options: { packageDir: string; env: Record<string, string | undefined>; platform: string }): ElectronStatus
export function runElectronInstaller(options: { packageDir: string; env: Record<string, string | undefined>; logFile: string }): { ok: true } | { ok: false; reason: string }
export function firstErrorLine(output: string): string | null
export function electronMissingMessage(failure: ElectronFailure): string
