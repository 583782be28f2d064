/** The count of each learner's pushes in flight (server/push-limits.ts). */
import { describe, expect, it } from 'vitest'
import { createInFlightGate, MAX_PUSHES_IN_FLIGHT_PER_LEARNER } from '../../server/push-limits'

describe('the in-flight gate', () => {
  it(`lets each learner have ${MAX_PUSHES_IN_FLIGHT_PER_LEARNER} pushes on their way, and another once one is answered`, () => {
    const gate = createInFlightGate()
    const ada = Array.from({ length: MAX_PUSHES_IN_FLIGHT_PER_LEARNER + 1 }, () => gate.enter('ada'))
    expect(ada).toEqual([...Array.from({ length: MAX_PUSHES_IN_FLIGHT_PER_LEARNER }, () => true), false])
    expect(gate.enter('bob')).toBe(true) // counted per learner
    gate.leave('ada')
    expect(gate.enter('ada')).toBe(true)
    expect(gate.enter('ada')).toBe(false)
    for (let i = 0; i < MAX_PUSHES_IN_FLIGHT_PER_LEARNER; i++) gate.leave('ada')
    gate.leave('bob')
    expect(gate.size()).toBe(0) // nothing kept for learners with nothing in flight
  })
})
