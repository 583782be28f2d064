/** /courses/:courseId — the course outline: enroll or continue, lessons, and the Pressure Room. */
import { useId } from 'react'
import { Link, useParams } from 'react-router'
import type { CourseDetail } from '../../../electron/core/contract/types'
import { useCourse, useEnroll } from '../api/hooks'
import { ApiError } from '../api/client'
import { ErrorNotice, Loading, ProgressBar } from '../components/States'
import { CompletionMark, NotFound } from '../components/learn/Bits'
import { EnrollmentBadge, formatDate, formatDuration, formatMinutes, LEVEL_LABEL, plural } from '../components/learn/format'
import './screens-b.css'
import { Breadcrumb } from '../components/learn/Breadcrumb'

export function Course() {
  const { courseId = '' } = useParams()
  const course = useCourse(courseId)
  if (course.isPending) return <Loading what="the course" />
  if (course.isError) {
    if (course.error instanceof ApiError && course.error.code === 'NOT_FOUND') return <NotFound what="course" />
    return <ErrorNotice error={course.error} retry={() => void course.refetch()} />
  }
  return <CourseView course={course.data} />
}

function CourseView({ course }: { course: CourseDetail }) {
  const enroll = useEnroll()
  const lessonsHeading = useId()
  const done = course.lessons.filter((l) => l.completed).length
  const next = course.lessons.find((l) => !l.completed)
  const progress = course.enrollment?.progress ?? 0

  return (
    <>
      <Breadcrumb trail={[{ to: '/courses', label: 'Courses' }]} here={course.title} />
      <header className="page-header learn-course-header">
        <div className="row">
          <span className="badge">{LEVEL_LABEL[course.level]}</span>
          <EnrollmentBadge status={course.enrollment?.status} />
        </div>
        <h1>{course.title}</h1>
        <p className="learn-lede">{course.summary}</p>
        <p className="muted">
          {plural(course.lessonCount, 'lesson')} · {formatMinutes(course.minutes)}
          {course.enrollment ? ` · enrolled ${formatDate(course.enrollment.enrolledAt)}` : ''}
        </p>
        <div className="learn-course-progress">
          <ProgressBar value={progress} label={`${course.title} progress`} />
          <span className="muted">
            {done} of {plural(course.lessonCount, 'lesson')} complete ({progress}%)
          </span>
        </div>
        <div className="row learn-course-actions">
          {!course.enrollment ? (
            <>
              <button type="button" className="button button-primary" disabled={enroll.isPending} onClick={() => enroll.mutate(course.id)}>
                {enroll.isPending ? 'Enrolling…' : 'Enroll'}
              </button>
              <span className="muted">Free, and it works offline.</span>
            </>
          ) : next ? (
            <>
              <Link className="button button-primary" to={`/courses/${course.id}/lessons/${next.id}`}>
                Continue
              </Link>
              <span className="muted">Next up: {next.title}</span>
            </>
          ) : (
            <>
              <span className="learn-done">
                <span aria-hidden="true">✓ </span>You finished every lesson.
              </span>
              {course.lessons[0] ? (
                <Link className="button" to={`/courses/${course.id}/lessons/${course.lessons[0].id}`}>
                  Review from the start
                </Link>
              ) : null}
            </>
          )}
        </div>
        {enroll.isError ? <ErrorNotice error={enroll.error} /> : null}
      </header>

      <div className="learn-course-layout">
        <section aria-labelledby={lessonsHeading}>
          <h2 id={lessonsHeading}>Lessons</h2>
          <ol className="learn-lessons">
            {course.lessons.map((lesson, i) => (
              <li key={lesson.id} className={lesson.completed ? 'is-complete' : ''} data-testid={`lesson-item-${lesson.id}`}>
                <CompletionMark completed={lesson.completed} />
                <span className="learn-lesson-number" aria-hidden="true">
                  {i + 1}
                </span>
                <Link to={`/courses/${course.id}/lessons/${lesson.id}`}>{lesson.title}</Link>
                <span className="muted learn-lesson-minutes">{formatMinutes(lesson.minutes)}</span>
              </li>
            ))}
          </ol>
        </section>
        <PressureRoomCard course={course} />
      </div>
    </>
  )
}

function PressureRoomCard({ course }: { course: CourseDetail }) {
  const room = course.pressureRoom
  const record = course.enrollment?.pressureRoom ?? null
  const headingId = useId()
  return (
    <section className="card learn-pr-card" aria-labelledby={headingId} data-testid="pressure-room-card">
      <h2 id={headingId}>Pressure Room</h2>
      <p className="muted">The course’s timed final challenge.</p>
      <dl className="learn-facts">
        <div>
          <dt>Questions</dt>
          <dd>{room.questionCount}</dd>
        </div>
        <div>
          <dt>Time limit</dt>
          <dd>{formatDuration(room.timeLimitSeconds)}</dd>
        </div>
        <div>
          <dt>Pass mark</dt>
          <dd>{room.passMark}%</dd>
        </div>
        {record ? (
          <>
            <div>
              <dt>Best score</dt>
              <dd>{record.bestScore}%</dd>
            </div>
            <div>
              <dt>Attempts</dt>
              <dd>{record.attempts}</dd>
            </div>
            <div>
              <dt>Passed</dt>
              <dd>{record.passedAt ? formatDate(record.passedAt) : 'Not yet'}</dd>
            </div>
          </>
        ) : null}
      </dl>
      <Link className={`button ${course.enrollment?.status === 'completed' ? 'button-primary' : ''}`} to={`/courses/${course.id}/pressure-room`}>
        Enter the Pressure Room
      </Link>
    </section>
  )
}
