/**
 * Sign-in links against login CSRF (issue 12 §2): a `pathwise://auth/verify` link is used only when this
 * device asked for a code for that email (its nonce is in the link), and a link sign-in pushes nothing of
 * this computer's offline history until the learner confirms the account. Real server process, real
 * devices (each a core over its own LibSQL file); links are answered the way Electron's main answers them.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../electron/core/clock'
import { outboxSize } from '../../electron/core/repositories/outbox'
import { createAccountService } from '../../electron/core/services/account'
import { createSyncHttp } from '../../electron/core/sync/http'
import { SIGN_IN_REQUEST_TTL_MS } from '../../electron/core/sync/sign-in-requests'
import { createFileTokenStore } from '../../electron/core/sync/token-store'
import { answerDeepLink, parseDeepLink, type DeepLink } from '../../electron/main/deep-link'
import { openDevice, type Device } from '../helpers/devices'
import { call, latestCode, latestMail, requestLog, startServer, type TestServer } from '../helpers/server'

const COURSE = 'git-essentials'
const NOT_REQUESTED = /not requested on this computer/

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

const startOne = () => startServer({ env: { RATE_LIMIT_PER_IP: '100000', RATE_LIMIT_PER_EMAIL: '100000' } })

// One server process for the file (each test uses addresses of its own, so none sees another's data);
// a test that stops the server starts its own.
let shared: Promise<TestServer> | null = null
afterAll(async () => {
  await (await shared)?.stop()
})
const server = (): Promise<TestServer> => (shared ??= startOne())

async function ownServer(): Promise<TestServer> {
  const s = await startOne()
  cleanup.push(() => s.stop())
  return s
}

async function device(s: TestServer): Promise<Device> {
  const d = await openDevice(s, systemClock)
  cleanup.push(() => d.close())
  return d
}

let emails = 0
const email = (who: string) => `${who}-${Date.now()}-${++emails}@example.com`

/** A learner's offline history: a name, a location, an enrolment, a completed lesson with notes. */
async function learnOffline(d: Device): Promise<void> {
  const { account, profile, courses } = d.core.services
  expect((await account.status()).state).toBe('signed-out')
  await profile.update({ name: 'Vic Tim', location: 'Lisbon' })
  await courses.enroll({ courseId: COURSE })
  const lesson = (await courses.get({ courseId: COURSE })).lessons[0]?.id as string
  await courses.updateProgress({ courseId: COURSE, lessonId: lesson, action: 'saveNotes', notes: 'my private notes' })
  await courses.updateProgress({ courseId: COURSE, lessonId: lesson, action: 'complete' })
}

/** The sign-in link in the newest mail to `to`, as the mail reader would open it. */
async function mailedLink(s: TestServer, to: string): Promise<string> {
  const link = /pathwise:\/\/auth\/verify\?\S+/.exec(await latestMail(s, to))?.[0]
  if (!link) throw new Error(`the mail to ${to} carries no link`)
  return link
}

/** Answers a raw link the way electron/main/index.ts does: parsed strictly, then answered by the core. */
async function open(d: Device, raw: string) {
  const link = parseDeepLink(raw)
  expect(link).not.toBeNull()
  const outcome = await answerDeepLink(d.core, link as DeepLink)
  await d.core.sync?.idle()
  return outcome
}

/**
 * The end of the server's log once every request made so far is in it: a request of our own made after
 * them is the barrier (a request's log line can reach us after its answer; the server logs in the order
 * it answers).
 */
async function logMark(s: TestServer): Promise<number> {
  const from = s.stdout.length
  expect((await call(s, 'GET', '/healthz')).status).toBe(200)
  const deadline = Date.now() + 10_000
  while (requestLog(s, from, '/healthz').length === 0) {
    if (Date.now() > deadline) throw new Error('the server never logged the barrier request')
    await new Promise((r) => setTimeout(r, 20))
  }
  return s.stdout.length
}

/** The paths the server was asked for between two marks (the barriers left out). */
async function requestsSince(s: TestServer, from: number): Promise<string[]> {
  const to = await logMark(s)
  return requestLog({ stdout: s.stdout.slice(0, to) }, from)
    .map((r) => r.path)
    .filter((p) => p !== '/healthz')
}

