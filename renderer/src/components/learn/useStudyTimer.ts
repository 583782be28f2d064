/**
 * Counts the time a learner actually spends on a lesson: only while the page is visible and the
 * window has focus. Whole 15 s blocks are reported as they fill; on leaving, a partial block of at
 * least 5 s is reported too, so short visits still count but a passing glance does not.
 */
import { useEffect, useRef } from 'react'

const BLOCK_MS = 15_000
const MIN_FLUSH_MS = 5_000
const POLL_MS = 1_000
// A poll that arrives much later than scheduled means the machine slept: that gap is not study time.
const MAX_STEP_MS = 3 * POLL_MS

const isStudying = () => document.visibilityState === 'visible' && document.hasFocus()

export function useStudyTimer(report: (seconds: number) => void): void {
  const reportRef = useRef(report)
  useEffect(() => {
    reportRef.current = report
  }, [report])

  useEffect(() => {
    let banked = 0
    let last = Date.now()
    let active = isStudying()

    // Called on every poll and on every visibility/focus change, so a switch away stops the count at once.
    const settle = () => {
      const now = Date.now()
      if (active) banked += Math.min(Math.max(0, now - last), MAX_STEP_MS)
      last = now
      active = isStudying()
      while (banked >= BLOCK_MS) {
        banked -= BLOCK_MS
        reportRef.current(BLOCK_MS / 1000)
      }
    }

    const timer = window.setInterval(settle, POLL_MS)
    document.addEventListener('visibilitychange', settle)
    window.addEventListener('focus', settle)
    window.addEventListener('blur', settle)
    return () => {
      settle()
      window.clearInterval(timer)
      document.removeEventListener('visibilitychange', settle)
      window.removeEventListener('focus', settle)
      window.removeEventListener('blur', settle)
      if (banked >= MIN_FLUSH_MS) reportRef.current(Math.round(banked / 1000))
    }
  }, [])
}
