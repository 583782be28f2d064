/** An enrollment's progress and status, derived from which of the course's lessons are complete. */

export type EnrollmentStatus = 'enrolled' | 'in_progress' | 'completed'

export interface DerivedProgress {
  /** Percent of the course's lessons completed, 0..100. */
  progress: number
  status: EnrollmentStatus
}

export function deriveCourseProgress(
  lessonIds: readonly string[],
  completedLessonIds: ReadonlySet<string>,
  started: boolean,
): DerivedProgress {
  const done = lessonIds.filter((id) => completedLessonIds.has(id)).length
  const progress = lessonIds.length === 0 ? 0 : Math.floor((done * 100) / lessonIds.length)
  if (lessonIds.length > 0 && done === lessonIds.length) return { progress: 100, status: 'completed' }
  return { progress, status: started || done > 0 ? 'in_progress' : 'enrolled' }
}
