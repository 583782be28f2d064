import { describe, it, expect } from 'vitest'
import {
  ACHIEVEMENTS,
  achievementByKey,
  achievementProgress,
  isEarned,
  newlyEarned,
  type AchievementDef,
  type AchievementMetrics,
} from '../../electron/core/domain/achievements'

const ZERO: AchievementMetrics = {
  lessonsCompleted: 0,
  coursesCompleted: 0,
  coursesEnrolled: 0,
  longestStreak: 0,
  pressureRoomsPassed: 0,
  perfectPressureRooms: 0,
  xp: 0,
  level: 0,
  totalTimeSeconds: 0,
  notesWritten: 0,
}

function withMetric(def: AchievementDef, value: number): AchievementMetrics {
  return { ...ZERO, [def.metric]: value }
}

function def(key: string): AchievementDef {
  const found = achievementByKey(key)
  if (!found) throw new Error(`no achievement ${key}`)
  return found
}

describe('achievement catalog', () => {
  it('has at least 12 achievements', () => {
    expect(ACHIEVEMENTS.length).toBeGreaterThanOrEqual(12)
  })

  it('has unique keys', () => {
    const keys = ACHIEVEMENTS.map((a) => a.key)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it.each(ACHIEVEMENTS.map((a) => [a.key, a] as const))('%s has a title, a description, a known metric and a positive target', (_key, a) => {
    expect(a.key).toMatch(/^[a-z0-9_]+$/)
    expect(a.title.trim()).not.toBe('')
    expect(a.description.trim()).not.toBe('')
    expect(Object.keys(ZERO)).toContain(a.metric)
    expect(Number.isInteger(a.target)).toBe(true)
    expect(a.target).toBeGreaterThan(0)
  })

  it('nothing is earned with zero metrics', () => {
    expect(newlyEarned(ZERO, new Set())).toEqual([])
  })

  it('achievementByKey finds an entry and returns undefined for an unknown key', () => {
    expect(achievementByKey('first_lesson')?.metric).toBe('lessonsCompleted')
    expect(achievementByKey('nope')).toBeUndefined()
  })
})

describe.each(ACHIEVEMENTS.map((a) => [a.key, a] as const))('achievement %s', (key, a) => {
  it(`is not earned one below its target (${a.metric} = ${a.target - 1})`, () => {
    const metrics = withMetric(a, a.target - 1)
    expect(isEarned(a, metrics)).toBe(false)
    expect(newlyEarned(metrics, new Set()).map((x) => x.key)).not.toContain(key)
  })

  it(`is earned at its target (${a.metric} = ${a.target})`, () => {
    const metrics = withMetric(a, a.target)
    expect(isEarned(a, metrics)).toBe(true)
    expect(newlyEarned(metrics, new Set()).map((x) => x.key)).toContain(key)
  })

  it('is earned above its target', () => {
    expect(isEarned(a, withMetric(a, a.target + 1))).toBe(true)
  })
})

describe('newlyEarned', () => {
  const metrics: AchievementMetrics = { ...ZERO, lessonsCompleted: 10, coursesEnrolled: 1 }

  it('lists qualifying achievements in catalog order', () => {
    expect(newlyEarned(metrics, new Set()).map((a) => a.key)).toEqual(['first_lesson', 'ten_lessons', 'first_enrollment'])
  })

  it('excludes already-earned keys', () => {
    expect(newlyEarned(metrics, new Set(['first_lesson', 'first_enrollment'])).map((a) => a.key)).toEqual(['ten_lessons'])
  })

  it('is empty once everything qualifying is earned (earning is idempotent)', () => {
    const first = newlyEarned(metrics, new Set())
    expect(newlyEarned(metrics, new Set(first.map((a) => a.key)))).toEqual([])
  })

  it('ignores unknown keys in the earned set', () => {
    expect(newlyEarned(metrics, new Set(['retired_badge'])).length).toBe(3)
  })
})

describe('achievementProgress', () => {
  it('is 0 with nothing done', () => {
    expect(achievementProgress(def('ten_lessons'), ZERO)).toEqual({ current: 0, target: 10, ratio: 0 })
  })

  it('is the fraction of the target reached', () => {
    expect(achievementProgress(def('ten_lessons'), { ...ZERO, lessonsCompleted: 4 })).toEqual({ current: 4, target: 10, ratio: 0.4 })
    expect(achievementProgress(def('study_hour'), { ...ZERO, totalTimeSeconds: 900 })).toEqual({ current: 900, target: 3600, ratio: 0.25 })
  })

  it('is 1 at the target', () => {
    expect(achievementProgress(def('streak_7'), { ...ZERO, longestStreak: 7 })).toEqual({ current: 7, target: 7, ratio: 1 })
  })

  it('is capped at the target beyond it', () => {
    expect(achievementProgress(def('streak_7'), { ...ZERO, longestStreak: 40 })).toEqual({ current: 7, target: 7, ratio: 1 })
    expect(achievementProgress(def('xp_1000'), { ...ZERO, xp: 1_000_000 })).toEqual({ current: 1000, target: 1000, ratio: 1 })
  })

  it('stays within 0..1 for every catalog entry', () => {
    for (const a of ACHIEVEMENTS) {
      for (const v of [0, 1, a.target - 1, a.target, a.target * 3]) {
        const p = achievementProgress(a, withMetric(a, v))
        expect(p.ratio).toBeGreaterThanOrEqual(0)
        expect(p.ratio).toBeLessThanOrEqual(1)
        expect(p.current).toBeLessThanOrEqual(a.target)
        expect(p.ratio === 1).toBe(isEarned(a, withMetric(a, v)))
      }
    }
  })
})
