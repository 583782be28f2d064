/**
 * /courses/:courseId/pressure-room — the timed final challenge: rules, the attempt, the result.
 * Leaving mid-attempt simply leaves it unsubmitted; answers already given were recorded as they came.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { Link, useParams } from 'react-router'
import type { CourseDetail, PressureRoomAttempt, PressureRoomResult, Response } from '../../../electron/core/contract/types'
import { useCourse, usePressureRoomAnswer, usePressureRoomStart, usePressureRoomSubmit } from '../api/hooks'
import { ApiError } from '../api/client'
import { ErrorNotice, Loading } from '../components/States'
import { NotFound } from '../components/learn/Bits'
import { Countdown } from '../components/learn/Countdown'
import { formatDate, formatDuration, plural } from '../components/learn/format'
import { Exercise } from '../components/exercises/Exercise'
import { isAnswered, toResponse, type Draft } from '../components/exercises/draft'
import { Verdict } from '../components/exercises/Verdict'
import './screens-b.css'
import { Breadcrumb } from '../components/learn/Breadcrumb'

type Answers = Record<string, Response>
type Drafts = Record<string, Draft>

/** Typed answers are recorded once the learner pauses, not at every key. */
const TYPING_PAUSE_MS = 600
const TYPED = new Set(['numeric', 'text', 'blanks'])
type Phase = { kind: 'intro' } | { kind: 'attempt'; attempt: PressureRoomAttempt } | { kind: 'result'; result: PressureRoomResult; timedOut: boolean }

export function PressureRoom() {
  const { courseId = '' } = useParams()
  const course = useCourse(courseId)
  if (course.isPending) return <Loading what="the Pressure Room" />
  if (course.isError) {
    if (course.error instanceof ApiError && course.error.code === 'NOT_FOUND') return <NotFound what="Pressure Room" />
    return <ErrorNotice error={course.error} retry={() => void course.refetch()} />
  }
  return <Room key={courseId} course={course.data} />
}

function Room({ course }: { course: CourseDetail }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'intro' })
  const start = usePressureRoomStart()
  const submit = usePressureRoomSubmit()

  const begin = () => {
    submit.reset()
    start.mutate(course.id, { onSuccess: (attempt) => setPhase({ kind: 'attempt', attempt }) })
  }
  const submitAttempt = submit.mutate
  const finish = useCallback(
    (attemptId: string, answers: Answers, timedOut: boolean) =>
      submitAttempt({ attemptId, answers }, { onSuccess: (result) => setPhase({ kind: 'result', result, timedOut: timedOut || result.late }) }),
    [submitAttempt],
  )

  return (
    <>
      <Breadcrumb
        trail={[
          { to: '/courses', label: 'Courses' },
          { to: `/courses/${course.id}`, label: course.title },
        ]}
        here="Pressure Room"
      />
      <header className="page-header">
        <h1>Pressure Room</h1>
        <p className="muted">{course.title}: the timed final challenge</p>
      </header>
      {phase.kind === 'intro' ? (
        <Intro course={course} starting={start.isPending} error={start.error} onStart={begin} />
      ) : phase.kind === 'attempt' ? (
        <Attempt attempt={phase.attempt} submitting={submit.isPending} submitError={submit.error} onSubmit={finish} />
      ) : (
        <Result result={phase.result} timedOut={phase.timedOut} courseId={course.id} starting={start.isPending} startError={start.error} onRetry={begin} />
      )}
    </>
  )
}

function Intro({ course, starting, error, onStart }: { course: CourseDetail; starting: boolean; error: Error | null; onStart: () => void }) {
  const room = course.pressureRoom
  const record = course.enrollment?.pressureRoom ?? null
  return (
    <section className="card learn-pr-intro" aria-label="Rules" data-testid="pr-intro">
      <h2>How it works</h2>
      <ul className="learn-rules">
        <li>
          <strong>{plural(room.questionCount, 'question')}</strong>, in a random order.
        </li>
        <li>
          <strong>{formatDuration(room.timeLimitSeconds)}</strong> on the clock. It starts when you press Start and keeps running if you leave the page.
        </li>
        <li>
          Score <strong>{room.passMark}%</strong> or more to pass. You can move back and forth and change answers until you submit.
        </li>
        <li>When time runs out, the answers you have chosen are submitted for you.</li>
      </ul>
      <p className="learn-record">
        {record
          ? `Best score so far: ${record.bestScore}% · ${plural(record.attempts, 'attempt')}${record.passedAt ? ` · passed on ${formatDate(record.passedAt)}` : ''}`
          : 'No attempts yet. Good luck!'}
      </p>
      {error ? <ErrorNotice error={error} /> : null}
      <div className="row">
        <button type="button" className="button button-primary learn-start" onClick={onStart} disabled={starting}>
          {starting ? 'Starting…' : 'Start'}
        </button>
        <Link to={`/courses/${course.id}`}>Back to course</Link>
      </div>
    </section>
  )
}

