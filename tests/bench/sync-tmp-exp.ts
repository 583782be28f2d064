import { performance } from 'node:perf_hooks'
import { fakeClock } from '../helpers/clock'
import { openDevice } from '../helpers/devices'
import { startServer } from '../helpers/server'

const server = await startServer()
const clock = fakeClock(Date.now() - 86400_000 * 5)
const original = globalThis.fetch
const t0 = performance.now()
const ev = (s: string) => console.log((performance.now() - t0).toFixed(1).padStart(9), s)
globalThis.fetch = async (input, init) => {
  const p = new URL(String(input)).pathname
  ev(`fetch start ${p}`)
  const r = await original(input, init)
  const b = await r.arrayBuffer()
  ev(`fetch end ${p} ${r.status} ${b.byteLength}`)
  return new Response(b, { status: r.status, headers: r.headers })
}
const device = await openDevice(server, clock)
globalThis.fetch = original
await device.signIn('x@example.com')
const lessons = device.core.catalog.courses.flatMap((c) => c.lessons.map((l) => ({ courseId: c.id, lessonId: l.id })))
for (let i = 0; i < 10000; i++) {
  clock.advance(30)
  await device.core.services.courses.updateProgress({ ...lessons[(i * 7) % lessons.length]!, action: 'addTime', seconds: 60 })
}
device.core.sync!.subscribe((s) => ev(`status ${s.state} ${s.pending}`))
const from = server.stdout.length
ev('sync start')
await device.sync()
ev('sync end')
await new Promise((r) => setTimeout(r, 200))
console.log(server.stdout.slice(from).map(l=>JSON.parse(l).ms).join(" "))
device.close()
await server.stop()
