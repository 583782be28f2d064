/**
 * The app's own updates, as the learner sees them: the status in words, the download's progress and
 * "Restart to update". The sidebar shows the last two; the Settings screen shows all of it.
 */
import { useId } from 'react'
import { matchPath, useLocation } from 'react-router'
import type { UpdateStatusView } from '../../../electron/core/contract/types'
import { useRestartToUpdate, useUpdateStatus } from '../api/settings-hooks'
import { relativeTime, useNow } from './SyncStatusLine'
import { useToasts } from './Toasts'
import '../screens/screens-c.css'

export type UpdateTone = 'idle' | 'off' | 'busy' | 'ok' | 'error'

const versionOf = (status: UpdateStatusView) => (status.version ? `version ${status.version}` : 'the new version')
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** One sentence for each state, and the colour of its dot. */
export function updateWords(status: UpdateStatusView, now: number): { tone: UpdateTone; text: string } {
  switch (status.state) {
    case 'unsupported':
      return { tone: 'idle', text: status.message ?? 'This copy of Pathwise does not update itself.' }
    case 'disabled':
      return { tone: 'off', text: 'Automatic updates are off.' }
    case 'idle':
      return { tone: 'idle', text: 'Pathwise will check for updates shortly.' }
    case 'checking':
      return { tone: 'busy', text: 'Checking for updates…' }
    case 'up-to-date':
      return { tone: 'ok', text: status.lastCheckedAt ? `Up to date · checked ${relativeTime(status.lastCheckedAt, now)}` : 'Up to date' }
    case 'downloading':
      return { tone: 'busy', text: `Downloading ${versionOf(status)}… ${Math.floor(status.percent ?? 0)}%` }
    case 'ready':
      return { tone: 'ok', text: `${capitalized(versionOf(status))} is ready. Restart Pathwise to finish updating.` }
    case 'error':
      return { tone: 'error', text: status.message ?? 'The update could not be checked or downloaded.' }
  }
}

export function UpdateProgress({ status, className = '' }: { status: UpdateStatusView; className?: string }) {
  const percent = Math.floor(status.percent ?? 0)
  return (
    <div
      className={`update-progress ${className}`}
      role="progressbar"
      aria-label={`Downloading ${versionOf(status)}`}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${percent}%`}
    >
      <div className="update-progress-fill" style={{ width: `${percent}%` }} />
    </div>
  )
}

export const PRESSURE_ROOM_BLOCK_HINT = 'Finish your Pressure Room first. The update also installs when you quit Pathwise.'

/** "Restart to update", disabled with the reason while a Pressure Room attempt is open. */
export function RestartButton({ status, className = 'button button-primary' }: { status: UpdateStatusView; className?: string }) {
  const restart = useRestartToUpdate()
  const toasts = useToasts()
  const hintId = useId()
  const blocked = Boolean(status.restartBlockedByPressureRoom)
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={blocked || restart.isPending}
        aria-describedby={blocked ? hintId : undefined}
        onClick={() =>
          restart.mutate(undefined, {
            onError: (error) => toasts.show({ tone: 'error', title: 'Pathwise did not restart', body: error.message }),
          })
        }
      >
        {restart.isPending ? 'Restarting…' : 'Restart to update'}
      </button>
      {blocked ? (
        <p id={hintId} className="update-hint" data-testid="update-blocked">
          {PRESSURE_ROOM_BLOCK_HINT}
        </p>
      ) : null}
    </>
  )
}

/** Screens without the sidebar's update box: the timed Pressure Room, and Settings (which shows it all). */
const QUIET_SCREENS = ['/courses/:courseId/pressure-room', '/settings']

/** The sidebar's update box: only while downloading or ready, and never over the Pressure Room. */
export function UpdateNotice() {
  const location = useLocation()
  const status = useUpdateStatus().data
  const now = useNow()
  if (!status || QUIET_SCREENS.some((pattern) => matchPath(pattern, location.pathname))) return null
  if (status.state !== 'downloading' && status.state !== 'ready') return null
  return (
    <div className={`update-notice update-notice-${status.state}`} data-testid="update-notice">
      <p className="update-notice-text" role="status">
        {updateWords(status, now).text}
      </p>
      {status.state === 'downloading' ? <UpdateProgress status={status} /> : <RestartButton status={status} className="button button-primary update-restart" />}
    </div>
  )
}
