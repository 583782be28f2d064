/** One handler per contract channel, backed by the core's services. A missing channel fails to compile. */
import type { Channel, Output, ParsedInput } from '../contract/channels'
import type { Services } from '../core'

export type Handler<C extends Channel> = (input: ParsedInput<C>) => Promise<Output<C>>
export type Handlers = { [C in Channel]: Handler<C> }

/** `services` is read on every call: signing in switches the device to the account's learner. */
export function createHandlers(services: () => Services): Handlers {
  const s = new Proxy({} as Services, { get: (_target, area) => services()[area as keyof Services] })
  return {
    'profile.get': () => s.profile.get(),
    'profile.update': (input) => s.profile.update(input),
    'courses.list': () => s.courses.list(),
    'courses.get': (input) => s.courses.get(input),
    'courses.lesson': (input) => s.courses.lesson(input),
    'courses.checkAnswer': (input) => s.courses.checkAnswer(input),
    'courses.continue': () => s.courses.continueLearning(),
    'courses.enrollments': () => s.courses.enrollments(),
    'courses.enroll': (input) => s.courses.enroll(input),
    'courses.updateProgress': (input) => s.courses.updateProgress(input),
    'stats.get': () => s.stats.get(),
    'activities.list': (input) => s.activities.list(input ?? {}),
    'activities.log': (input) => s.activities.log(input),
    'achievements.list': () => s.achievements.list(),
    'achievements.check': () => s.achievements.check(),
    'sql.run': (input) => s.sql.run(input),
    'pressureRoom.start': (input) => s.pressureRoom.start(input),
    'pressureRoom.answer': (input) => s.pressureRoom.answer(input),
    'pressureRoom.submit': (input) => s.pressureRoom.submit(input),
    'auth.start': (input) => s.account.start(input),
    'auth.verify': (input) => s.account.verify(input),
    'auth.signOut': () => s.account.signOut(),
    'auth.confirmLink': (input) => s.account.confirmLink(input),
    'auth.signOutEverywhere': () => s.account.signOutEverywhere(),
    'sync.status': () => s.account.status(),
    'sync.now': () => s.account.syncNow(),
    'settings.get': () => s.settings.get(),
    'settings.update': (input) => s.settings.update(input),
    'updates.status': () => s.updates.status(),
    'updates.check': () => s.updates.check(),
    'updates.restart': () => s.updates.restart(),
    'data.export': () => s.data.export(),
    'data.saveExport': () => s.data.saveExport(),
  }
}
