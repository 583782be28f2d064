/** Where the learner stands: their level, total XP and how far it is to the next level. */
import type { Stats } from '../../../../electron/core/contract/types'
import { XP_TABLE } from '../../../../electron/core/domain/xp'
import { ProgressBar } from '../States'
import { formatNumber } from './format'

export function LevelCard({ stats }: { stats: Stats }) {
  const next = stats.level + 1
  return (
    <section className="card dash-level" aria-labelledby="dash-level-title">
      <div className="spread">
        <h2 id="dash-level-title" className="dash-level-title">
          Level {stats.level}
        </h2>
        <span className="badge badge-accent">{formatNumber(stats.xp)} XP total</span>
      </div>
      <ProgressBar label={`Progress to level ${next}`} value={stats.xpIntoLevel} max={stats.levelSpan} />
      <p className="dash-level-next">
        <strong>{formatNumber(stats.xpToNextLevel)} XP</strong> to level {next}
        <span className="muted">
          {' '}
          · {formatNumber(stats.xpIntoLevel)} of {formatNumber(stats.levelSpan)} XP this level
        </span>
      </p>
      <div className="dash-xp-guide">
        <h3>Ways to earn XP</h3>
        <ul>
          <li>
            Finish a lesson <span className="badge badge-accent">+{XP_TABLE.lesson_completed} XP</span>
          </li>
          <li>
            Pass a Pressure Room <span className="badge badge-accent">+{XP_TABLE.pr_completed} XP</span>
          </li>
          <li>
            Complete a course <span className="badge badge-accent">+{XP_TABLE.course_completed} XP</span>
          </li>
          <li>
            Earn an achievement <span className="badge badge-accent">+{XP_TABLE.achievement_earned} XP</span>
          </li>
        </ul>
      </div>
    </section>
  )
}
