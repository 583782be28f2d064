import { createHash } from 'node:crypto'
import { uuidv7 } from 'uuidv7'

/** A new time-ordered id for a row or mutation made on this device (never collides offline). */
export function newId(): string {
  return uuidv7()
}

/**
 * A deterministic id for a one-time fact, e.g. ("u1", "lesson_completed", "sql/select"): two devices
 * that record the same fact offline produce the same row, so merging keeps one.
 * Formatted as an RFC 9562 UUIDv8 (custom, hash-based).
 */
export function factId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u001f')).digest('hex')
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
