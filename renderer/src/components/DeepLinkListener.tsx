/**
 * Sign-in links (pathwise://auth/verify?…) are opened by the operating system and used by the main
 * process; this tells the learner what came of one: a toast, and the Account screen after signing in,
 * where the learner confirms the account before this computer's progress goes to it.
 * Renders nothing. The loopback host (a plain browser) has no such events.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { useNavigate } from 'react-router'
import type { DeepLinkOutcome } from '../../../electron/core/contract/messages'
import { call } from '../api/client'
import { syncKey } from '../api/sync-hooks'
import { useToasts } from './Toasts'

declare global {
  interface PathwiseEvents {
    /** Optional: a preload from before sign-in links existed does not have it. */
    onDeepLink?(listener: (outcome: DeepLinkOutcome) => void): () => void
  }
}

/** Calls `onOutcome` for every sign-in link main has used (including one used before this mounted). */
function useDeepLinkOutcomes(onOutcome: (outcome: DeepLinkOutcome) => void) {
  // The latest callback, so the subscription is made once and never misses an outcome in between.
  const latest = useRef(onOutcome)
  useEffect(() => {
    latest.current = onOutcome
  })
  useEffect(() => window.pathwiseEvents?.onDeepLink?.((outcome) => latest.current(outcome)), [])
}

export function DeepLinkListener() {
  const toasts = useToasts()
  const navigate = useNavigate()
  const client = useQueryClient()

  useDeepLinkOutcomes((outcome) => {
    if (outcome.ok) {
      // Usually the account waits for the learner's yes (Account screen); a link for the account this
      // computer already syncs needs none. The status says which.
      void call('sync.status')
        .then((status) => {
          client.setQueryData(syncKey, status)
          return status.state === 'awaiting-confirmation'
        })
        .catch(() => true)
        .then((asks) => {
          toasts.show({
            tone: 'success',
            title: 'You are signed in',
            body: asks ? "Confirm the account on the Account screen before this computer's progress goes to it." : 'Your progress now syncs with your account.',
          })
          void client.invalidateQueries()
          void navigate('/account')
        })
    } else {
      toasts.show({ tone: 'error', title: 'The sign-in link did not work', body: outcome.message })
    }
  })

  return null
}
