/**
 * A year of learning at a glance: one square per day, weeks as columns (like GitHub).
 * It is an ARIA grid with a single tab stop: arrow keys move between days, so a keyboard user
 * reaches any day without tabbing through 365 squares.
 */
import { useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react'
import { formatDay, formatMonth, parseDay, plural } from './format'

export interface HeatmapDay {
  day: string
  count: number
}

const WEEKDAY_LABELS = ['', 'Mon', '', 'Wed', '', 'Fri', '']

/** 0 = no activity, 1–4 = quarters of the busiest day; small counts keep a fixed scale so 1 activity is not "max". */
export function heatLevel(count: number, max: number): number {
  if (count <= 0) return 0
  return Math.min(4, Math.ceil((count * 4) / Math.max(max, 4)))
}

export const dayLabel = (d: HeatmapDay) => `${formatDay(d.day)}: ${plural(d.count, 'activity', 'activities')}`

interface Layout {
  /** rows[weekday][week] = index into days, or null before the first / after the last day. */
  rows: (number | null)[][]
  weeks: number
  months: { week: number; label: string }[]
  max: number
}

function buildLayout(days: HeatmapDay[]): Layout {
  const offset = days.length > 0 ? parseDay(days[0]!.day).getUTCDay() : 0
  const weeks = Math.ceil((days.length + offset) / 7)
  const rows: (number | null)[][] = Array.from({ length: 7 }, () => Array<number | null>(weeks).fill(null))
  days.forEach((_, i) => {
    rows[(i + offset) % 7]![Math.floor((i + offset) / 7)] = i
  })

  const months: Layout['months'] = []
  let previousMonth = ''
  for (let week = 0; week < weeks; week++) {
    const first = days[Math.max(0, week * 7 - offset)]
    if (!first) continue
    const month = first.day.slice(0, 7)
    if (month !== previousMonth) months.push({ week, label: formatMonth(first.day) })
    previousMonth = month
  }
  // A partial first month would print its label on top of the next one.
  if (months.length > 1 && months[1]!.week - months[0]!.week < 3) months.shift()

  return { rows, weeks, months, max: days.reduce((m, d) => Math.max(m, d.count), 0) }
}

export function Heatmap({ days, captionId }: { days: HeatmapDay[]; captionId: string }) {
  const layout = useMemo(() => buildLayout(days), [days])
  const [active, setActive] = useState(days.length - 1)
  const [shown, setShown] = useState<number | null>(null)
  const gridRef = useRef<HTMLDivElement>(null)
  const scrollRef = useRef<HTMLDivElement>(null)
  const current = Math.min(Math.max(active, 0), days.length - 1)

  // In a narrow window the year scrolls sideways; start at the recent end, which is what a learner looks for.
  useEffect(() => {
    const node = scrollRef.current
    if (node) node.scrollLeft = node.scrollWidth
  }, [layout.weeks])

  function moveTo(index: number) {
    const next = Math.min(Math.max(index, 0), days.length - 1)
    setActive(next)
    setShown(next)
    gridRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus()
  }

  function onKeyDown(event: KeyboardEvent) {
    const steps: Record<string, number> = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -7, ArrowRight: 7, PageUp: -28, PageDown: 28 }
    if (event.key in steps) moveTo(current + steps[event.key]!)
    else if (event.key === 'Home') moveTo(0)
    else if (event.key === 'End') moveTo(days.length - 1)
    else return
    event.preventDefault()
  }

  const detail = shown !== null && days[shown] ? dayLabel(days[shown]) : '\u00a0'

  return (
    <div className="heatmap" style={{ '--heat-weeks': layout.weeks } as CSSProperties}>
      <div className="heatmap-scroll" ref={scrollRef}>
        <div className="heatmap-months" aria-hidden="true">
          {layout.months.map((m) => (
            <span key={m.week} style={{ gridColumn: `${m.week + 2} / span 3` }}>
              {m.label}
            </span>
          ))}
        </div>
        <div
          ref={gridRef}
          className="heatmap-grid"
          role="grid"
          aria-labelledby={captionId}
          aria-describedby={`${captionId}-help`}
          onKeyDown={onKeyDown}
          onMouseLeave={() => setShown(null)}
          onBlur={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget)) setShown(null)
          }}
        >
          {layout.rows.map((row, weekday) => (
            <div role="row" className="heatmap-row" key={weekday}>
              <span className="heatmap-weekday" aria-hidden="true">
                {WEEKDAY_LABELS[weekday]}
              </span>
              {row.map((index, week) => {
                const d = index === null ? undefined : days[index]
                if (index === null || !d) return <span key={week} className="heatmap-cell heatmap-cell-blank" aria-hidden="true" />
                const label = dayLabel(d)
                return (
                  <span
                    key={week}
                    role="gridcell"
                    data-index={index}
                    data-count={d.count}
                    data-day={d.day}
                    tabIndex={index === current ? 0 : -1}
                    aria-label={label}
                    title={label}
                    className={`heatmap-cell heat-${heatLevel(d.count, layout.max)}`}
                    onFocus={() => {
                      setActive(index)
                      setShown(index)
                    }}
                    onMouseEnter={() => setShown(index)}
                  />
                )
              })}
            </div>
          ))}
        </div>
      </div>
      <div className="heatmap-footer">
        <p className="heatmap-detail" aria-hidden="true">
          {detail}
        </p>
        <div className="heatmap-legend" aria-hidden="true">
          <span>Less</span>
          {[0, 1, 2, 3, 4].map((level) => (
            <span key={level} className={`heatmap-cell heat-${level}`} />
          ))}
          <span>More</span>
        </div>
      </div>
      <p id={`${captionId}-help`} className="pw-visually-hidden">
        Use the arrow keys to move between days.
      </p>
    </div>
  )
}
