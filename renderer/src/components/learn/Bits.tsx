/** Small pieces shared by the learning screens. */
import { Link } from 'react-router'

export function CompletionMark({ completed }: { completed: boolean }) {
  return (
    <span role="img" aria-label={completed ? 'Completed' : 'Not completed'} className={`learn-mark ${completed ? 'is-done' : ''}`}>
      {completed ? '✓' : ''}
    </span>
  )
}

/** For a course or lesson id that isn't in the catalog (an old link, a removed pack). */
export function NotFound({ what, courseId }: { what: 'course' | 'lesson' | 'Pressure Room'; courseId?: string }) {
  return (
    <div className="empty learn-notfound">
      <h1>{what === 'course' ? 'Course not found' : what === 'lesson' ? 'Lesson not found' : 'Pressure Room not found'}</h1>
      <p>It isn’t in your library. It may have been removed or renamed.</p>
      {courseId && what === 'lesson' ? (
        <Link className="button" to={`/courses/${courseId}`}>
          Back to the course
        </Link>
      ) : (
        <Link className="button" to="/courses">
          Browse courses
        </Link>
      )}
    </div>
  )
}
