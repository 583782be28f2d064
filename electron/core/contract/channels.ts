/**
 * The IPC contract: every channel the renderer may call, once, with its zod input schema and the type
 * it answers. Main registers a handler per channel from this object, the preload exposes exactly these
 * names, the loopback host serves them over HTTP and the renderer's types come from here. Adding a
 * channel is one entry here (the compiler then asks for its handler in electron/core/api/handlers.ts).
 */
import { z } from 'zod'
import type { ErrorBody } from '../errors'
import { ProfilePatch } from '../mutations/args'
import * as In from './inputs'
import type * as T from './types'

/** Marks a channel's answer type; it is a type only (the renderer is trusted with what main returns). */
const answers = <Out>() => undefined as unknown as Out

/** Channels without input accept nothing, null or {} (the HTTP transport always sends a body). */
const NoInput = z.union([z.undefined(), z.null(), z.object({}).strict()]).transform(() => undefined)

export const contract = {
  'profile.get': { input: NoInput, output: answers<T.Profile>() },
  'profile.update': { input: ProfilePatch, output: answers<T.Profile>() },
  'courses.list': { input: NoInput, output: answers<T.CourseSummary[]>() },
  'courses.get': { input: In.CourseRef, output: answers<T.CourseDetail>() },
  'courses.lesson': { input: In.LessonRef, output: answers<T.LessonDetail>() },
  'courses.checkAnswer': { input: In.CheckAnswerInput, output: answers<T.CheckedAnswer>() },
  'courses.continue': { input: NoInput, output: answers<T.ContinueLearning | null>() },
  'courses.enrollments': { input: NoInput, output: answers<T.Enrollment[]>() },
  'courses.enroll': { input: In.CourseRef, output: answers<{ enrollment: T.Enrollment; outcome: T.WriteOutcome }>() },
  'courses.updateProgress': { input: In.UpdateProgressInput, output: answers<{ lesson: T.LessonSummary; outcome: T.WriteOutcome }>() },
  'stats.get': { input: NoInput, output: answers<T.Stats>() },
  'activities.list': { input: In.ActivitiesListInput.optional(), output: answers<T.ActivityPage>() },
  'activities.log': { input: In.ActivityLogInput, output: answers<T.WriteOutcome>() },
  'achievements.list': { input: NoInput, output: answers<T.AchievementList>() },
  'achievements.check': { input: NoInput, output: answers<T.WriteOutcome>() },
  /** Runs a query on a fresh copy of the course's sample database, in a worker with a time limit. */
  'sql.run': { input: In.SqlRunInput, output: answers<T.SqlRun>() },
  'pressureRoom.start': { input: In.PressureRoomStartInput, output: answers<T.PressureRoomAttempt>() },
  'pressureRoom.answer': { input: In.PressureRoomAnswerInput, output: answers<{ accepted: true }>() },
  'pressureRoom.submit': { input: In.PressureRoomSubmitInput, output: answers<T.PressureRoomResult>() },
  'auth.start': { input: In.EmailStartBody, output: answers<{ sent: true }>() },
  'auth.verify': { input: In.EmailVerifyBody, output: answers<T.SyncStatusView>() },
  'auth.signOut': { input: NoInput, output: answers<T.SyncStatusView>() },
  /** After a sign-in link: the learner confirms the account, and this computer's progress is added to it and synced. */
  'auth.confirmLink': { input: In.ConfirmLinkInput, output: answers<T.SyncStatusView>() },
  /** Ends every session of the account on the server (every computer signed in to it), then signs this one out. */
  'auth.signOutEverywhere': { input: NoInput, output: answers<T.SignedOutEverywhere>() },
  'sync.status': { input: NoInput, output: answers<T.SyncStatusView>() },
  'sync.now': { input: NoInput, output: answers<T.SyncStatusView>() },
  'settings.get': { input: NoInput, output: answers<T.AppSettings>() },
  'settings.update': { input: In.SettingsPatch, output: answers<T.AppSettings>() },
  'updates.status': { input: NoInput, output: answers<T.UpdateStatusView>() },
  'updates.check': { input: NoInput, output: answers<T.UpdateStatusView>() },
  'updates.restart': { input: NoInput, output: answers<{ restarting: true }>() },
  'data.export': { input: NoInput, output: answers<T.DataExport>() },
  /** Saves the same document through the host's save dialog; UNSUPPORTED where there is none. */
  'data.saveExport': { input: NoInput, output: answers<T.SavedExport>() },
} as const

export type Contract = typeof contract
export type Channel = keyof Contract
export const CHANNELS = Object.keys(contract) as Channel[]

export type Input<C extends Channel> = z.input<Contract[C]['input']>
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type Output<C extends Channel> = Contract[C]['output']

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorBody }

/** What the renderer sees as `window.api`: one async function per channel, never throwing. */
export type Api = {
  [C in Channel]: undefined extends Input<C> ? (input?: Input<C>) => Promise<Result<Output<C>>> : (input: Input<C>) => Promise<Result<Output<C>>>
}

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name)
}
