import type { Core } from '../../electron/core/core'

/** Row count of a table, read straight from the file (tests check what was or was not written). */
export async function rowCount(core: Pick<Core, 'db'>, table: string, where = '1 = 1', args: (string | number)[] = []): Promise<number> {
  const result = await core.db.client.execute({ sql: `SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, args })
  return Number(result.rows[0]?.n ?? 0)
}

/** A snapshot of every learner table, to prove a refused write changed nothing. */
export async function snapshot(core: Pick<Core, 'db'>): Promise<string> {
  const tables = ['users', 'user_profiles', 'course_enrollments', 'lesson_progress', 'user_activities', 'user_achievements', 'outbox', 'pressure_room_attempts', 'settings']
  const parts: string[] = []
  for (const t of tables) {
    const rows = await core.db.client.execute(`SELECT * FROM ${t} ORDER BY rowid`)
    parts.push(`${t}:${JSON.stringify(rows.rows)}`)
  }
  return parts.join('\n')
}