const pending = (d: Device) => d.core.db.read((q) => outboxSize(q))
const outboxRows = (d: Device) => d.core.db.client.execute('SELECT seq, name, args FROM outbox ORDER BY seq').then((r) => r.rows.map((row) => ({ ...row })))
const tokenOf = (d: Device) => readFile(join(d.dataDir, 'session-token'), 'utf8').catch(() => null)

/** What a freshly signed-in device (typed code) finds in the account. */
async function accountSeenElsewhere(s: TestServer, account: string) {
  const other = await device(s)
  await other.signIn(account)
  await other.sync()
  const profile = await other.core.services.profile.get()
  const stats = await other.core.services.stats.get()
  const lessonId = (await other.core.services.courses.get({ courseId: COURSE })).lessons[0]?.id as string
  const { notes } = await other.core.services.courses.lesson({ courseId: COURSE, lessonId })
  return { name: profile.name, location: profile.location, lessons: stats.lessonsCompleted, notes }
}

describe('a sign-in link this device did not ask for', () => {
  it('a link with no nonce is refused: nothing is verified, sent or changed', async () => {
    const s = await server()
    const victim = await device(s)
    await learnOffline(victim)
    const before = await outboxRows(victim)

    // Mallory asks for a code on her own computer and sends the victim the link, without its nonce.
    const mallory = email('mallory')
    await (await device(s)).core.services.account.start({ email: mallory })
    const link = (await mailedLink(s, mallory)).replace(/&nonce=[^&]*/, '')
    expect(link).not.toMatch(/nonce/)

    const from = await logMark(s)
    const outcome = await open(victim, link)
    expect(outcome).toEqual({ ok: false, message: expect.stringMatching(NOT_REQUESTED) })
    expect(await requestsSince(s, from)).toEqual([])
    expect((await victim.core.services.account.status()).state).toBe('signed-out')
    expect(await outboxRows(victim)).toEqual(before)
    expect(await tokenOf(victim)).toBeNull()
  })

  it("a link with another device's nonce is refused, even when this device asked for a code for that email", async () => {
    const s = await server()
    const victim = await device(s)
    await learnOffline(victim)
    const before = await outboxRows(victim)
    const mallory = email('mallory')

    // Mallory's own computer asks: the mailed link carries that computer's nonce.
    await (await device(s)).core.services.account.start({ email: mallory })
    const theirs = await mailedLink(s, mallory)

    // Not requested here at all, and then requested here too (a nonce of this device's own, not the link's).
    for (const askedHereToo of [false, true]) {
      if (askedHereToo) await victim.core.services.account.start({ email: mallory })
      const from = await logMark(s)
      expect(await open(victim, theirs)).toEqual({ ok: false, message: expect.stringMatching(NOT_REQUESTED) })
      expect(await requestsSince(s, from)).toEqual([])
      expect((await victim.core.services.account.status()).state).toBe('signed-out')
      expect(await outboxRows(victim)).toEqual(before)
    }
  })
})