interface AttemptProps {
  attempt: PressureRoomAttempt
  submitting: boolean
  submitError: Error | null
  onSubmit: (attemptId: string, answers: Answers, timedOut: boolean) => void
}

function Attempt({ attempt, submitting, submitError, onSubmit }: AttemptProps) {
  const [index, setIndex] = useState(0)
  const [drafts, setDrafts] = useState<Drafts>(() => ({ ...attempt.answers }))
  const [timedOut, setTimedOut] = useState(false)
  const draftsRef = useRef(drafts)
  const heading = useRef<HTMLHeadingElement>(null)
  const recordAnswer = usePressureRoomAnswer().mutateAsync
  const recording = useRef(Promise.resolve())
  const typing = useRef(new Map<string, ReturnType<typeof setTimeout>>())
  const question = attempt.questions[index]
  const total = attempt.questions.length
  const last = index === total - 1
  const answered = attempt.questions.filter((q) => isAnswered(q, drafts[q.id])).length
  const { attemptId } = attempt

  // Each move is a new question: put the reader on it.
  useEffect(() => heading.current?.focus(), [index])

  /** Every answer the learner has given, as the core grades them. */
  const answersNow = useCallback((): Answers => {
    const answers: Answers = {}
    for (const q of attempt.questions) {
      const response = isAnswered(q, draftsRef.current[q.id]) ? toResponse(q, draftsRef.current[q.id]) : undefined
      if (response !== undefined) answers[q.id] = response
    }
    return answers
  }, [attempt.questions])

  // Recorded as the learner answers, so a time-out or a lost submission still counts it; one at a
  // time, so quick changes (arrow keys through the choices) reach the core in the order they were
  // made. A refused answer (time is up) is not an error for the learner: the submission carries it.
  const record = useCallback(
    (questionId: string) => {
      typing.current.delete(questionId)
      const q = attempt.questions.find((candidate) => candidate.id === questionId)
      const response = q && isAnswered(q, draftsRef.current[questionId]) ? toResponse(q, draftsRef.current[questionId]) : undefined
      if (response === undefined) return
      recording.current = recording.current
        .then(() => recordAnswer({ attemptId, questionId, response }))
        .then(
          () => undefined,
          () => undefined,
        )
    },
    [attempt.questions, attemptId, recordAnswer],
  )
  const flushTyping = useCallback(() => {
    for (const [questionId, timer] of typing.current) {
      clearTimeout(timer)
      record(questionId)
    }
  }, [record])
  useEffect(() => flushTyping, [flushTyping])

  const change = (questionId: string, kind: string, draft: Draft) => {
    const next = { ...draftsRef.current, [questionId]: draft }
    draftsRef.current = next
    setDrafts(next)
    const pending = typing.current.get(questionId)
    if (pending) clearTimeout(pending)
    if (TYPED.has(kind)) typing.current.set(questionId, setTimeout(() => record(questionId), TYPING_PAUSE_MS))
    else record(questionId)
  }
  const go = (to: number) => {
    flushTyping()
    setIndex(to)
  }
  const expire = useCallback(() => {
    setTimedOut(true)
    flushTyping()
    onSubmit(attemptId, answersNow(), true)
  }, [attemptId, onSubmit, flushTyping, answersNow])

  if (!question) return null
  return (
    <section className="card learn-attempt" aria-label="Pressure Room attempt" data-testid="pr-attempt">
      <div className="spread learn-attempt-top">
        <h2 ref={heading} tabIndex={-1} className="learn-attempt-count">
          Question {index + 1} of {total}
        </h2>
        <Countdown deadline={attempt.deadline} onExpire={expire} />
      </div>
      <div className="progress learn-attempt-progress" aria-hidden="true">
        <div className="progress-fill" style={{ width: `${((index + 1) / total) * 100}%` }} />
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (last) {
            flushTyping()
            onSubmit(attemptId, answersNow(), false)
          } else go(index + 1)
        }}
      >
        <Exercise
          key={question.id}
          className="learn-pr-question"
          question={question}
          name={`pr-${question.id}`}
          courseId={attempt.courseId}
          value={drafts[question.id]}
          onChange={(d) => change(question.id, question.kind, d)}
          review={null}
          disabled={submitting || timedOut}
        />
        <div className="spread learn-attempt-nav">
          <button type="button" className="button" disabled={index === 0 || submitting || timedOut} onClick={() => go(index - 1)}>
            <span aria-hidden="true">←</span> Previous
          </button>
          <span className="muted">
            {answered} of {total} answered
          </span>
          {last ? (
            <button type="submit" className="button button-primary" disabled={submitting || timedOut}>
              {submitting ? 'Submitting…' : 'Submit answers'}
            </button>
          ) : (
            <button type="submit" className="button button-primary" disabled={submitting || timedOut}>
              Next <span aria-hidden="true">→</span>
            </button>
          )}
        </div>
        {last && answered < total && !submitting ? (
          <p className="muted learn-unanswered">
            {plural(total - answered, 'question')} still unanswered: they count as wrong.
          </p>
        ) : null}
      </form>
      <div role="status" aria-live="polite">
        {timedOut ? <p className="notice">Time's up — submitting your answers…</p> : null}
      </div>
      {submitError ? <ErrorNotice error={submitError} retry={() => onSubmit(attemptId, answersNow(), timedOut)} /> : null}
    </section>
  )
}

