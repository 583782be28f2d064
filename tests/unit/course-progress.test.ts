import { describe, it, expect } from 'vitest'
import { deriveCourseProgress, type DerivedProgress } from '../../electron/core/domain/course-progress'

const LESSONS = ['intro', 'basics', 'types']

describe('deriveCourseProgress', () => {
  it.each<[string, string[], boolean, DerivedProgress]>([
    ['nothing done, not started', [], false, { progress: 0, status: 'enrolled' }],
    ['nothing done, started', [], true, { progress: 0, status: 'in_progress' }],
    ['one of three done (33, rounded down)', ['intro'], false, { progress: 33, status: 'in_progress' }],
    ['two of three done (66, rounded down)', ['intro', 'types'], true, { progress: 66, status: 'in_progress' }],
    ['all done', ['intro', 'basics', 'types'], false, { progress: 100, status: 'completed' }],
    ['all done, started', ['types', 'basics', 'intro'], true, { progress: 100, status: 'completed' }],
  ])('%s', (_name, done, started, expected) => {
    expect(deriveCourseProgress(LESSONS, new Set(done), started)).toEqual(expected)
  })

  it('ignores completed lessons that are not in the course', () => {
    expect(deriveCourseProgress(LESSONS, new Set(['other-course-lesson', 'removed']), false)).toEqual({ progress: 0, status: 'enrolled' })
    expect(deriveCourseProgress(LESSONS, new Set(['intro', 'basics', 'elsewhere']), false)).toEqual({ progress: 66, status: 'in_progress' })
  })

  it('is not completed when extra outside lessons make the count look complete', () => {
    expect(deriveCourseProgress(LESSONS, new Set(['intro', 'basics', 'elsewhere']), true).status).toBe('in_progress')
  })

  it('a course with no lessons is never completed', () => {
    expect(deriveCourseProgress([], new Set(['intro']), false)).toEqual({ progress: 0, status: 'enrolled' })
    expect(deriveCourseProgress([], new Set(), true)).toEqual({ progress: 0, status: 'in_progress' })
  })

  it('never reports 100 before the last lesson is done', () => {
    const lessons = Array.from({ length: 200 }, (_, i) => `l${i}`)
    const done = new Set(lessons.slice(0, 199))
    expect(deriveCourseProgress(lessons, done, true)).toEqual({ progress: 99, status: 'in_progress' })
  })

  it('progress grows monotonically lesson by lesson', () => {
    const done = new Set<string>()
    let last = -1
    for (const id of LESSONS) {
      done.add(id)
      const { progress } = deriveCourseProgress(LESSONS, done, true)
      expect(progress).toBeGreaterThan(last)
      last = progress
    }
    expect(last).toBe(100)
  })
})
