/**
 * The one honest status line in the sidebar: whether this computer's progress is synced, waiting or
 * only kept here. Combines the operating system's connection state with the sync engine's status.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { Link } from 'react-router'
import type { SyncStatusView } from '../../../electron/core/contract/types'
import { isSyncNotSetUp, useSyncNow, useSyncNowRunning, useSyncStatus } from '../api/sync-hooks'
import '../screens/screens-c.css'
import { useOnline } from './useOnline'

export type SyncTone = 'idle' | 'offline' | 'syncing' | 'ok' | 'error'

const TICK_MS = 30_000

/** The current time, refreshed every 30 s so "2 min ago" stays true. */
export function useNow(intervalMs = TICK_MS): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs)
    return () => window.clearInterval(timer)
  }, [intervalMs])
  return now
}

export const changesWaiting = (n: number) => `${n} ${n === 1 ? 'change' : 'changes'} waiting`

/** "just now", "2 min ago", "3 h ago", then the date. */
export function relativeTime(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000))
  if (seconds < 60) return 'just now'
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours} h ago`
  const days = Math.floor(hours / 24)
  if (days === 1) return 'yesterday'
  return `on ${new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }).format(at)}`
}

/** A full, local date and time for the last sync. */
export const formatSyncTime = (at: number) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(at)

/** Which of the five faces the line shows. The OS going offline wins over a stale "syncing". */
export function syncTone(status: SyncStatusView, online: boolean): SyncTone {
  if (status.state === 'signed-out') return 'idle'
  if (status.state === 'offline' || !online) return 'offline'
  if (status.state === 'syncing') return 'syncing'
  if (status.state === 'error') return 'error'
  return 'ok'
}

function Dot({ tone }: { tone: SyncTone }) {
  return <span className={`status-dot sync-dot sync-dot-${tone}`} aria-hidden="true" />
}

export function SyncStatusLine() {
  const online = useOnline()
  const status = useSyncStatus()
  const syncNow = useSyncNow()
  const syncing = useSyncNowRunning()
  const now = useNow()
  const data = status.data

  // Back online while signed in: sync straight away rather than at the next scheduled try.
  const wasOnline = useRef(online)
  const signedIn = Boolean(data && data.state !== 'signed-out')
  const { mutate: runSync } = syncNow
  useEffect(() => {
    if (online && !wasOnline.current && signedIn) runSync()
    wasOnline.current = online
  }, [online, signedIn, runSync])

  let tone: SyncTone
  let content: ReactNode
  if (!data) {
    tone = 'idle'
    content = status.isError ? (
      <>
        <span>Sync status is not available.</span>
        <button type="button" className="sync-retry" onClick={() => void status.refetch()}>
          Retry
        </button>
      </>
    ) : (
      <span>Checking sync…</span>
    )
  } else {
    tone = syncTone(data, online)
    if (data.state === 'awaiting-confirmation') {
      // A sign-in link's account waits for the learner's yes: nothing syncs until then.
      tone = 'idle'
      content = (
        <Link to="/account" className="sync-link">
          Not syncing — confirm your account
        </Link>
      )
    } else if (tone === 'idle') {
      content = isSyncNotSetUp(data) ? (
        <span title="Your progress is kept on this computer. Sync is not set up here.">Offline only</span>
      ) : (
        <Link to="/account" className="sync-link">
          Not syncing — sign in
        </Link>
      )
    } else if (tone === 'offline') {
      content = (
        <span>
          Offline — <span className="sync-seg">{data.pending > 0 ? changesWaiting(data.pending) : 'all changes saved here'}</span>
        </span>
      )
    } else if (tone === 'syncing' || syncing) {
      tone = 'syncing'
      content = <span>Syncing…</span>
    } else if (tone === 'error') {
      content = (
        <>
          <span>Couldn't sync: {data.lastError ?? 'something went wrong.'}</span>
          <button type="button" className="sync-retry" onClick={() => syncNow.mutate()} disabled={syncing}>
            Retry
          </button>
        </>
      )
    } else {
      content = (
        <span>
          <span className="sync-seg">Up to date</span>
          {data.lastSyncAt !== null ? (
            <>
              {' '}
              <span className="sync-seg">
                ·{' '}
                <time dateTime={new Date(data.lastSyncAt).toISOString()} title={formatSyncTime(data.lastSyncAt)}>
                  {relativeTime(data.lastSyncAt, now)}
                </time>
              </span>
            </>
          ) : null}
          {data.pending > 0 ? (
            <>
              {' '}
              <span className="sync-seg">· {data.pending} waiting</span>
            </>
          ) : null}
        </span>
      )
    }
  }

  return (
    <div className={`status-line sync-line sync-${tone}`} role="status" aria-live="polite" data-testid="sync-status" data-state={data?.state ?? 'unknown'}>
      <Dot tone={tone} />
      <div className="sync-text">{content}</div>
    </div>
  )
}
