/** Matching: a select per left side (author order); its options are the right sides, shuffled. */
import { InlineText } from '../learn/InlineText'
import { picksOf } from './draft'
import { Mark, markFor } from './Mark'
import type { WidgetProps } from './widget'

export function MatchWidget({ question, value, onChange, review, disabled, name }: WidgetProps<'match'>) {
  const picks = picksOf(value, question.lefts.length)
  const keys = review?.solution?.keys ?? null
  const rightText = (key: number | null | undefined) => question.rights.find((r) => r.key === key)?.text ?? ''
  const pick = (left: number, key: number | null) => onChange(picks.map((p, i) => (i === left ? key : p)))
  return (
    <div className="ex-match">
      {review ? null : <p className="ex-hint muted">Pick the match for each item.</p>}
      <ul className="ex-match-list">
        {question.lefts.map((left, i) => {
          const selectId = `${name}-left-${i}`
          const mark = review && keys ? markFor(true, keys[i] === picks[i]) : null
          return (
            <li key={left} className={`ex-match-row ${mark === 'wrong' ? 'is-mistake' : mark ? 'is-answer' : ''}`}>
              <label htmlFor={selectId} className="ex-match-left">
                <InlineText text={left} />
              </label>
              <select
                id={selectId}
                className="ex-select"
                value={picks[i] ?? ''}
                disabled={disabled || review !== null}
                onChange={(e) => pick(i, e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}
              >
                <option value="">Choose…</option>
                {question.rights.map((right) => (
                  <option key={right.key} value={right.key}>
                    {right.text.replaceAll('`', '')}
                  </option>
                ))}
              </select>
              {mark ? <Mark kind={mark === 'right' ? 'right' : 'wrong'} /> : null}
              {mark === 'wrong' && keys ? (
                <span className="ex-match-answer">
                  Right match: <InlineText text={rightText(keys[i])} />
                </span>
              ) : null}
            </li>
          )
        })}
      </ul>
    </div>
  )
}
