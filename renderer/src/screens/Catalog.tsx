/** /courses: every course, searchable, with the learner's progress in each. */
import { useDeferredValue, useId, useMemo, useState } from 'react'
import { Link } from 'react-router'
import type { CourseSummary } from '../../../electron/core/contract/types'
import { useCourses } from '../api/hooks'
import { ErrorNotice, Loading, ProgressBar } from '../components/States'
import { EnrollmentBadge, formatMinutes, LEVEL_LABEL, plural } from '../components/learn/format'
import './screens-b.css'

/** Every word typed must appear in the title, summary or tags (in any order, any case). */
function matches(course: CourseSummary, query: string): boolean {
  const haystack = [course.title, course.summary, ...course.tags].join(' ').toLocaleLowerCase()
  return query
    .toLocaleLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word))
}

export function Catalog() {
  const courses = useCourses()
  const [query, setQuery] = useState('')
  const deferredQuery = useDeferredValue(query)
  const searchId = useId()
  const shown = useMemo(() => (courses.data ?? []).filter((c) => matches(c, deferredQuery)), [courses.data, deferredQuery])
  const searching = deferredQuery.trim() !== ''

  return (
    <>
      <header className="page-header">
        <h1>Courses</h1>
        <p className="muted">Everything here works offline. Pick a course and learn at your own pace.</p>
      </header>
      <div className="field learn-search">
        <label htmlFor={searchId}>Search courses</label>
        <input id={searchId} type="search" className="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Title, topic or tag" autoComplete="off" />
      </div>
      {courses.isPending ? (
        <Loading what="courses" />
      ) : courses.isError ? (
        <ErrorNotice error={courses.error} retry={() => void courses.refetch()} />
      ) : (
        <>
          <p className="learn-sr-only" role="status" aria-live="polite">
            {searching ? `${plural(shown.length, 'course')} found` : ''}
          </p>
          {shown.length === 0 ? (
            <div className="empty">
              <h2>{searching ? `No courses match “${deferredQuery.trim()}”` : 'No courses yet'}</h2>
              {searching ? (
                <button type="button" className="button" onClick={() => setQuery('')}>
                  Clear the search
                </button>
              ) : (
                <p>Course packs you add will appear here.</p>
              )}
            </div>
          ) : (
            <ul className="grid grid-2 learn-card-list">
              {shown.map((course) => (
                <li key={course.id}>
                  <CourseCard course={course} />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  )
}

function CourseCard({ course }: { course: CourseSummary }) {
  const progress = course.enrollment?.progress ?? 0
  return (
    <article className="card learn-course-card" data-testid={`course-card-${course.id}`}>
      <div className="spread learn-card-top">
        <span className="badge">{LEVEL_LABEL[course.level]}</span>
        <EnrollmentBadge status={course.enrollment?.status} />
      </div>
      <h2 className="learn-card-title">
        <Link to={`/courses/${course.id}`}>{course.title}</Link>
      </h2>
      <p className="learn-card-summary">{course.summary}</p>
      <p className="muted learn-card-meta">
        {plural(course.lessonCount, 'lesson')} · {formatMinutes(course.minutes)}
      </p>
      {course.tags.length > 0 ? (
        <ul className="learn-tags" aria-label="Tags">
          {course.tags.map((tag) => (
            <li key={tag}>{tag}</li>
          ))}
        </ul>
      ) : null}
      <div className="learn-card-progress">
        <ProgressBar value={progress} label={`${course.title} progress`} />
        <span className="muted">{progress}% complete</span>
      </div>
    </article>
  )
}