describe('a sign-in link this device asked for', () => {
  it('signs in but pushes nothing until the learner confirms the account', async () => {
    const s = await server()
    const learner = await device(s)
    await learnOffline(learner)
    const changes = await pending(learner)
    const account = email('learner')
    await learner.core.services.account.start({ email: account })

    const from = await logMark(s)
    expect(await open(learner, await mailedLink(s, account))).toEqual({ ok: true })
    expect(await learner.core.services.account.status()).toMatchObject({ state: 'awaiting-confirmation', email: account, pending: changes })
    // "Sync now" and the engine's own triggers change nothing while it waits.
    await learner.sync()
    await learner.core.sync?.idle()
    expect(await learner.core.services.account.status()).toMatchObject({ state: 'awaiting-confirmation', email: account, pending: changes })
    expect(await requestsSince(s, from)).toEqual(['/v1/auth/email/verify'])
    // Still this computer's own learner: nothing was adopted into the account.
    expect((await learner.core.services.profile.get()).name).toBe('Vic Tim')
    expect(await pending(learner)).toBe(changes)
  })

  it('confirming adopts the offline history and pushes it into the account', async () => {
    const s = await server()
    const learner = await device(s)
    await learnOffline(learner)
    const account = email('learner')
    await learner.core.services.account.start({ email: account })
    expect(await open(learner, await mailedLink(s, account))).toEqual({ ok: true })

    const from = await logMark(s)
    const status = await learner.core.services.account.confirmLink({ email: account })
    await learner.core.sync?.idle()
    expect(status.email).toBe(account)
    expect(await learner.core.services.account.status()).toMatchObject({ state: 'up-to-date', email: account, pending: 0 })
    expect(await requestsSince(s, from)).toContain('/v1/sync/push')
    expect(await accountSeenElsewhere(s, account)).toEqual({ name: 'Vic Tim', location: 'Lisbon', lessons: 1, notes: 'my private notes' })
  })

  it('confirming another address than the one waiting is refused and changes nothing', async () => {
    const s = await server()
    const learner = await device(s)
    await learnOffline(learner)
    const account = email('learner')
    await learner.core.services.account.start({ email: account })
    expect(await open(learner, await mailedLink(s, account))).toEqual({ ok: true })
    await expect(learner.core.services.account.confirmLink({ email: 'someone-else@example.com' })).rejects.toMatchObject({ code: 'CONFLICT' })
    await expect(learner.core.services.account.confirmLink({ email: 'not an address' })).rejects.toMatchObject({ code: 'INVALID' })
    expect(await learner.core.services.account.status()).toMatchObject({ state: 'awaiting-confirmation', email: account })
  })

  it('declining signs out: nothing was pushed, the session ends on the server, the outbox is intact', async () => {
    const s = await server()
    const learner = await device(s)
    await learnOffline(learner)
    const before = await outboxRows(learner)
    const account = email('mallory')
    await learner.core.services.account.start({ email: account })
    expect(await open(learner, await mailedLink(s, account))).toEqual({ ok: true })
    const token = (await tokenOf(learner)) as string
    expect(token).toBeTruthy()

    const from = await logMark(s)
    const status = await learner.core.services.account.signOut()
    expect(status).toMatchObject({ state: 'signed-out', email: null, pending: before.length })
    expect(await requestsSince(s, from)).toEqual(['/v1/auth/signout'])
    expect((await call(s, 'GET', '/v1/me', { token })).status).toBe(401)
    expect(await tokenOf(learner)).toBeNull()
    expect(await outboxRows(learner)).toEqual(before)
    expect((await learner.core.services.profile.get()).name).toBe('Vic Tim')
    // The declined account got nothing of this computer's.
    expect(await accountSeenElsewhere(s, account)).toEqual({ name: expect.not.stringContaining('Vic'), location: '', lessons: 0, notes: '' })
  })

  it('the wait for confirmation survives a restart of the core, and still nothing is pushed', async () => {
    const s = await server()
    const learner = await device(s)
    await learnOffline(learner)
    const changes = await pending(learner)
    const account = email('learner')
    await learner.core.services.account.start({ email: account })
    expect(await open(learner, await mailedLink(s, account))).toEqual({ ok: true })

    const from = await logMark(s)
    await learner.restart()
    learner.core.sync?.start()
    await learner.core.sync?.idle()
    expect(await learner.core.services.account.status()).toMatchObject({ state: 'awaiting-confirmation', email: account, pending: changes })
    await learner.sync()
    expect(await requestsSince(s, from)).toEqual([])

    await learner.core.services.account.confirmLink({ email: account })
    await learner.core.sync?.idle()
    expect(await learner.core.services.account.status()).toMatchObject({ state: 'up-to-date', pending: 0 })
    expect((await accountSeenElsewhere(s, account)).notes).toBe('my private notes')
  })

  it('a link is good once: the same link again is refused without reaching the server', async () => {
    const s = await server()
    const learner = await device(s)
    const account = email('learner')
    await learner.core.services.account.start({ email: account })
    const link = await mailedLink(s, account)
    expect(await open(learner, link)).toEqual({ ok: true })
    await learner.core.services.account.signOut()

    const from = await logMark(s)
    expect(await open(learner, link)).toEqual({ ok: false, message: expect.stringMatching(NOT_REQUESTED) })
    expect(await requestsSince(s, from)).toEqual([])
  })

  it('a wrong code in a link of this device is refused by the server, and the real link still works', async () => {
    const s = await server()
    const learner = await device(s)
    const account = email('learner')
    await learner.core.services.account.start({ email: account })
    const link = await mailedLink(s, account)
    const code = await latestCode(s, account)
    const wrong = link.replace(/code=\d{6}/, `code=${String((Number(code) + 1) % 1_000_000).padStart(6, '0')}`)
    expect(await open(learner, wrong)).toEqual({ ok: false, message: expect.not.stringMatching(NOT_REQUESTED) })
    expect(await open(learner, link)).toEqual({ ok: true })
  })

  it("a typed code while a link's account waits replaces it: that session ends, and the history goes only to the typed account", async () => {
    const s = await server()
    const learner = await device(s)
    await learnOffline(learner)
    const mallory = email('mallory')
    await learner.core.services.account.start({ email: mallory })
    expect(await open(learner, await mailedLink(s, mallory))).toEqual({ ok: true })
    const waitingToken = (await tokenOf(learner)) as string

    const mine = email('learner')
    await learner.signIn(mine)
    expect(await learner.core.services.account.status()).toMatchObject({ state: 'up-to-date', email: mine, pending: 0 })
    expect((await call(s, 'GET', '/v1/me', { token: waitingToken })).status).toBe(401)
    expect((await accountSeenElsewhere(s, mine)).notes).toBe('my private notes')
    expect((await accountSeenElsewhere(s, mallory)).notes).toBe('')
  })

  it('a typed code needs no confirmation: the learner typed the address here', async () => {
    const s = await server()
    const learner = await device(s)
    await learnOffline(learner)
    const account = email('learner')
    await learner.signIn(account)
    expect(await learner.core.services.account.status()).toMatchObject({ state: 'up-to-date', email: account, pending: 0 })
  })
})

