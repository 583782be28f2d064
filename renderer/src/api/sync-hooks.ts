/**
 * Sign-in and sync hooks: TanStack Query over the auth.* and sync.* channels.
 * The status is polled (every 2 s) so the sidebar line follows the background sync. Anything that can
 * bring other data into this computer (signing in, signing out, a sync) refreshes every query.
 */
import { useIsMutating, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { SyncStatusView } from '../../../electron/core/contract/types'
import { call } from './client'

export const syncKey = ['sync'] as const
export const SYNC_POLL_MS = 2000

/** The core's message when no sync server is configured (see electron/core/services/account.ts). */
export const isSyncNotSetUp = (status: Pick<SyncStatusView, 'state' | 'lastError'> | undefined) =>
  status?.state === 'signed-out' && /not set up/i.test(status.lastError ?? '')

/** Sign-in state as the learner thinks of it: a session exists (syncing, waiting or failing). */
export const isSignedIn = (status: SyncStatusView | undefined) => Boolean(status && status.state !== 'signed-out')

// The last completed sync seen by the poll, so a background sync that finished refreshes the screens.
let seenLastSyncAt: number | null | undefined

function refreshAll(client: QueryClient, status?: SyncStatusView) {
  if (status) {
    client.setQueryData(syncKey, status)
    seenLastSyncAt = status.lastSyncAt
  }
  void client.invalidateQueries()
}


/** A sync the engine ran on its own may have pulled progress from another computer: refresh the screens. */
function noteStatus(client: QueryClient, status: SyncStatusView) {
  if (seenLastSyncAt !== undefined && status.lastSyncAt !== seenLastSyncAt) {
    void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== syncKey[0] })
  }
  seenLastSyncAt = status.lastSyncAt
}

export function useSyncStatus() {
  const client = useQueryClient()
  useEffect(
    () =>
      window.pathwiseEvents?.onSyncStatus((status) => {
        noteStatus(client, status)
        client.setQueryData(syncKey, status)
      }),
    [client],
  )
  return useQuery({
    queryKey: syncKey,
    queryFn: async () => {
      const status = await call('sync.status')
      noteStatus(client, status)
      return status
    },
    refetchInterval: SYNC_POLL_MS,
    staleTime: 0,
  })
}

/** Step 1: mails a 6-digit code to the address. */
export function useStartSignIn() {
  return useMutation({ mutationFn: (email: string) => call('auth.start', { email }) })
}

/** Step 2: checks the code; the account adopts this computer's progress and syncs it. */
export function useVerifyCode() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: { email: string; code: string }) => call('auth.verify', input),
    onSuccess: (status) => refreshAll(client, status),
  })
}

/** Stops syncing; everything stays on this computer. */
export function useSignOut() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => call('auth.signOut'),
    onSuccess: (status) => refreshAll(client, status),
  })
}

const syncNowKey = ['sync', 'now'] as const

/** Whether a "Sync now" (from any screen, or the sidebar's Retry) is running. */
export const useSyncNowRunning = () => useIsMutating({ mutationKey: syncNowKey }) > 0

export function useSyncNow() {
  const client = useQueryClient()
  return useMutation({
    mutationKey: syncNowKey,
    mutationFn: () => call('sync.now'),
    // A failed sync can still have pulled part of the changes.
    onSettled: (status) => refreshAll(client, status),
  })
}