interface ResultProps {
  result: PressureRoomResult
  timedOut: boolean
  courseId: string
  starting: boolean
  startError: Error | null
  onRetry: () => void
}

function Result({ result, timedOut, courseId, starting, startError, onRetry }: ResultProps) {
  const heading = useRef<HTMLHeadingElement>(null)
  const reviewId = useId()
  useEffect(() => heading.current?.focus(), [])
  const record = result.record
  return (
    <section className="stack" data-testid="pr-result">
      <div className={`card learn-result ${result.passed ? 'is-pass' : 'is-fail'}`}>
        {timedOut ? <p className="learn-timeup">Time's up — your answers so far were submitted.</p> : null}
        <h2 ref={heading} tabIndex={-1} className="learn-result-title">
          {result.passed ? 'Passed!' : 'Not this time'}
        </h2>
        <p className="learn-score">
          Score: {result.score}% <span className="muted">({result.correct} of {result.total} correct)</span>
        </p>
        <dl className="learn-facts">
          <div>
            <dt>Pass mark</dt>
            <dd>{result.passMark}%</dd>
          </div>
          <div>
            <dt>Best score</dt>
            <dd>{record ? `${record.bestScore}%` : `${result.score}%`}</dd>
          </div>
          <div>
            <dt>Attempts</dt>
            <dd>{record?.attempts ?? 1}</dd>
          </div>
        </dl>
        <p>{result.passed ? 'Well done. You can keep trying to beat your best score.' : `You need ${result.passMark}% to pass. Look through the review below, then have another go.`}</p>
        {startError ? <ErrorNotice error={startError} /> : null}
        <div className="row">
          <button type="button" className="button button-primary" onClick={onRetry} disabled={starting}>
            {starting ? 'Starting…' : 'Try again'}
          </button>
          <Link className="button" to={`/courses/${courseId}`}>
            Back to course
          </Link>
        </div>
      </div>
      <section aria-labelledby={reviewId}>
        <h2 id={reviewId}>Review</h2>
        <ol className="learn-review">
          {result.review.map((item, i) => (
            <li key={item.question.id} className={`card ${item.correct ? 'is-right' : 'is-wrong'}`} data-testid={`pr-review-${item.question.id}`}>
              <Exercise
                question={item.question}
                number={i + 1}
                name={`review-${item.question.id}`}
                courseId={courseId}
                value={item.response ?? undefined}
                onChange={() => undefined}
                review={{ correct: item.correct, solution: item.solution }}
                describedBy={`${reviewId}-${i}`}
              />
              <div id={`${reviewId}-${i}`}>
                <Verdict question={item.question} checked={item} answered={item.response !== null} />
              </div>
            </li>
          ))}
        </ol>
      </section>
    </section>
  )
}
