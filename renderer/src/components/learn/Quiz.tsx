/**
 * The lesson's practice quiz, checked in the page. Changing an answer after checking hides the old
 * verdict, so what is on screen always matches the answers chosen.
 */
import { useId, useState } from 'react'
import type { Question } from '../../../../electron/core/contract/types'
import { InlineText } from './InlineText'

type Answers = Record<string, number>

export function Quiz({ questions }: { questions: Question[] }) {
  const [answers, setAnswers] = useState<Answers>({})
  const [checked, setChecked] = useState(false)
  const headingId = useId()

  const choose = (questionId: string, choice: number) => {
    setAnswers((a) => ({ ...a, [questionId]: choice }))
    setChecked(false)
  }
  const right = questions.filter((q) => answers[q.id] === q.answer).length
  const unanswered = questions.length - Object.keys(answers).length

  return (
    <section className="learn-quiz" aria-labelledby={headingId}>
      <h2 id={headingId}>Check your understanding</h2>
      <p className="muted">Practice questions: they don’t count towards anything, so take your time.</p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault()
          setChecked(true)
        }}
      >
        {questions.map((q, i) => (
          <QuizQuestion key={q.id} question={q} number={i + 1} chosen={answers[q.id]} checked={checked} onChoose={(c) => choose(q.id, c)} />
        ))}
        <div className="row">
          <button type="submit" className="button">
            Check answers
          </button>
          {!checked && unanswered > 0 && unanswered < questions.length ? (
            <span className="muted">{unanswered === 1 ? '1 question' : `${unanswered} questions`} still unanswered</span>
          ) : null}
        </div>
        <div role="status" aria-live="polite" data-testid="quiz-summary">
          {checked ? (
            <p className={`notice ${right === questions.length ? 'notice-success' : ''}`}>
              {right === questions.length ? 'Great — you passed the quiz!' : `You got ${right} of ${questions.length} right. Have another look at the ones marked ✗.`}
            </p>
          ) : null}
        </div>
      </form>
    </section>
  )
}

interface QuestionProps {
  question: Question
  number: number
  chosen: number | undefined
  checked: boolean
  onChoose: (choice: number) => void
}

function QuizQuestion({ question, number, chosen, checked, onChoose }: QuestionProps) {
  const feedbackId = useId()
  const isRight = chosen === question.answer
  const correctChoice = question.choices[question.answer] ?? ''
  return (
    <fieldset
      className={`learn-question ${checked ? (isRight ? 'is-right' : 'is-wrong') : ''}`}
      data-testid={`quiz-question-${question.id}`}
      aria-describedby={checked ? feedbackId : undefined}
    >
      <legend>
        <span className="learn-question-number">{number}.</span> <InlineText text={question.prompt} />
      </legend>
      <div className="learn-choices">
        {question.choices.map((choice, i) => (
          <label key={i} className={`learn-choice ${checked && i === question.answer ? 'is-answer' : ''} ${checked && i === chosen && !isRight ? 'is-mistake' : ''}`}>
            <input type="radio" name={`quiz-${question.id}`} value={i} checked={chosen === i} onChange={() => onChoose(i)} />
            <span>
              <InlineText text={choice} />
            </span>
          </label>
        ))}
      </div>
      {checked ? (
        <div id={feedbackId} className="learn-feedback">
          <p className="learn-verdict">
            {isRight ? (
              <>
                <span aria-hidden="true">✓ </span>Right
              </>
            ) : (
              <>
                <span aria-hidden="true">✗ </span>
                {chosen === undefined ? 'Not answered' : 'Not quite'} — the answer is “<InlineText text={correctChoice} />”
              </>
            )}
          </p>
          <p>
            <InlineText text={question.explanation} />
          </p>
        </div>
      ) : null}
    </fieldset>
  )
}
