/**
 * A checked answer in words: right or not, the feedback on the learner's answer, the answer itself
 * when it was wrong (for kinds whose widget cannot mark it in place) and the explanation.
 */
import type { CheckedAnswer, PresentedQuestion } from '../../../../electron/core/contract/types'
import { InlineText } from '../learn/InlineText'

/** Widgets of these kinds mark the right answer themselves; the others need it spelled out. */
const MARKED_IN_PLACE = new Set<PresentedQuestion['kind']>(['single', 'multiple', 'truefalse', 'order', 'match', 'sql'])

/** The feedback without what the verdict already says ("Correct: every pair matches." → "every pair matches."). */
function feedbackBeyondVerdict(feedback: string): string {
  if (/^(Correct|Not quite|Not answered)\.$/.test(feedback)) return ''
  return feedback.replace(/^Correct: /, '')
}

export function Verdict({ question, checked, answered = true }: { question: PresentedQuestion; checked: CheckedAnswer; answered?: boolean }) {
  const feedback = feedbackBeyondVerdict(checked.feedback)
  return (
    <div className={`ex-verdict ${checked.correct ? 'is-right' : 'is-wrong'}`}>
      <p className="learn-verdict">
        <span className="ex-verdict-word">
          <span aria-hidden="true">{checked.correct ? '✓ ' : '✗ '}</span>
          {checked.correct ? 'Right' : answered ? 'Not quite' : 'Not answered'}
        </span>
        {feedback ? (
          <>
            {' — '}
            <InlineText text={feedback} />
          </>
        ) : null}
      </p>
      {!checked.correct && !MARKED_IN_PLACE.has(question.kind) ? (
        <p className="ex-solution-line">
          The answer: <InlineText text={checked.solution.text} />
        </p>
      ) : null}
      <p className="ex-explanation">
        <strong>Why: </strong>
        <InlineText text={checked.explanation} />
      </p>
    </div>
  )
}
