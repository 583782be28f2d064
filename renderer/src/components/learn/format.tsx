/** Wording and formatting shared by the learning screens, so a course reads the same everywhere. */
import type { EnrollmentStatus } from '../../../../electron/core/contract/types'

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

/** Epoch seconds → the learner's own date format. */
export const formatDate = (epochSeconds: number) => dateFormat.format(new Date(epochSeconds * 1000))

export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return m === 0 ? `${h} h` : `${h} h ${m} min`
}

/** A time limit in words: "8 minutes", "90 seconds". */
export function formatDuration(seconds: number): string {
  if (seconds % 60 !== 0 && seconds < 600) return `${seconds} seconds`
  const minutes = Math.round(seconds / 60)
  return minutes === 1 ? '1 minute' : `${minutes} minutes`
}

/** The countdown face: m:ss, or h:mm:ss for long limits. */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, totalSeconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${String(m).padStart(2, '0')}:${ss}`
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

export const LEVEL_LABEL = { beginner: 'Beginner', intermediate: 'Intermediate', advanced: 'Advanced' } as const

const STATUS: Record<EnrollmentStatus | 'none', { label: string; tone: string }> = {
  none: { label: 'Not enrolled', tone: 'badge' },
  enrolled: { label: 'Enrolled', tone: 'badge badge-accent' },
  in_progress: { label: 'In progress', tone: 'badge badge-accent' },
  completed: { label: 'Completed', tone: 'badge badge-success' },
}

export function EnrollmentBadge({ status }: { status: EnrollmentStatus | null | undefined }) {
  const s = STATUS[status ?? 'none']
  return <span className={s.tone}>{s.label}</span>
}
