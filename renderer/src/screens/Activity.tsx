/** The learner's activity log, newest first, grouped by day; more loads as they scroll (or press a button). */
import { useEffect, useRef } from 'react'
import { Link } from 'react-router'
import type { Activity as ActivityItem, ActivityType } from '../../../electron/core/contract/types'
import { useActivities, useStats } from '../api/hooks'
import { addDays, formatDateTime, formatDayLong, formatRecentTime, isoTime } from '../components/dashboard/format'
import { Icon, type IconName } from '../components/dashboard/Icon'
import { EmptyState, ErrorNotice, Loading } from '../components/States'
import './screens-a.css'

const ICONS: Record<ActivityType, IconName> = {
  course_enrolled: 'book',
  lesson_completed: 'check',
  pr_completed: 'timer',
  course_completed: 'cap',
  achievement_earned: 'trophy',
}

const KIND: Record<ActivityType, string> = {
  course_enrolled: 'Enrolled',
  lesson_completed: 'Lesson completed',
  pr_completed: 'Pressure Room passed',
  course_completed: 'Course completed',
  achievement_earned: 'Achievement earned',
}

/** The learner's today, as the core sees it; the device's own calendar day until stats arrive. */
function useToday(): string {
  const stats = useStats()
  return stats.data?.today ?? new Intl.DateTimeFormat('en-CA').format(new Date())
}

function dayHeading(day: string, today: string): string {
  if (day === today) return 'Today'
  if (day === addDays(today, -1)) return 'Yesterday'
  return formatDayLong(day)
}

function groupByDay(items: ActivityItem[]): { day: string; items: ActivityItem[] }[] {
  const groups: { day: string; items: ActivityItem[] }[] = []
  for (const item of items) {
    const last = groups[groups.length - 1]
    if (last && last.day === item.localDay) last.items.push(item)
    else groups.push({ day: item.localDay, items: [item] })
  }
  return groups
}

function FeedItem({ item }: { item: ActivityItem }) {
  return (
    <li className="feed-item" data-testid="activity-item">
      <span className={`feed-icon feed-icon-${item.type}`}>
        <Icon name={ICONS[item.type] ?? 'star'} />
      </span>
      <div className="feed-text">
        <span className="pw-visually-hidden">{KIND[item.type] ?? 'Activity'}: </span>
        <span className="feed-description">{item.description || KIND[item.type] || 'Activity'}</span>
        <time className="feed-time muted" dateTime={isoTime(item.createdAt)} title={formatDateTime(item.createdAt)}>
          {formatRecentTime(item.createdAt)}
        </time>
      </div>
      {item.xp > 0 ? <span className="badge badge-accent feed-xp">+{item.xp} XP</span> : null}
    </li>
  )
}

export function Activity() {
  const feed = useActivities()
  const today = useToday()
  const sentinel = useRef<HTMLDivElement>(null)
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isFetchNextPageError } = feed
  const items = feed.data?.pages.flatMap((p) => p.items) ?? []

  // Re-observed after every page so a sentinel that is still on screen keeps loading until it is pushed off.
  useEffect(() => {
    const node = sentinel.current
    // After a failed page it waits for the button, so a broken page is not retried in a loop.
    if (!node || !hasNextPage || isFetchingNextPage || isFetchNextPageError) return
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void fetchNextPage()
      },
      { rootMargin: '300px 0px' },
    )
    observer.observe(node)
    return () => observer.disconnect()
  }, [hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage, items.length])

  return (
    <div className="feed">
      <header className="page-header">
        <h1>Activity</h1>
        <p className="muted">Everything you've done in Pathwise, newest first.</p>
      </header>
      {feed.isPending ? (
        <Loading what="your activity" />
      ) : feed.isError && items.length === 0 ? (
        <ErrorNotice error={feed.error} retry={() => void feed.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No activity yet">
          <p>When you enroll in a course or finish a lesson, it shows up here.</p>
          <Link className="button button-primary" to="/courses">
            Browse courses
          </Link>
        </EmptyState>
      ) : (
        <>
          {groupByDay(items).map((group) => (
            <section key={group.day} className="card feed-day" aria-labelledby={`feed-day-${group.day}`}>
              <h2 id={`feed-day-${group.day}`} className="feed-day-title">
                {dayHeading(group.day, today)}
              </h2>
              <ol className="feed-list">
                {group.items.map((item) => (
                  <FeedItem key={item.id} item={item} />
                ))}
              </ol>
            </section>
          ))}
          <div ref={sentinel} className="feed-sentinel" aria-hidden="true" />
          <div className="feed-end">
            {isFetchNextPageError ? <ErrorNotice error={feed.error} /> : null}
            {hasNextPage ? (
              <button type="button" className="button" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
                {isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            ) : (
              <p className="muted" data-testid="activity-end">
                You're all caught up
              </p>
            )}
            <p className="pw-visually-hidden" role="status">
              {isFetchingNextPage ? 'Loading more activity…' : `Showing ${items.length} activities.`}
            </p>
          </div>
        </>
      )}
    </div>
  )
}
