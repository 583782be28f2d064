/** The learner's numbers, each in its own card so a glance finds it (and a test can, by data-testid). */
import type { Stats } from '../../../../electron/core/contract/types'
import { formatDuration, formatNumber, plural } from './format'
import { Icon, type IconName } from './Icon'

interface Stat {
  id: string
  label: string
  value: string
  icon: IconName
}

export function StatCards({ stats }: { stats: Stats }) {
  const items: Stat[] = [
    { id: 'stat-xp', label: 'Total XP', value: formatNumber(stats.xp), icon: 'sparkle' },
    { id: 'stat-level', label: 'Level', value: formatNumber(stats.level), icon: 'star' },
    { id: 'stat-streak', label: 'Current streak', value: plural(stats.currentStreak, 'day', 'days'), icon: 'flame' },
    { id: 'stat-longest-streak', label: 'Longest streak', value: plural(stats.longestStreak, 'day', 'days'), icon: 'medal' },
    { id: 'stat-lessons', label: 'Lessons completed', value: formatNumber(stats.lessonsCompleted), icon: 'book' },
    { id: 'stat-time', label: 'Time studied', value: formatDuration(stats.totalTimeSeconds), icon: 'clock' },
  ]
  return (
    <dl className="dash-stats">
      {items.map((s) => (
        <div key={s.id} className="card dash-stat" data-testid={s.id}>
          <dt className="stat-label">
            <Icon name={s.icon} className={`dash-stat-icon dash-stat-icon-${s.icon}`} /> {s.label}
          </dt>
          <dd className="stat-value">{s.value}</dd>
        </div>
      ))}
    </dl>
  )
}
