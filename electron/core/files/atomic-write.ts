/**
 * Replaces a file so that it is never seen half-written: the text goes to a new file in the same
 * folder (a rename is only atomic within one file system), is flushed to disk, then renamed over the
 * target. Whatever fails, the temporary file is removed and the target keeps its old contents.
 */
import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** The temporary file's name: hidden, unique per call, and recognisably ours if a crash leaves it behind. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`)
}

/**
 * `mode`, when given, is what the file ends with whatever the umask (the rename keeps it); without it
 * the file is created as writeFile would create it.
 */
export async function writeFileAtomic(target: string, text: string, options: { mode?: number } = {}): Promise<void> {
  const temp = tempPathFor(target)
  try {
    // 'wx': never write through a file (or link) that is already there.
    const handle = await open(temp, 'wx', options.mode)
    try {
      // The umask may have taken bits off the mode given to open.
      if (options.mode !== undefined) await handle.chmod(options.mode)
      await handle.writeFile(text, 'utf8')
      // Without the flush, a crash after the rename could leave an empty file under the target's name.
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, target)
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined)
    throw error
  }
  await syncFolder(dirname(target))
}

/** Makes the rename itself durable. Best effort: Windows cannot open a folder for this, and the file is already complete. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // The data is written and renamed; only its durability across a power cut is less certain.
  }
}
