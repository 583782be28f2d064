/**
 * Ordering: the items in the learner's order, each with Move up / Move down buttons (keyboard and
 * screen-reader operable without drag and drop). The moved item's button keeps the focus, and a live
 * region says where the item went.
 */
import { useLayoutEffect, useRef, useState } from 'react'
import { InlineText } from '../learn/InlineText'
import { orderOf } from './draft'
import { Mark, markFor } from './Mark'
import type { WidgetProps } from './widget'

type Direction = -1 | 1

export function OrderWidget({ question, value, onChange, review, disabled, name }: WidgetProps<'order'>) {
  const order = orderOf(question, value)
  const textOf = (key: number) => question.items.find((item) => item.key === key)?.text ?? ''
  // Labels and announcements are plain text: `code` marks would be read out as backticks.
  const plainOf = (key: number) => textOf(key).replaceAll('`', '')
  const buttons = useRef(new Map<string, HTMLButtonElement>())
  const [moved, setMoved] = useState('')
  const locked = disabled || review !== null
  const keys = review?.solution?.keys ?? null
  // The button to focus after a move, once the list is re-rendered (React may have moved its node).
  const focusAfterMove = useRef<string | null>(null)
  useLayoutEffect(() => {
    if (focusAfterMove.current === null) return
    buttons.current.get(focusAfterMove.current)?.focus()
    focusAfterMove.current = null
  })

  const move = (from: number, direction: Direction) => {
    const to = from + direction
    const key = order[from]
    if (key === undefined || to < 0 || to >= order.length) return
    const next = [...order]
    next[from] = next[to] as number
    next[to] = key
    onChange(next)
    setMoved(`“${plainOf(key)}” moved to position ${to + 1} of ${order.length}.`)
    // At the top or bottom the pressed button is disabled: keep the focus on the item's other button.
    const atEdge = (direction === -1 && to === 0) || (direction === 1 && to === order.length - 1)
    focusAfterMove.current = `${key}:${atEdge ? -direction : direction}`
  }

  return (
    <div className="ex-order">
      {locked ? null : (
        <p className="ex-hint muted" id={`${name}-hint`}>
          Put the items in order with the Move up and Move down buttons.
        </p>
      )}
      <ol className="ex-order-list" aria-describedby={locked ? undefined : `${name}-hint`}>
        {order.map((key, position) => {
          const mark = review && keys ? markFor(true, keys[position] === key) : null
          return (
            <li key={key} className={`ex-order-item ${mark === 'wrong' ? 'is-mistake' : mark ? 'is-answer' : ''}`}>
              <span className="ex-order-position" aria-hidden="true">
                {position + 1}
              </span>
              <span className="ex-order-text">
                <InlineText text={textOf(key)} />
              </span>
              {mark ? <Mark kind={mark === 'right' ? 'right' : 'wrong'} /> : null}
              {locked ? null : (
                <span className="ex-order-buttons">
                  {([-1, 1] as const).map((direction) => (
                    <button
                      key={direction}
                      type="button"
                      className="button ex-move"
                      ref={(el) => {
                        if (el) buttons.current.set(`${key}:${direction}`, el)
                        else buttons.current.delete(`${key}:${direction}`)
                      }}
                      aria-label={`Move “${plainOf(key)}” ${direction === -1 ? 'up' : 'down'}`}
                      disabled={direction === -1 ? position === 0 : position === order.length - 1}
                      onClick={() => move(position, direction)}
                    >
                      <span aria-hidden="true">{direction === -1 ? '↑' : '↓'}</span>
                      {direction === -1 ? 'Move up' : 'Move down'}
                    </button>
                  ))}
                </span>
              )}
            </li>
          )
        })}
      </ol>
      {review && !review.correct && keys ? (
        <div className="ex-solution">
          <p className="ex-solution-title">The right order:</p>
          <ol>
            {keys.map((key) => (
              <li key={key}>
                <InlineText text={textOf(key)} />
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      <p className="learn-sr-only" role="status" aria-live="polite">
        {moved}
      </p>
    </div>
  )
}
