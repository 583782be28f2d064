/** True or false: two radios. The solution's text ("True"/"False") names the right one. */
import { Mark, markFor } from './Mark'
import type { WidgetProps } from './widget'

const OPTIONS = [
  { value: true, label: 'True' },
  { value: false, label: 'False' },
] as const

export function TrueFalseWidget({ value, onChange, review, disabled, name }: WidgetProps<'truefalse'>) {
  const answer = review?.solution ? review.solution.text === 'True' : null
  return (
    <div className="learn-choices ex-truefalse">
      {OPTIONS.map((option) => {
        const isPicked = value === option.value
        const mark = review ? (answer !== null ? markFor(isPicked, answer === option.value) : isPicked ? (review.correct ? 'right' : 'wrong') : null) : null
        return (
          <label key={option.label} className={`learn-choice ${mark === 'answer' || mark === 'right' ? 'is-answer' : ''} ${mark === 'wrong' ? 'is-mistake' : ''}`}>
            <input type="radio" name={name} value={option.label} checked={isPicked} disabled={disabled || review !== null} onChange={() => onChange(option.value)} />
            <span className="ex-choice-text">{option.label}</span>
            {mark ? <Mark kind={mark} /> : null}
          </label>
        )
      })}
    </div>
  )
}
