/**
 * The lesson's practice: every question is checked on its own, by the core (courses.checkAnswer), so
 * the page never holds an answer key before the learner has answered. A checked question shows its
 * verdict, feedback, explanation and (when wrong) the answer; "Try again" clears it for another go.
 */
import { useId, useState } from 'react'
import type { CheckedAnswer, PresentedQuestion } from '../../../../electron/core/contract/types'
import { useCheckAnswer } from '../../api/hooks'
import { ErrorNotice } from '../States'
import { Exercise } from '../exercises/Exercise'
import { initialDraft, toResponse, unansweredHint, type Draft } from '../exercises/draft'
import { Verdict } from '../exercises/Verdict'

interface QuizProps {
  courseId: string
  lessonId: string
  questions: PresentedQuestion[]
}

export function Quiz({ courseId, lessonId, questions }: QuizProps) {
  const [verdicts, setVerdicts] = useState<Record<string, boolean>>({})
  const headingId = useId()
  const checked = Object.keys(verdicts).length
  const right = Object.values(verdicts).filter(Boolean).length

  return (
    <section className="learn-quiz" aria-labelledby={headingId}>
      <h2 id={headingId}>Check your understanding</h2>
      <p className="muted">Practice questions: they don’t count towards anything, so take your time. Check each answer when you are ready.</p>
      <div className="stack">
        {questions.map((q, i) => (
          <QuizQuestion
            key={q.id}
            courseId={courseId}
            lessonId={lessonId}
            question={q}
            number={i + 1}
            onVerdict={(correct) =>
              setVerdicts((v) => {
                const next = { ...v }
                if (correct === null) delete next[q.id]
                else next[q.id] = correct
                return next
              })
            }
          />
        ))}
      </div>
      <div role="status" aria-live="polite" data-testid="quiz-summary" className="ex-quiz-summary">
        {checked > 0 ? (
          <p className={`notice ${right === questions.length ? 'notice-success' : ''}`}>
            {right === questions.length ? 'Great — you passed the quiz!' : `${right} of ${questions.length} right so far${checked > right ? `; ${checked - right} to try again` : ''}.`}
          </p>
        ) : null}
      </div>
    </section>
  )
}

interface QuestionProps {
  courseId: string
  lessonId: string
  question: PresentedQuestion
  number: number
  /** The question's verdict changed: right, wrong, or null once cleared for another try. */
  onVerdict: (correct: boolean | null) => void
}

function QuizQuestion({ courseId, lessonId, question, number, onVerdict }: QuestionProps) {
  const [draft, setDraft] = useState<Draft | undefined>(() => initialDraft(question))
  const [result, setResult] = useState<CheckedAnswer | null>(null)
  const [hint, setHint] = useState('')
  const check = useCheckAnswer()
  const verdictId = useId()
  const name = `quiz-${question.id}`

  const submit = () => {
    const response = toResponse(question, draft)
    if (response === undefined) return setHint(unansweredHint(question))
    setHint('')
    check.mutate(
      { courseId, lessonId, questionId: question.id, response },
      {
        onSuccess: (answer) => {
          setResult(answer)
          onVerdict(answer.correct)
        },
      },
    )
  }
  const again = () => {
    setResult(null)
    check.reset()
    onVerdict(null)
  }

  return (
    <form
      className={`learn-question ex-question ${result ? (result.correct ? 'is-right' : 'is-wrong') : ''}`}
      data-testid={`quiz-question-${question.id}`}
      onSubmit={(e) => {
        e.preventDefault()
        if (!result && !check.isPending) submit()
      }}
    >
      <Exercise
        question={question}
        number={number}
        name={name}
        courseId={courseId}
        value={draft}
        onChange={(d) => {
          setDraft(d)
          setHint('')
        }}
        review={result ? { correct: result.correct, solution: result.solution } : null}
        describedBy={result || hint ? verdictId : undefined}
      />
      <div id={verdictId} role="status" aria-live="polite" className="ex-verdict-region">
        {result ? <Verdict question={question} checked={result} /> : hint ? <p className="ex-unanswered">{hint}</p> : null}
      </div>
      {check.isError ? <ErrorNotice error={check.error} /> : null}
      <div className="row ex-actions">
        {/* One button that changes role, so the focus stays on it when the verdict comes and goes. */}
        <button
          type={result ? 'button' : 'submit'}
          className="button"
          aria-disabled={check.isPending || undefined}
          onClick={
            result
              ? (e) => {
                  e.preventDefault()
                  again()
                }
              : undefined
          }
        >
          {result ? 'Try again' : check.isPending ? 'Checking…' : 'Check answer'}
        </button>
      </div>
    </form>
  )
}
