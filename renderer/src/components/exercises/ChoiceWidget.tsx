/** Single choice (a radio group) and multiple select (a checkbox group); choices come shuffled. */
import { InlineText } from '../learn/InlineText'
import { numberOf, numbersOf } from './draft'
import { Mark, markFor } from './Mark'
import type { WidgetProps } from './widget'

export function ChoiceWidget({ question, value, onChange, review, disabled, name }: WidgetProps<'single' | 'multiple'>) {
  const multiple = question.kind === 'multiple'
  const picked = multiple ? numbersOf(value) : [numberOf(value)].filter((v) => v !== undefined)
  const keys = review?.solution?.keys ?? null
  const toggle = (key: number, on: boolean) => {
    if (!multiple) return onChange(key)
    const next = on ? [...picked.filter((k) => k !== key), key] : picked.filter((k) => k !== key)
    onChange(next.sort((a, b) => a - b))
  }
  return (
    <div className="learn-choices">
      {multiple && !review ? <p className="ex-hint muted">Select every option that applies.</p> : null}
      {question.choices.map((choice) => {
        const isPicked = picked.includes(choice.key)
        // Without the key (not shown yet), only the verdict of a single pick can mark it.
        const mark = review ? (keys ? markFor(isPicked, keys.includes(choice.key)) : isPicked && !multiple ? (review.correct ? 'right' : 'wrong') : null) : null
        return (
          <label key={choice.key} className={`learn-choice ${mark === 'answer' || mark === 'right' ? 'is-answer' : ''} ${mark === 'wrong' ? 'is-mistake' : ''}`}>
            <input
              type={multiple ? 'checkbox' : 'radio'}
              name={name}
              value={choice.key}
              checked={isPicked}
              disabled={disabled || review !== null}
              onChange={(e) => toggle(choice.key, e.currentTarget.checked)}
            />
            <span className="ex-choice-text">
              <InlineText text={choice.text} />
            </span>
            {mark ? <Mark kind={mark} /> : null}
          </label>
        )
      })}
    </div>
  )
}
