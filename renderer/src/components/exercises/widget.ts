/** What every exercise widget is given. */
import type { Solution } from '../../../../electron/core/contract/types'
import type { Draft, Kind, QuestionOf } from './draft'

/** A checked answer as a widget marks it: right or wrong, and the key once it may be shown. */
export interface Review {
  correct: boolean
  solution: Solution | null
}

export interface WidgetProps<K extends Kind> {
  question: QuestionOf<K>
  value: Draft | undefined
  onChange: (draft: Draft) => void
  /** Set once the answer is checked (or the attempt submitted): the widget is read-only and marked. */
  review: Review | null
  /** The attempt is being submitted or its time is up: nothing may change. */
  disabled: boolean
  /** Unique per rendering of the question: ids and radio names are built from it. */
  name: string
  /** SQL widgets run queries against this course's sample database. */
  courseId: string
}
