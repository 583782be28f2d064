import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openCore, type Core, type CoreOptions } from '../../electron/core/core'
import { COURSES_DIR, MIGRATIONS_DIR } from './paths'

export async function tempDir(prefix = 'pathwise-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

/** A core over a real LibSQL file in a fresh temp folder. */
export async function openTestCore(options: Partial<CoreOptions> = {}): Promise<Core & { dataDir: string; dispose(): Promise<void> }> {
  const dataDir = options.dataDir ?? (await tempDir())
  const core = await openCore({ dataDir, coursesDir: COURSES_DIR, migrationsDir: MIGRATIONS_DIR, timezone: 'UTC', ...options })
  return {
    ...core,
    dataDir,
    async dispose() {
      core.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
