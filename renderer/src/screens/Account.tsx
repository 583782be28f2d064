/**
 * The learner's account: signed out, why and how to sign in; signed in, the sync status in full with
 * "Sync now" and "Sign out". Signing out never removes anything from this computer.
 */
import { useEffect, useRef, useState } from 'react'
import { Link } from 'react-router'
import type { SyncStatusView } from '../../../electron/core/contract/types'
import { isSignedIn, isSyncNotSetUp, useSignOut, useSyncNow, useSyncNowRunning, useSyncStatus } from '../api/sync-hooks'
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
            <strong>You're signed out.</strong> Everything you've learned stays on this computer, and you can keep going offline.
          </p>
          {signedOut.pending > 0 ? (
            <p>
              {notSynced(signedOut.pending)}. {signedOut.pending === 1 ? 'It stays' : 'They stay'} here and sync the next time you sign in
              {signedOut.email ? ` as ${signedOut.email}` : ''}.
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
      ) : isSignedIn(status.data) ? (
        <SignedIn status={status.data} onSignedOut={setSignedOut} />
      ) : (
        <SignedOut status={status.data} signedOut={signedOut} />
      )}
    </div>
  )
}
