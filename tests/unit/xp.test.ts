import { describe, it, expect } from 'vitest'
import {
  ACTIVITY_TYPES,
  XP_TABLE,
  LEARNING_ACTIVITIES,
  isLearningActivity,
  xpFor,
  xpFromCounts,
  xpToReachLevel,
  levelForXp,
  type ActivityType,
} from '../../electron/core/domain/xp'

describe('XP table', () => {
  const expected: [ActivityType, number][] = [
    ['course_enrolled', 0],
    ['lesson_completed', 10],
    ['pr_completed', 50],
    ['course_completed', 100],
    ['achievement_earned', 25],
  ]

  it.each(expected)('%s is worth %i XP', (type, xp) => {
    expect(XP_TABLE[type]).toBe(xp)
    expect(xpFor(type)).toBe(xp)
  })

  it('has an entry for every activity type and nothing else', () => {
    expect(Object.keys(XP_TABLE).sort()).toEqual([...ACTIVITY_TYPES].sort())
  })
})

describe('learning activities', () => {
  it.each([
    ['lesson_completed', true],
    ['pr_completed', true],
    ['course_completed', true],
    ['course_enrolled', false],
    ['achievement_earned', false],
    ['something_else', false],
    ['', false],
  ] as const)('%s counts toward the streak: %s', (type, learning) => {
    expect(isLearningActivity(type)).toBe(learning)
  })

  it('lists only known activity types', () => {
    for (const t of LEARNING_ACTIVITIES) expect(ACTIVITY_TYPES).toContain(t)
  })
})

describe('xpFromCounts', () => {
  it('is 0 for an empty log', () => {
    expect(xpFromCounts([])).toBe(0)
  })

  it('sums XP per type times count', () => {
    const counts: [string, number][] = [
      ['course_enrolled', 3],
      ['lesson_completed', 7],
      ['pr_completed', 2],
      ['course_completed', 1],
      ['achievement_earned', 4],
    ]
    expect(xpFromCounts(counts)).toBe(0 + 70 + 100 + 100 + 100)
  })

  it('accepts a Map of counts', () => {
    expect(xpFromCounts(new Map([['lesson_completed', 5]]))).toBe(50)
  })

  it('ignores unknown activity types', () => {
    expect(xpFromCounts([['lesson_completed', 1], ['quiz_started', 99], ['LESSON_COMPLETED', 3]])).toBe(10)
  })

  it('ignores unknown types named like Object.prototype members (toString, constructor, __proto__, …)', () => {
    const inherited = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']
    const results = Object.fromEntries(inherited.map((type) => [type, xpFromCounts([['lesson_completed', 1], [type, 2]])]))
    expect(results).toEqual(Object.fromEntries(inherited.map((type) => [type, 10])))
  })
})

describe('xpToReachLevel', () => {
  it.each([
    [1, 0],
    [2, 100],
    [3, 300],
    [4, 600],
    [5, 1000],
    [10, 4500],
    [30, 43500],
  ])('level %i starts at %i XP', (level, xp) => {
    expect(xpToReachLevel(level)).toBe(xp)
  })

  it('each level costs 100 XP more than the one before', () => {
    for (let level = 1; level <= 30; level++) {
      expect(xpToReachLevel(level + 1) - xpToReachLevel(level)).toBe(100 * level)
    }
  })
})

describe('levelForXp', () => {
  const levels = Array.from({ length: 30 }, (_, i) => i + 1)

  it.each(levels)('level %i starts exactly at 50*L*(L-1) XP', (level) => {
    const start = 50 * level * (level - 1)
    const info = levelForXp(start)
    expect(info.level).toBe(level)
    expect(info.xpIntoLevel).toBe(0)
    expect(info.levelSpan).toBe(100 * level)
    expect(info.xpToNextLevel).toBe(100 * level)
  })

  it.each(levels.filter((l) => l > 1))('one XP short of level %i is still the level below', (level) => {
    const start = 50 * level * (level - 1)
    const info = levelForXp(start - 1)
    expect(info.level).toBe(level - 1)
    expect(info.xpToNextLevel).toBe(1)
    expect(info.xpIntoLevel).toBe(info.levelSpan - 1)
  })

  it.each(levels)('one XP into level %i stays on that level', (level) => {
    const info = levelForXp(50 * level * (level - 1) + 1)
    expect(info.level).toBe(level)
    expect(info.xpIntoLevel).toBe(1)
    expect(info.xpToNextLevel).toBe(100 * level - 1)
  })

  it('xpIntoLevel + xpToNextLevel always equals levelSpan, and level matches the table', () => {
    for (let xp = 0; xp <= 50_000; xp += 7) {
      const info = levelForXp(xp)
      expect(info.xpIntoLevel + info.xpToNextLevel).toBe(info.levelSpan)
      expect(info.levelSpan).toBe(100 * info.level)
      expect(xpToReachLevel(info.level)).toBeLessThanOrEqual(xp)
      expect(xpToReachLevel(info.level + 1)).toBeGreaterThan(xp)
      expect(info.xpIntoLevel).toBe(xp - xpToReachLevel(info.level))
    }
  })

  it.each([-1, -100, -1e9, -0.5])('negative XP (%d) is level 1 with nothing earned', (xp) => {
    expect(levelForXp(xp)).toEqual({ level: 1, xpIntoLevel: 0, levelSpan: 100, xpToNextLevel: 100 })
  })

  it.each([
    [0.4, 1, 0],
    [99.9, 1, 99],
    [100.5, 2, 0],
    [299.999, 2, 199],
    [300.0001, 3, 0],
  ])('fractional XP %d is rounded down (level %i, %i into the level)', (xp, level, into) => {
    const info = levelForXp(xp)
    expect(info.level).toBe(level)
    expect(info.xpIntoLevel).toBe(into)
    expect(info.xpIntoLevel + info.xpToNextLevel).toBe(info.levelSpan)
  })

  it('10 million XP is level 447 as the closed form says', () => {
    const xp = 10_000_000
    const closedForm = Math.floor((1 + Math.sqrt(1 + xp / 12.5)) / 2)
    expect(closedForm).toBe(447)
    const info = levelForXp(xp)
    expect(info).toEqual({
      level: 447,
      xpIntoLevel: xp - 50 * 447 * 446,
      levelSpan: 100 * 447,
      xpToNextLevel: 50 * 448 * 447 - xp,
    })
  })

  it.each([100, 447, 1000, 10_000, 100_000])('large level %i has exact boundaries', (level) => {
    const start = xpToReachLevel(level)
    expect(levelForXp(start).level).toBe(level)
    expect(levelForXp(start - 1).level).toBe(level - 1)
    expect(levelForXp(start + 100 * level - 1).level).toBe(level)
    expect(levelForXp(start + 100 * level).level).toBe(level + 1)
  })
})
