/** The JSON stored in course_enrollments.pressure_room, parsed defensively (it may come from sync). */
import { z } from 'zod'
import type { PressureRoomRecord } from './pressure-room'

const RecordSchema = z.object({
  bestScore: z.number().min(0).max(100),
  attempts: z.number().int().min(0),
  passedAt: z.number().int().nullable(),
})

export function parsePressureRoom(json: string | null): PressureRoomRecord | null {
  if (!json) return null
  try {
    const parsed = RecordSchema.safeParse(JSON.parse(json))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
