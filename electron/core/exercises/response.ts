/**
 * What a learner answers, for every kind (see question-schema.ts): a choice index, a list of indexes,
 * a boolean, a number, typed text or a list of typed texts. Bounded, since attempts carry responses
 * through the outbox and the server re-validates them.
 */
import { z } from 'zod'

const Index = z.number().int().min(0).max(50)
const Typed = z.string().max(5000)

export const ResponseSchema = z.union([
  z.boolean(),
  z.number().finite(),
  Typed,
  z.array(Index).max(10),
  z.array(z.string().max(500)).max(10),
])

export type Response = z.infer<typeof ResponseSchema>
