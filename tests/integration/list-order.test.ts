/**
 * Rows made in the same second on two devices list in the same order on both once synced: ties are
 * ordered by what syncs (the row's id), not by each device's local rowid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../electron/core/core'
import { fakeClock } from '../helpers/clock'
import { openDevice, type Device } from '../helpers/devices'
import { startServer, type TestServer } from '../helpers/server'

let server: TestServer
let a: Device
let b: Device

/** Every activity id, newest first, a page of `limit` at a time. */
async function pagedIds(core: Core, limit: number): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | undefined
  do {
    const page = await core.services.activities.list(cursor ? { cursor, limit } : { limit })
    ids.push(...page.items.map((i) => i.id))
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return ids
}

const complete = async (core: Core, courseId: string, count: number) => {
  for (const lesson of (await core.services.courses.get({ courseId })).lessons.slice(0, count)) {
    await core.services.courses.updateProgress({ courseId, lessonId: lesson.id, action: 'complete' })
  }
}

beforeAll(async () => {
  server = await startServer({ env: { RATE_LIMIT_PER_IP: '100000' } })
  // One stopped clock for both: every row below is made in the same second.
  const clock = fakeClock('2026-05-01T10:00:00Z')
  a = await openDevice(server, clock)
  b = await openDevice(server, clock)
  const email = `order-${Date.now()}@example.com`
  await a.signIn(email)
  await b.signIn(email)
  // A makes its rows first and B its own, so each device holds its own rows before the other's.
  await a.core.services.courses.enroll({ courseId: 'git-essentials' })
  await complete(a.core, 'git-essentials', 2)
  await a.core.services.courses.enroll({ courseId: 'typescript-basics' })
  await b.core.services.courses.enroll({ courseId: 'sql-fundamentals' })
  await complete(b.core, 'sql-fundamentals', 3)
  await a.sync()
  await b.sync()
  await a.sync()
  await a.core.sync?.idle()
  await b.core.sync?.idle()
})
afterAll(async () => {
  a?.close()
  b?.close()
  await server?.stop()
})

describe('lists of rows made in the same second', () => {
  it('courses.enrollments lists them in the same order on both devices', async () => {
    const order = async (d: Device) => (await d.core.services.courses.enrollments()).map((e) => e.courseId)
    const onA = await order(a)
    expect(onA).toHaveLength(3)
    expect(await order(b)).toEqual(onA)
  })

  it('activities.list lists them in the same order on both devices', async () => {
    const onA = (await a.core.services.activities.list({ limit: 100 })).items.map((i) => i.id)
    expect(onA.length).toBeGreaterThan(8)
    expect((await b.core.services.activities.list({ limit: 100 })).items.map((i) => i.id)).toEqual(onA)
  })

  it('paging through the ties returns every row once, in the same order as one page', async () => {
    const whole = (await a.core.services.activities.list({ limit: 100 })).items.map((i) => i.id)
    for (const limit of [1, 2, 3, 4]) {
      for (const d of [a, b]) expect(await pagedIds(d.core, limit)).toEqual(whole)
    }
  })
})
