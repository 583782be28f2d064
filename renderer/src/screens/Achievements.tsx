/** Every badge: the ones earned (newest first) and the ones still to earn, with how close each is. */
import type { ReactNode } from 'react'
import { Link } from 'react-router'
import type { AchievementView } from '../../../electron/core/contract/types'
import { achievementByKey } from '../../../electron/core/domain/achievements'
import { useAchievements } from '../api/hooks'
import { formatDate, formatDuration, formatNumber, isoTime } from '../components/dashboard/format'
import { Icon } from '../components/dashboard/Icon'
import { EmptyState, ErrorNotice, Loading, ProgressBar } from '../components/States'
import './screens-a.css'

function EarnedItem({ a }: { a: AchievementView }) {
  return (
    <li className="card ach-item ach-earned" data-testid={`achievement-${a.key}`}>
      <Icon name="trophy" className="ach-icon" />
      <div className="ach-text">
        <div className="ach-heading">
          <h3>{a.title}</h3>
          <span className="badge badge-success">Earned</span>
        </div>
        <p className="muted">{a.description}</p>
        {a.earnedAt !== null ? (
          <p className="ach-meta">
            Earned on <time dateTime={isoTime(a.earnedAt)}>{formatDate(a.earnedAt)}</time>
          </p>
        ) : null}
      </div>
    </li>
  )
}

/** Time targets are kept in seconds; "20 min / 1 h" reads better than "1,200 / 3,600". */
function formatAmount(key: string, n: number): string {
  return achievementByKey(key)?.metric === 'totalTimeSeconds' ? formatDuration(n) : formatNumber(n)
}

function LockedItem({ a }: { a: AchievementView }) {
  const { current, target } = a.progress
  return (
    <li className="card ach-item ach-locked" data-testid={`achievement-${a.key}`}>
      <Icon name="lock" className="ach-icon" />
      <div className="ach-text">
        <div className="ach-heading">
          <h3>{a.title}</h3>
          <span className="badge">Locked</span>
        </div>
        <p className="muted">{a.description}</p>
        <div className="ach-progress">
          <ProgressBar label={`${a.title} progress`} value={Math.min(current, target)} max={target} />
          <span className="ach-count">
            {formatAmount(a.key, Math.min(current, target))} / {formatAmount(a.key, target)}
          </span>
        </div>
      </div>
    </li>
  )
}

export function Achievements() {
  const achievements = useAchievements()

  if (achievements.isPending) return <Page><Loading what="achievements" /></Page>
  if (achievements.isError) return <Page><ErrorNotice error={achievements.error} retry={() => void achievements.refetch()} /></Page>

  const { locked } = achievements.data
  const earned = [...achievements.data.earned].sort((a, b) => (b.earnedAt ?? 0) - (a.earnedAt ?? 0))
  const total = earned.length + locked.length
  if (total === 0) return <Page><EmptyState title="No achievements to show">There are no achievements in this version of Pathwise.</EmptyState></Page>

  return (
    <Page>
      <div className="card ach-summary">
        <p className="ach-summary-text" data-testid="achievements-summary">
          <strong>
            {earned.length} of {total} earned
          </strong>
        </p>
        <ProgressBar label="Achievements earned" value={earned.length} max={total} />
      </div>

      <section aria-labelledby="ach-earned-title" className="ach-section">
        <h2 id="ach-earned-title">Earned</h2>
        {earned.length === 0 ? (
          <div className="dash-empty">
            <p>No achievements yet — complete your first lesson to earn one.</p>
            <Link to="/courses">Browse courses</Link>
          </div>
        ) : (
          <ul className="ach-list">
            {earned.map((a) => (
              <EarnedItem key={a.key} a={a} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="ach-locked-title" className="ach-section">
        <h2 id="ach-locked-title">Locked</h2>
        {locked.length === 0 ? (
          <p className="dash-empty">You've earned every achievement. Wonderful work!</p>
        ) : (
          <ul className="ach-list">
            {locked.map((a) => (
              <LockedItem key={a.key} a={a} />
            ))}
          </ul>
        )}
      </section>
    </Page>
  )
}

function Page({ children }: { children: ReactNode }) {
  return (
    <div className="ach">
      <header className="page-header">
        <h1>Achievements</h1>
        <p className="muted">Badges for the milestones along your path. They're checked after every lesson, even offline.</p>
      </header>
      {children}
    </div>
  )
}
