/**
 * Settings: how Pathwise updates itself on this computer, and "Export my data". A screen of its own
 * (not part of Account) because none of it needs an account: it is about this computer and this copy
 * of the app, for every learner, signed in or not.
 */
import { useId } from 'react'
import type { UpdateStatusView } from '../../../electron/core/contract/types'
import { useCheckForUpdates, useExportData, useSettings, useUpdateSettings, useUpdateStatus } from '../api/settings-hooks'
import { ErrorNotice, Loading } from '../components/States'
import { useNow } from '../components/SyncStatusLine'
import { useToasts } from '../components/Toasts'
import { RestartButton, UpdateProgress, updateWords } from '../components/Updates'
import './screens-c.css'

function UpdateState({ status, id }: { status: UpdateStatusView; id: string }) {
  const now = useNow()
  const { tone, text } = updateWords(status, now)
  return (
    <div id={id} className={`settings-update-state settings-tone-${tone}`} role="status" aria-live="polite" data-testid="update-status" data-state={status.state}>
      <span className={`status-dot update-dot update-dot-${tone}`} aria-hidden="true" />
      <div className="settings-update-text">
        <p>{text}</p>
        {status.state === 'disabled' && status.message ? <p className="muted">{status.message}</p> : null}
        {status.currentVersion ? <p className="muted">You have Pathwise {status.currentVersion}.</p> : null}
      </div>
    </div>
  )
}

function Updates() {
  const settings = useSettings()
  const save = useUpdateSettings()
  const status = useUpdateStatus()
  const check = useCheckForUpdates()
  const stateId = useId()
  const hintId = useId()
  const toggleId = useId()

  if (settings.isPending || status.isPending) return <Loading what="your update settings" />
  if (settings.isError) return <ErrorNotice error={settings.error} retry={() => void settings.refetch()} />
  if (status.isError) return <ErrorNotice error={status.error} retry={() => void status.refetch()} />

  const s = status.data
  // What the switch shows while a change is being saved: the learner's choice, not the old value.
  const autoUpdate = save.isPending && save.variables?.autoUpdate !== undefined ? save.variables.autoUpdate : settings.data.autoUpdate
  const busy = s.state === 'checking' || s.state === 'downloading' || check.isPending
  const canCheck = s.state !== 'unsupported' && s.state !== 'ready' && !busy

  return (
    <>
      <div className="settings-switch-row">
        <input
          id={toggleId}
          type="checkbox"
          role="switch"
          className="settings-switch"
          checked={autoUpdate}
          disabled={save.isPending}
          aria-describedby={`${hintId} ${stateId}`}
          onChange={(event) => save.mutate({ autoUpdate: event.target.checked })}
        />
        <label htmlFor={toggleId}>Install updates automatically</label>
      </div>
      <p id={hintId} className="muted settings-hint">
        Pathwise looks for a new version when it starts and every few hours, downloads it in the background and installs it when you restart or quit. It
        never restarts by itself, and never during a Pressure Room.
      </p>
      {save.isError ? <ErrorNotice error={save.error} /> : null}
      <UpdateState status={s} id={stateId} />
      {s.state === 'downloading' ? <UpdateProgress status={s} /> : null}
      {check.isError ? <ErrorNotice error={check.error} /> : null}
      <div className="row">
        {s.state === 'ready' ? <RestartButton status={s} /> : null}
        <button type="button" className="button" disabled={!canCheck} aria-describedby={s.state === 'unsupported' ? stateId : undefined} onClick={() => check.mutate()}>
          {s.state === 'checking' || check.isPending ? 'Checking…' : 'Check for updates'}
        </button>
      </div>
    </>
  )
}

function ExportData() {
  const exporter = useExportData()
  const toasts = useToasts()
  return (
    <>
      <p>
        Save everything Pathwise keeps about your learning on this computer as one JSON file: your profile, courses, lessons with your notes and time,
        activity, achievements and Pressure Room attempts.
      </p>
      <p className="muted settings-hint">The file never contains your sign-in details. Keep it somewhere safe: your notes are in it.</p>
      <div className="row">
        <button
          type="button"
          className="button"
          disabled={exporter.isPending}
          onClick={() =>
            exporter.mutate(undefined, {
              onSuccess: (result) => {
                // A cancelled save dialog is the learner's own choice: nothing to announce.
                if (result.saved) toasts.show({ tone: 'success', title: 'Your data is exported', body: `Saved as ${result.fileName}.` })
              },
              onError: (error) => toasts.show({ tone: 'error', title: 'Your data could not be exported', body: error.message }),
            })
          }
        >
          {exporter.isPending ? 'Exporting…' : 'Export my data'}
        </button>
      </div>
    </>
  )
}

export function Settings() {
  return (
    <div className="settings">
      <header className="page-header">
        <h1>Settings</h1>
        <p className="muted">How Pathwise keeps itself up to date on this computer, and a copy of your data.</p>
      </header>
      <section className="card settings-card stack" aria-labelledby="settings-updates-title" data-testid="settings-updates">
        <h2 id="settings-updates-title">Updates</h2>
        <Updates />
      </section>
      <section className="card settings-card stack" aria-labelledby="settings-data-title" data-testid="settings-data">
        <h2 id="settings-data-title">Your data</h2>
        <ExportData />
      </section>
    </div>
  )
}
