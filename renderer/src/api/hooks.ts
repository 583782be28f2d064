/**
 * Data hooks: TanStack Query over the contract. Screens get their data here, never from window.api.
 * Writes refresh every query their change can affect and announce what they earned.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import type { Input } from '../../../electron/core/contract/channels'
import type { WriteOutcome } from '../../../electron/core/contract/types'
import { useToasts } from '../components/Toasts'
import { call } from './client'

export const keys = {
  profile: ['profile'] as const,
  courses: ['courses'] as const,
  course: (courseId: string) => ['courses', courseId] as const,
  // Not under 'courses': refreshing progress must not refetch the open lesson every time it saves time.
  lesson: (courseId: string, lessonId: string) => ['lesson', courseId, lessonId] as const,
  continue: ['continue'] as const,
  enrollments: ['enrollments'] as const,
  stats: ['stats'] as const,
  activities: ['activities'] as const,
  achievements: ['achievements'] as const,
}

/** Everything a learning write (enroll, progress, Pressure Room) may change. */
function refreshProgress(client: QueryClient) {
  for (const key of [keys.courses, keys.continue, keys.enrollments, keys.stats, keys.activities, keys.achievements]) {
    void client.invalidateQueries({ queryKey: key })
  }
}

export const useProfile = () => useQuery({ queryKey: keys.profile, queryFn: () => call('profile.get') })
export const useCourses = () => useQuery({ queryKey: keys.courses, queryFn: () => call('courses.list') })
export const useCourse = (courseId: string) => useQuery({ queryKey: keys.course(courseId), queryFn: () => call('courses.get', { courseId }) })
export const useLesson = (courseId: string, lessonId: string) =>
  useQuery({ queryKey: keys.lesson(courseId, lessonId), queryFn: () => call('courses.lesson', { courseId, lessonId }) })
export const useContinueLearning = () => useQuery({ queryKey: keys.continue, queryFn: () => call('courses.continue') })
export const useStats = () => useQuery({ queryKey: keys.stats, queryFn: () => call('stats.get') })
export const useAchievements = () => useQuery({ queryKey: keys.achievements, queryFn: () => call('achievements.list') })

export const ACTIVITY_PAGE_SIZE = 20
export const useActivities = () =>
  useInfiniteQuery({
    queryKey: keys.activities,
    queryFn: ({ pageParam }) => call('activities.list', pageParam ? { cursor: pageParam, limit: ACTIVITY_PAGE_SIZE } : { limit: ACTIVITY_PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  })

export function useUpdateProfile() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (patch: Input<'profile.update'>) => call('profile.update', patch),
    onSuccess: (profile) => client.setQueryData(keys.profile, profile),
  })
}

function useCelebratingMutation<I, O extends { outcome: WriteOutcome } | WriteOutcome>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient()
  const toasts = useToasts()
  return useMutation({
    mutationFn: fn,
    onSuccess: (result) => {
      toasts.celebrate('outcome' in result ? result.outcome : result)
      refreshProgress(client)
    },
  })
}

export const useEnroll = () => useCelebratingMutation((courseId: string) => call('courses.enroll', { courseId }))

/** Completing a lesson or adding time; notes use useSaveNotes (no refresh storm while typing). */
export function useUpdateProgress(courseId: string, lessonId: string) {
  const client = useQueryClient()
  const mutation = useCelebratingMutation((change: { action: 'complete' } | { action: 'addTime'; seconds: number }) =>
    call('courses.updateProgress', { courseId, lessonId, ...change }),
  )
  return { ...mutation, refreshLesson: () => client.invalidateQueries({ queryKey: keys.lesson(courseId, lessonId) }) }
}

export function useSaveNotes(courseId: string, lessonId: string) {
  return useMutation({ mutationFn: (notes: string) => call('courses.updateProgress', { courseId, lessonId, action: 'saveNotes', notes }) })
}

export const usePressureRoomStart = () => useMutation({ mutationFn: (courseId: string) => call('pressureRoom.start', { courseId }) })
export const usePressureRoomAnswer = () => useMutation({ mutationFn: (input: Input<'pressureRoom.answer'>) => call('pressureRoom.answer', input) })
export const usePressureRoomSubmit = () => useCelebratingMutation((input: Input<'pressureRoom.submit'>) => call('pressureRoom.submit', input))

/** A lesson practice answer, graded by the core: the key comes back only with the verdict. */
export const useCheckAnswer = () => useMutation({ mutationFn: (input: Input<'courses.checkAnswer'>) => call('courses.checkAnswer', input) })

/** A learner's query on a fresh copy of the course's sample database. */
export const useSqlRun = () => useMutation({ mutationFn: (input: Input<'sql.run'>) => call('sql.run', input) })
