/**
 * The Pressure Room clock. Remaining time is always recomputed from the deadline (never by counting
 * ticks), so a throttled background tab or a sleeping laptop can't make it drift. Screen readers hear
 * it twice, at one minute and at ten seconds, not every second.
 */
import { useEffect, useRef, useState } from 'react'
import { formatClock } from './format'

const TICK_MS = 250
const WARNINGS = [
  { at: 60, say: 'One minute left.' },
  { at: 10, say: 'Ten seconds left.' },
]

const secondsLeft = (deadlineMs: number) => Math.max(0, Math.ceil((deadlineMs - Date.now()) / 1000))

/** `deadline` is in epoch seconds, as the attempt gives it; `onExpire` runs once, at zero. */
export function Countdown({ deadline, onExpire }: { deadline: number; onExpire: () => void }) {
  const deadlineMs = deadline * 1000
  const [left, setLeft] = useState(() => secondsLeft(deadlineMs))
  const [announcement, setAnnouncement] = useState('')
  const onExpireRef = useRef(onExpire)
  const expired = useRef(false)
  // Warnings already past when the clock first shows are not announced late.
  const warned = useRef(new Set(WARNINGS.filter((w) => secondsLeft(deadlineMs) <= w.at).map((w) => w.at)))

  useEffect(() => {
    onExpireRef.current = onExpire
  }, [onExpire])

  useEffect(() => {
    const tick = () => setLeft(secondsLeft(deadlineMs))
    tick()
    const timer = window.setInterval(tick, TICK_MS)
    return () => window.clearInterval(timer)
  }, [deadlineMs])

  useEffect(() => {
    for (const w of WARNINGS) {
      if (left <= w.at && left > 0 && !warned.current.has(w.at)) {
        warned.current.add(w.at)
        setAnnouncement(w.say)
      }
    }
    if (left === 0 && !expired.current) {
      expired.current = true
      onExpireRef.current()
    }
  }, [left])

  const urgency = left <= 10 ? 'is-critical' : left <= 60 ? 'is-low' : ''
  return (
    <div className={`learn-countdown ${urgency}`}>
      <span className="learn-countdown-label" aria-hidden="true">
        Time left
      </span>
      <span role="timer" aria-label="Time left" className="learn-countdown-value" data-testid="pr-timer">
        {formatClock(left)}
      </span>
      <span className="learn-sr-only" aria-live="polite">
        {announcement}
      </span>
    </div>
  )
}
