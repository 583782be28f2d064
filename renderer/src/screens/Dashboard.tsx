/** The home screen: level, streaks and numbers, a year of activity, and the next lesson to take. */
import type { Stats } from '../../../electron/core/contract/types'
import { useProfile, useStats } from '../api/hooks'
import { ContinueCard } from '../components/dashboard/ContinueCard'
import { plural } from '../components/dashboard/format'
import { Heatmap } from '../components/dashboard/Heatmap'
import { LevelCard } from '../components/dashboard/LevelCard'
import { RecentAchievements } from '../components/dashboard/RecentAchievements'
import { StatCards } from '../components/dashboard/StatCards'
import { ErrorNotice, Loading } from '../components/States'
import './screens-a.css'

function Greeting({ isNew }: { isNew: boolean }) {
  const profile = useProfile()
  const name = profile.data?.name.trim()
  if (isNew) return <p className="muted">{name ? `Welcome to Pathwise, ${name}!` : 'Welcome to Pathwise!'} Your progress will show up here as you learn.</p>
  return <p className="muted">{name ? `Welcome back, ${name}. Here's how your learning is going.` : "Welcome back! Here's how your learning is going."}</p>
}

function ActivityYear({ stats }: { stats: Stats }) {
  const total = stats.activityByDay.reduce((sum, d) => sum + d.count, 0)
  const activeDays = stats.activityByDay.filter((d) => d.count > 0).length
  return (
    <figure className="card dash-heatmap" data-testid="activity-heatmap">
      <figcaption id="dash-heatmap-caption">
        <h2>Your year of learning</h2>
        <p className="muted">
          {total === 0
            ? 'No activity in the last 365 days yet. Each day you learn lights up a square.'
            : `${plural(total, 'activity', 'activities')} on ${plural(activeDays, 'day', 'days')} in the last 365 days.`}
        </p>
      </figcaption>
      <Heatmap days={stats.activityByDay} captionId="dash-heatmap-caption" />
    </figure>
  )
}

export function Dashboard() {
  const stats = useStats()
  return (
    <div className="dash">
      <header className="page-header">
        <h1>Dashboard</h1>
        <Greeting isNew={stats.data ? stats.data.xp === 0 && stats.data.activityByDay.every((d) => d.count === 0) : false} />
      </header>
      <div className="dash-top">
        {stats.isPending ? (
          <div className="card">
            <Loading what="your progress" />
          </div>
        ) : stats.isError ? (
          <ErrorNotice error={stats.error} retry={() => void stats.refetch()} />
        ) : (
          <LevelCard stats={stats.data} />
        )}
        <ContinueCard />
      </div>
      {stats.data ? (
        <>
          <StatCards stats={stats.data} />
          <ActivityYear stats={stats.data} />
        </>
      ) : null}
      <RecentAchievements />
    </div>
  )
}
