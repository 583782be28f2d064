/** The last few badges earned, newest first, so progress feels visible on the first screen. */
import { Link } from 'react-router'
import { useAchievements } from '../../api/hooks'
import { ErrorNotice, Loading } from '../States'
import { formatDate, isoTime } from './format'
import { Icon } from './Icon'

const SHOWN = 3

export function RecentAchievements() {
  const achievements = useAchievements()
  const recent = achievements.data
    ? [...achievements.data.earned].sort((a, b) => (b.earnedAt ?? 0) - (a.earnedAt ?? 0)).slice(0, SHOWN)
    : []
  return (
    <section className="card dash-achievements" aria-labelledby="dash-achievements-title">
      <div className="spread">
        <h2 id="dash-achievements-title">Recent achievements</h2>
        <Link to="/achievements">See all achievements</Link>
      </div>
      {achievements.isPending ? (
        <Loading what="achievements" />
      ) : achievements.isError ? (
        <ErrorNotice error={achievements.error} retry={() => void achievements.refetch()} />
      ) : recent.length === 0 ? (
        <p className="dash-empty">No achievements yet — complete your first lesson to earn one.</p>
      ) : (
        <ul className="dash-achievement-list">
          {recent.map((a) => (
            <li key={a.key} className="dash-achievement" data-testid={`recent-achievement-${a.key}`}>
              <Icon name="trophy" className="dash-achievement-icon" />
              <div>
                <p className="dash-achievement-title">{a.title}</p>
                <p className="muted">{a.description}</p>
                {a.earnedAt !== null ? (
                  <p className="muted dash-achievement-date">
                    Earned <time dateTime={isoTime(a.earnedAt)}>{formatDate(a.earnedAt)}</time>
                  </p>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
