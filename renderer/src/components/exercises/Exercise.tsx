/**
 * One question as a fieldset: its prompt as the legend and the widget for its kind. The lesson quiz,
 * the Pressure Room attempt and its review all show questions through this, in their own frames.
 */
import { lazy, Suspense, type ReactNode } from 'react'
import type { PresentedQuestion } from '../../../../electron/core/contract/types'
import { InlineText } from '../learn/InlineText'
import { BlanksWidget } from './BlanksWidget'
import { ChoiceWidget } from './ChoiceWidget'
import type { Draft } from './draft'
import { MatchWidget } from './MatchWidget'
import { OrderWidget } from './OrderWidget'
import { TrueFalseWidget } from './TrueFalseWidget'
import { TypedWidget } from './TypedWidget'
import type { Review } from './widget'
import './exercises.css'

// The SQL editor and result table come with the first SQL exercise, not with every lesson.
const SqlWidget = lazy(() => import('../sql/SqlWidget'))

export interface ExerciseProps {
  question: PresentedQuestion
  value: Draft | undefined
  onChange: (draft: Draft) => void
  review: Review | null
  disabled?: boolean
  /** Unique on the page: the ids and radio names of the question's inputs derive from it. */
  name: string
  courseId: string
  /** Shown before the prompt ("3."), in the lesson quiz. */
  number?: number
  /** The id of the verdict the question is described by once checked. */
  describedBy?: string
  className?: string
}

const LEGEND_FOR_BLANKS = 'Fill in the blanks'

export function Exercise({ question, number, describedBy, className = '', ...widget }: ExerciseProps) {
  const props = { ...widget, disabled: widget.disabled ?? false }
  return (
    <fieldset className={`ex-fieldset ${className}`} aria-describedby={describedBy} data-kind={question.kind} data-question-id={question.id}>
      <legend className="ex-legend">
        {number !== undefined ? <span className="learn-question-number">{number}. </span> : null}
        {/* The blanks' prompt is the body itself (inputs inside the sentence). */}
        {question.kind === 'blanks' ? LEGEND_FOR_BLANKS : <InlineText text={question.prompt} />}
      </legend>
      <WidgetFor question={question} {...props} />
    </fieldset>
  )
}

function WidgetFor({ question, ...props }: Omit<ExerciseProps, 'number' | 'describedBy' | 'className'> & { disabled: boolean }): ReactNode {
  switch (question.kind) {
    case 'single':
    case 'multiple':
      return <ChoiceWidget question={question} {...props} />
    case 'truefalse':
      return <TrueFalseWidget question={question} {...props} />
    case 'numeric':
    case 'text':
      return <TypedWidget question={question} {...props} />
    case 'order':
      return <OrderWidget question={question} {...props} />
    case 'match':
      return <MatchWidget question={question} {...props} />
    case 'blanks':
      return <BlanksWidget question={question} {...props} />
    case 'sql':
      return (
        <Suspense fallback={<p className="muted">Loading the SQL editor…</p>}>
          <SqlWidget question={question} {...props} />
        </Suspense>
      )
  }
}
