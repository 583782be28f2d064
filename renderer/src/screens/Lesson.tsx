/** /courses/:courseId/lessons/:lessonId — read, practise, take notes, mark complete. */
import { useEffect, useId, useRef } from 'react'
import { Link, useParams } from 'react-router'
import type { LessonDetail } from '../../../electron/core/contract/types'
import { useCourse, useLesson, useUpdateProgress } from '../api/hooks'
import { ApiError } from '../api/client'
import { ErrorNotice, Loading } from '../components/States'
import { NotFound } from '../components/learn/Bits'
import { formatMinutes } from '../components/learn/format'
import { LessonMarkdown } from '../components/learn/Markdown'
import { Notes } from '../components/learn/Notes'
import { Quiz } from '../components/learn/Quiz'
import { useStudyTimer } from '../components/learn/useStudyTimer'
import './screens-b.css'
import { Breadcrumb } from '../components/learn/Breadcrumb'

export function Lesson() {
  const { courseId = '', lessonId = '' } = useParams()
  const lesson = useLesson(courseId, lessonId)
  if (lesson.isPending) return <Loading what="the lesson" />
  if (lesson.isError) {
    if (lesson.error instanceof ApiError && lesson.error.code === 'NOT_FOUND') return <NotFound what="lesson" courseId={courseId} />
    return <ErrorNotice error={lesson.error} retry={() => void lesson.refetch()} />
  }
  // Keyed: moving to the next lesson starts a fresh quiz, notes box and study timer.
  return <LessonView key={`${courseId}/${lessonId}`} lesson={lesson.data} />
}

function LessonView({ lesson }: { lesson: LessonDetail }) {
  const { courseId, id: lessonId } = lesson
  const course = useCourse(courseId)
  const titleOf = (id: string | null) => (id ? course.data?.lessons.find((l) => l.id === id)?.title : undefined)
  const timer = useUpdateProgress(courseId, lessonId)
  const heading = useRef<HTMLHeadingElement>(null)

  const addTime = timer.mutate
  useStudyTimer((seconds) => addTime({ action: 'addTime', seconds }))

  // A new lesson is a new page: start at its top, with focus on its title for screen readers.
  useEffect(() => {
    window.scrollTo(0, 0)
    heading.current?.focus()
  }, [])

  return (
    <>
      <Breadcrumb
        trail={[
          { to: '/courses', label: 'Courses' },
          { to: `/courses/${courseId}`, label: lesson.courseTitle },
        ]}
        here={lesson.title}
      />
      <header className="page-header learn-lesson-header">
        <h1 ref={heading} tabIndex={-1}>
          {lesson.title}
        </h1>
        <p className="row muted">
          <span>{formatMinutes(lesson.minutes)} read</span>
          {lesson.completed ? <span className="badge badge-success">Completed</span> : null}
        </p>
      </header>
      <article className="prose learn-article">
        <LessonMarkdown markdown={lesson.markdown} runnableSqlIn={lesson.runnableSql ? courseId : null} />
      </article>
      {lesson.quiz.length > 0 ? <Quiz courseId={courseId} lessonId={lessonId} questions={lesson.quiz} /> : null}
      <Completion lesson={lesson} nextTitle={titleOf(lesson.nextLessonId)} />
      <Notes courseId={courseId} lessonId={lessonId} initial={lesson.notes} />
      <nav className="learn-pager" aria-label="Lessons">
        {lesson.previousLessonId ? (
          <Link className="learn-pager-link" to={`/courses/${courseId}/lessons/${lesson.previousLessonId}`} rel="prev">
            <span className="muted">← Previous lesson</span>
            <span>{titleOf(lesson.previousLessonId) ?? ''}</span>
          </Link>
        ) : (
          <span />
        )}
        {lesson.nextLessonId ? (
          <Link className="learn-pager-link is-next" to={`/courses/${courseId}/lessons/${lesson.nextLessonId}`} rel="next">
            <span className="muted">Next lesson →</span>
            <span>{titleOf(lesson.nextLessonId) ?? ''}</span>
          </Link>
        ) : (
          <Link className="learn-pager-link is-next" to={`/courses/${courseId}`}>
            <span className="muted">Last lesson</span>
            <span>Back to the course</span>
          </Link>
        )}
      </nav>
    </>
  )
}

function Completion({ lesson, nextTitle }: { lesson: LessonDetail; nextTitle: string | undefined }) {
  const complete = useUpdateProgress(lesson.courseId, lesson.id)
  const headingId = useId()
  const completed = lesson.completed || complete.data?.lesson.completed === true
  const { courseId, nextLessonId } = lesson

  return (
    <section className={`card learn-complete ${completed ? 'is-complete' : ''}`} aria-labelledby={headingId} data-testid="lesson-completion">
      <h2 id={headingId} className="learn-sr-only">
        Lesson progress
      </h2>
      <div className="spread">
        <div>
          {completed ? (
            <p className="learn-complete-title">
              <span className="badge badge-success">Completed</span> Nice work — this lesson is done.
            </p>
          ) : (
            <p className="learn-complete-title">Finished reading? Mark the lesson complete to track your progress.</p>
          )}
        </div>
        <button
          type="button"
          className={`button ${completed ? '' : 'button-primary'}`}
          disabled={completed || complete.isPending}
          onClick={() => complete.mutate({ action: 'complete' }, { onSuccess: () => void complete.refreshLesson() })}
        >
          {completed ? (
            <>
              <span aria-hidden="true">✓</span> Completed
            </>
          ) : complete.isPending ? (
            'Saving…'
          ) : (
            'Mark complete'
          )}
        </button>
      </div>
      {complete.isError ? <ErrorNotice error={complete.error} /> : null}
      {completed ? (
        <div className="row learn-next">
          {nextLessonId ? (
            <Link className="button button-primary" to={`/courses/${courseId}/lessons/${nextLessonId}`}>
              Next lesson{nextTitle ? `: ${nextTitle}` : ''} <span aria-hidden="true">→</span>
            </Link>
          ) : (
            <>
              <Link className="button button-primary" to={`/courses/${courseId}/pressure-room`}>
                Take the Pressure Room
              </Link>
              <Link className="button" to={`/courses/${courseId}`}>
                Back to the course
              </Link>
            </>
          )}
        </div>
      ) : null}
    </section>
  )
}