describe("a sign-in link and the time and place it was asked for", () => {
  it("is refused once the code's lifetime is over, without reaching the server", async () => {
    const s = await server()
    const learner = await device(s)
    const account = email('late')
    await learner.core.services.account.start({ email: account })
    const link = parseDeepLink(await mailedLink(s, account)) as DeepLink
    // The same device's account service, its clock just past the code's lifetime.
    const later = createAccountService({
      db: learner.core.db,
      catalog: learner.core.catalog,
      sync: { http: createSyncHttp(s.url), tokens: createFileTokenStore(join(learner.dataDir, 'session-token')), engine: learner.core.sync as NonNullable<Device['core']['sync']> },
      onLearnerChanged: () => undefined,
      now: () => Date.now() + SIGN_IN_REQUEST_TTL_MS,
    })
    const from = await logMark(s)
    expect(await answerDeepLink({ sync: learner.core.sync, services: { account: later } }, link)).toEqual({ ok: false, message: expect.stringMatching(NOT_REQUESTED) })
    expect(await requestsSince(s, from)).toEqual([])
    // Still within it, the same link works.
    expect(await open(learner, await mailedLink(s, account))).toEqual({ ok: true })
  })

  it('is accepted after the app that asked was closed and opened again (the link often starts the app)', async () => {
    const s = await server()
    const learner = await device(s)
    const account = email('restart')
    await learner.core.services.account.start({ email: account })
    await learner.restart()
    expect(await open(learner, await mailedLink(s, account))).toEqual({ ok: true })
    expect(await learner.core.services.account.status()).toMatchObject({ state: 'awaiting-confirmation', email: account })
  })
})

describe('signing out everywhere', () => {
  it("ends every session of the account on the server, this computer's included, and signs this computer out", async () => {
    const s = await server()
    const account = email('everywhere')
    const here = await device(s)
    const there = await device(s)
    await here.signIn(account)
    await there.signIn(account)
    const token = (await tokenOf(here)) as string

    const answer = await here.core.services.account.signOutEverywhere()
    expect(answer).toMatchObject({ signedOut: 2, status: { state: 'signed-out', email: null } })
    expect(await tokenOf(here)).toBeNull()
    expect((await call(s, 'GET', '/v1/me', { token })).status).toBe(401)
    // The other computer finds out at its next sync.
    await there.sync()
    expect(await there.core.services.account.status()).toMatchObject({ state: 'signed-out', lastError: expect.stringMatching(/session ended/) })
  })

  it('needs the server: offline, it changes nothing and says why', async () => {
    const s = await ownServer()
    const account = email('everywhere-offline')
    const here = await device(s)
    await here.signIn(account)
    const token = await tokenOf(here)
    await s.kill()
    await expect(here.core.services.account.signOutEverywhere()).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/cannot be reached/) })
    expect(await tokenOf(here)).toBe(token)
    await s.restart()
    await here.sync()
    expect(await here.core.services.account.status()).toMatchObject({ state: 'up-to-date', email: account })
  })

  it('signed out already, there is nothing to end', async () => {
    const s = await server()
    const here = await device(s)
    const from = await logMark(s)
    await expect(here.core.services.account.signOutEverywhere()).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    expect(await requestsSince(s, from)).toEqual([])
  })
})
