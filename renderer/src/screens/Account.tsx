/**
 * The learner's account: signed out, why and how to sign in; signed in, the sync status in full with
 * "Sync now", "Sign out" and "Sign out everywhere". After a sign-in link, the account to confirm before
 * anything of this computer's goes there. Signing out never removes anything from this computer.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState } from 'react'
import { Link } from 'react-router'
import type { SyncStatusView } from '../../../electron/core/contract/types'
import { call } from '../api/client'
import { isSignedIn, isSyncNotSetUp, syncKey, useSignOut, useSyncNow, useSyncNowRunning, useSyncStatus } from '../api/sync-hooks'
import { SessionKeptNote } from '../components/SessionKeptNote'
import { ErrorNotice, Loading } from '../components/States'
import { formatSyncTime, relativeTime, syncTone, useNow, type SyncTone } from '../components/SyncStatusLine'
import { useOnline } from '../components/useOnline'
import './screens-c.css'

const STATE_WORDS: Record<SyncTone, string> = {
  idle: 'Not syncing',
  offline: 'Offline — your changes will sync when you are back online',
  syncing: 'Syncing…',
  ok: 'Up to date',
  error: 'Sync problem — it will try again by itself',
}

const notSynced = (n: number) => `${n} ${n === 1 ? 'change has' : 'changes have'} not synced yet`

const errorText = (error: unknown, fallback: string) => (error instanceof Error && error.message ? error.message : fallback)

interface SignedOutNote {
  email: string | null
  pending: number
  /** Signed out everywhere: how many sessions the server ended. */
  everywhere?: number
  /** A sign-in link's account that the learner did not take. */
  declined?: boolean
}

/** Whatever changes the account can change every screen: the new status first, then everything reads again. */
function useAccountMutation<T>(run: () => Promise<T>, statusOf: (answer: T) => SyncStatusView) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: run,
    onSuccess: (answer) => {
      client.setQueryData(syncKey, statusOf(answer))
      void client.invalidateQueries()
    },
  })
}

/**
 * After a sign-in link: signed in, but nothing of this computer's has gone to the account. The learner
 * says whether the address is theirs; "No" signs out and keeps everything here, unsent.
 */
function ConfirmLink({ status, onDeclined }: { status: SyncStatusView; onDeclined: (note: SignedOutNote) => void }) {
  const email = status.email ?? ''
  const confirm = useAccountMutation(() => call('auth.confirmLink', { email }), (next) => next)
  const decline = useSignOut()
  const busy = confirm.isPending || decline.isPending
  const headingRef = useRef<HTMLHeadingElement>(null)
  // The learner arrives here from a link in their mail: start reading at the question.
  useEffect(() => headingRef.current?.focus(), [])

  return (
    <section className="card account-card account-confirm stack" aria-labelledby="account-confirm-title" data-testid="account-confirm-link">
      <h2 id="account-confirm-title" ref={headingRef} tabIndex={-1}>
        Is this your account?
      </h2>
      <p data-testid="account-confirm-question">
        You are signed in as <strong className="account-email">{email}</strong>. Add this computer's progress to this account?
      </p>
      <p className="muted account-hint">
        Your lessons, notes, name and location on this computer
        {status.pending > 0 ? ` (${status.pending} ${status.pending === 1 ? 'change' : 'changes'})` : ''} will go to this account and to every computer
        signed in to it. Choose <strong>No</strong> if this is not your address or you did not just ask for a sign-in email: nothing leaves this computer.
      </p>
      {confirm.isError ? <ErrorNotice error={confirm.error} /> : null}
      {decline.isError ? (
        <div className="notice notice-error" role="alert">
          {errorText(decline.error, 'You could not be signed out. Please try again.')}
        </div>
      ) : null}
      <div className="row">
        <button type="button" className="button button-primary" disabled={busy} onClick={() => confirm.mutate()}>
          {confirm.isPending ? 'Syncing…' : 'Yes, sync'}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => decline.mutate(undefined, { onSuccess: (next) => onDeclined({ email, pending: next.pending, declined: true }) })}
        >
          {decline.isPending ? 'Signing out…' : 'No, sign out'}
        </button>
      </div>
    </section>
  )
}

