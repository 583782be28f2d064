/**
 * The text of an export file, however it is saved (main's atomic write, or the browser download on the
 * loopback host): both must produce the same file. No imports beyond types: the renderer bundles it.
 */
import type { PathwiseExport } from './types'

export const exportFileText = (data: PathwiseExport): string => `${JSON.stringify(data, null, 2)}\n`
