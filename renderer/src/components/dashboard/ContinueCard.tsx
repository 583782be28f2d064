/** One obvious next step: the lesson the learner touched last (or the next one), or a way to start. */
import { Link } from 'react-router'
import { useContinueLearning } from '../../api/hooks'
import { ErrorNotice, Loading, ProgressBar } from '../States'

export const lessonPath = (courseId: string, lessonId: string) => `/courses/${encodeURIComponent(courseId)}/lessons/${encodeURIComponent(lessonId)}`

export function ContinueCard() {
  const next = useContinueLearning()
  return (
    <section className="card dash-continue" aria-labelledby="dash-continue-title">
      <h2 id="dash-continue-title">Continue learning</h2>
      {next.isPending ? (
        <Loading what="your next lesson" />
      ) : next.isError ? (
        <ErrorNotice error={next.error} retry={() => void next.refetch()} />
      ) : next.data ? (
        <div className="stack dash-continue-body">
          <div>
            <p className="muted dash-continue-course">{next.data.courseTitle}</p>
            <p className="dash-continue-lesson">{next.data.lessonTitle}</p>
          </div>
          <div className="dash-continue-progress">
            <ProgressBar label={`${next.data.courseTitle} progress`} value={next.data.progress} max={100} />
            <span className="muted">{Math.round(next.data.progress)}% complete</span>
          </div>
          <div>
            <Link className="button button-primary" to={lessonPath(next.data.courseId, next.data.lessonId)}>
              Continue: {next.data.lessonTitle}
            </Link>
          </div>
        </div>
      ) : (
        <div className="dash-empty">
          <p>You haven't started a course yet. Pick one that sparks your curiosity — your first lesson takes just a few minutes.</p>
          <Link className="button button-primary" to="/courses">
            Browse courses
          </Link>
        </div>
      )}
    </section>
  )
}