/** "Sign out everywhere", behind a second step that says what it does. */
function SignOutEverywhere({ status, disabled, onSignedOut }: { status: SyncStatusView; disabled: boolean; onSignedOut: (note: SignedOutNote) => void }) {
  const [asking, setAsking] = useState(false)
  const everywhere = useAccountMutation(() => call('auth.signOutEverywhere'), (answer) => answer.status)
  const id = useId()
  const confirmRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (asking) confirmRef.current?.focus()
  }, [asking])

  if (!asking) {
    return (
      <div className="row account-everywhere">
        <button type="button" className="signin-link-button" disabled={disabled} onClick={() => setAsking(true)}>
          Sign out everywhere…
        </button>
      </div>
    )
  }
  return (
    <div className="notice sync-notice-warn account-everywhere stack" role="group" aria-labelledby={`${id}-title`} data-testid="account-signout-everywhere">
      <p id={`${id}-title`}>
        <strong>Sign out on every computer?</strong> Every computer signed in as {status.email}, this one included, stops syncing until it signs in
        again. Use this if a computer was lost or you signed in somewhere you shouldn't have. Nothing is removed from any computer.
      </p>
      {everywhere.isError ? (
        <div className="notice notice-error" role="alert">
          {errorText(everywhere.error, 'You could not be signed out everywhere. Please try again.')}
        </div>
      ) : null}
      <div className="row">
        <button
          ref={confirmRef}
          type="button"
          className="button account-danger"
          disabled={everywhere.isPending}
          onClick={() =>
            everywhere.mutate(undefined, { onSuccess: (answer) => onSignedOut({ email: status.email, pending: answer.status.pending, everywhere: answer.signedOut }) })
          }
        >
          {everywhere.isPending ? 'Signing out everywhere…' : 'Sign out everywhere'}
        </button>
        <button type="button" className="button" disabled={everywhere.isPending} onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    </div>
  )
}

function SignedOut({ status, signedOut }: { status: SyncStatusView; signedOut: SignedOutNote | null }) {
  const noteRef = useRef<HTMLDivElement>(null)
  // The "Sign out" button is gone: keep keyboard focus on what happened instead of losing it.
  useEffect(() => {
    if (signedOut) noteRef.current?.focus()
  }, [signedOut])
  const notSetUp = isSyncNotSetUp(status)

  return (
    <section className="card account-card stack" aria-labelledby="account-signed-out-title" data-testid="account-signed-out">
      <h2 id="account-signed-out-title">You're not signed in</h2>
      {signedOut ? (
        <div ref={noteRef} tabIndex={-1} className="notice notice-success" role="status" data-testid="account-signed-out-note">
          <p>
            <strong>{signedOut.everywhere !== undefined
              ? `You're signed out everywhere: ${signedOut.everywhere === 1 ? '1 session' : `${signedOut.everywhere} sessions`} ended.`
              : "You're signed out."}</strong>{' '}
            {signedOut.declined ? `Nothing from this computer went to ${signedOut.email ?? 'that account'}. ` : ''}Everything you've learned stays on this computer,
            and you can keep going offline.
          </p>
          {signedOut.pending > 0 ? (
            <p>
              {notSynced(signedOut.pending)}. {signedOut.pending === 1 ? 'It stays' : 'They stay'} here and sync the next time you sign in
              {signedOut.email && !signedOut.declined ? ` as ${signedOut.email}` : ''}.
            </p>
          ) : null}
        </div>
      ) : null}
      <p>
        Pathwise works fully offline. Signing in is optional: it keeps your progress the same on all your computers, and safe if this one is lost.
        Everything you've done here is kept and added to your account when you sign in.
      </p>
      {notSetUp ? (
        <div className="notice sync-notice-info" data-testid="account-not-set-up">
          {status.lastError}
        </div>
      ) : status.lastError ? (
        <div className="notice sync-notice-warn" data-testid="account-last-error">
          {status.lastError}
        </div>
      ) : null}
      {notSetUp ? null : <SessionKeptNote status={status} signedIn={false} />}
      <div className="row">
        <Link to="/sign-in" className="button button-primary">
          Sign in
        </Link>
      </div>
    </section>
  )
}

