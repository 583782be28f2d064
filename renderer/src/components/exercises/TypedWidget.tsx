/**
 * Numeric and short-text answers: one input. Numbers are typed as text (inputMode=decimal brings the
 * number pad on touch screens) so "16,65" reaches the core as typed; the core parses it.
 */
import { textOf } from './draft'
import { Mark } from './Mark'
import type { WidgetProps } from './widget'

export function TypedWidget({ question, value, onChange, review, disabled, name }: WidgetProps<'numeric' | 'text'>) {
  const numeric = question.kind === 'numeric'
  const unit = numeric ? question.unit : null
  const inputId = `${name}-input`
  return (
    <div className="ex-typed">
      <label htmlFor={inputId} className="ex-typed-label">
        {numeric ? 'Your number' : 'Your answer'}
      </label>
      <div className="ex-typed-row">
        <input
          id={inputId}
          className={`ex-input ${numeric ? 'is-numeric' : ''}`}
          type="text"
          inputMode={numeric ? 'decimal' : 'text'}
          autoComplete="off"
          spellCheck={false}
          value={textOf(value)}
          readOnly={review !== null}
          disabled={disabled}
          aria-describedby={unit ? `${name}-unit` : undefined}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
        {unit ? (
          <span id={`${name}-unit`} className="ex-unit">
            {unit}
          </span>
        ) : null}
        {review ? <Mark kind={review.correct ? 'right' : 'wrong'} /> : null}
      </div>
    </div>
  )
}
