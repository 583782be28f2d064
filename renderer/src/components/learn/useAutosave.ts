/**
 * Saves text as the learner types: after a pause, one save at a time (so an older save can never land
 * after a newer one), and whatever is still unsaved when the component goes away.
 */
import { useCallback, useEffect, useRef, useState } from 'react'

export type AutosaveStatus = 'idle' | 'pending' | 'saved' | 'error'

export function useAutosave(save: (value: string) => Promise<unknown>, delayMs = 800) {
  const [status, setStatus] = useState<AutosaveStatus>('idle')
  const saveRef = useRef(save)
  const unsent = useRef<string | null>(null)
  const busy = useRef(false)
  const timer = useRef<number | undefined>(undefined)

  useEffect(() => {
    saveRef.current = save
  }, [save])

  const flush = useCallback(() => {
    window.clearTimeout(timer.current)
    if (busy.current || unsent.current === null) return
    const value = unsent.current
    unsent.current = null
    busy.current = true
    saveRef.current(value).then(
      () => {
        busy.current = false
        if (unsent.current !== null) flush()
        else setStatus('saved')
      },
      () => {
        busy.current = false
        // Keep the text so the next keystroke (or leaving the page) tries again.
        unsent.current ??= value
        setStatus('error')
      },
    )
  }, [])

  const change = useCallback(
    (value: string) => {
      unsent.current = value
      setStatus('pending')
      window.clearTimeout(timer.current)
      timer.current = window.setTimeout(flush, delayMs)
    },
    [delayMs, flush],
  )

  useEffect(() => flush, [flush])

  return { status, change, flush }
}