function SignedIn({ status, onSignedOut }: { status: SyncStatusView; onSignedOut: (note: SignedOutNote) => void }) {
  const online = useOnline()
  const now = useNow()
  const syncNow = useSyncNow()
  const signOut = useSignOut()
  const running = useSyncNowRunning()
  const tone = running && online ? 'syncing' : syncTone(status, online)
  const busy = tone === 'syncing'

  return (
    <section className="card account-card stack" aria-labelledby="account-signed-in-title" data-testid="account-signed-in">
      <h2 id="account-signed-in-title">
        Signed in as <span className="account-email">{status.email}</span>
      </h2>
      <dl className="account-facts">
        <div>
          <dt>Sync</dt>
          <dd data-testid="account-state">
            <span className={`status-dot sync-dot sync-dot-${tone}`} aria-hidden="true" /> {STATE_WORDS[tone]}
          </dd>
        </div>
        <div>
          <dt>Changes waiting</dt>
          <dd data-testid="account-pending">{status.pending === 0 ? 'None — everything is synced' : `${status.pending} ${status.pending === 1 ? 'change' : 'changes'} to send`}</dd>
        </div>
        <div>
          <dt>Last synced</dt>
          <dd data-testid="account-last-sync">
            {status.lastSyncAt === null ? (
              'Not yet'
            ) : (
              <>
                <time dateTime={new Date(status.lastSyncAt).toISOString()}>{formatSyncTime(status.lastSyncAt)}</time>{' '}
                <span className="muted">({relativeTime(status.lastSyncAt, now)})</span>
              </>
            )}
          </dd>
        </div>
        {status.setAside > 0 ? (
          <div>
            <dt>Set aside</dt>
            <dd data-testid="account-set-aside">
              {status.setAside === 1 ? '1 change' : `${status.setAside} changes`} the server could not accept, kept on this computer so the rest could
              sync
            </dd>
          </div>
        ) : null}
        {status.lastError ? (
          <div>
            <dt>Last problem</dt>
            <dd className="account-error" data-testid="account-last-error">
              {status.lastError}
            </dd>
          </div>
        ) : null}
      </dl>
      <SessionKeptNote status={status} signedIn />
      {syncNow.isError ? <ErrorNotice error={syncNow.error} /> : null}
      {signOut.isError ? (
        <div className="notice notice-error" role="alert">
          {errorText(signOut.error, 'You could not be signed out. Please try again.')}
        </div>
      ) : null}
      <div className="row">
        <button type="button" className="button button-primary" onClick={() => syncNow.mutate()} disabled={busy || signOut.isPending}>
          {busy ? 'Syncing…' : 'Sync now'}
        </button>
        <button
          type="button"
          className="button"
          disabled={signOut.isPending}
          aria-describedby={status.pending > 0 ? 'account-signout-hint' : undefined}
          onClick={() => {
            const note = { email: status.email, pending: status.pending }
            signOut.mutate(undefined, { onSuccess: (next) => onSignedOut({ ...note, pending: next.pending }) })
          }}
        >
          {signOut.isPending ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
      <p id="account-signout-hint" className="muted account-hint">
        {status.pending > 0
          ? `${notSynced(status.pending)}. If you sign out now, ${status.pending === 1 ? 'it stays on this computer and syncs' : 'they stay on this computer and sync'} when you sign in again.`
          : 'Signing out stops syncing. Everything stays on this computer.'}
      </p>
      <SignOutEverywhere status={status} disabled={signOut.isPending} onSignedOut={onSignedOut} />
    </section>
  )
}

export function Account() {
  const status = useSyncStatus()
  const [signedOut, setSignedOut] = useState<SignedOutNote | null>(null)

  return (
    <div className="account">
      <header className="page-header">
        <h1>Account</h1>
        <p className="muted">Your sign-in and how your progress syncs between computers.</p>
      </header>
      {status.isPending ? (
        <Loading what="your account" />
      ) : status.isError ? (
        <ErrorNotice error={status.error} retry={() => void status.refetch()} />
      ) : status.data.state === 'awaiting-confirmation' ? (
        <ConfirmLink status={status.data} onDeclined={setSignedOut} />
      ) : isSignedIn(status.data) ? (
        <SignedIn status={status.data} onSignedOut={setSignedOut} />
      ) : (
        <SignedOut status={status.data} signedOut={signedOut} />
      )}
    </div>
  )
}
