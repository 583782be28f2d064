-- What the desktop design adds to the seed schema: the learner's timezone and derived streak cache,
-- the local day of each activity (so streaks survive DST and timezone changes), the sync outbox,
-- local settings and Pressure Room attempts.

ALTER TABLE user_profiles ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE user_profiles ADD COLUMN longest_streak INTEGER NOT NULL DEFAULT 0;
-- Last local day (YYYY-MM-DD) and moment with a learning activity; with `streak` they let a write
-- extend the streak without rescanning the activity log.
ALTER TABLE user_profiles ADD COLUMN last_active_day TEXT;
ALTER TABLE user_profiles ADD COLUMN last_active_at INTEGER;
ALTER TABLE user_profiles ADD COLUMN updated_at INTEGER;

-- The calendar day of the activity in the learner's timezone at the moment it happened. Rows from
-- before this migration had no timezone recorded; UTC is the only honest guess.
-- When the learner last touched the lesson (time, notes, completion), for "continue learning".
ALTER TABLE lesson_progress ADD COLUMN updated_at INTEGER;
CREATE INDEX idx_lesson_progress_user_updated ON lesson_progress(user_id, updated_at);

ALTER TABLE user_activities ADD COLUMN local_day TEXT NOT NULL DEFAULT '1970-01-01';
UPDATE user_activities SET local_day = strftime('%Y-%m-%d', created_at, 'unixepoch');
CREATE INDEX idx_user_activities_user_day ON user_activities(user_id, local_day);
-- Feed order: newest first, then latest recorded (rowid, which every index entry carries).
CREATE INDEX idx_user_activities_user_created ON user_activities(user_id, created_at);

-- Every local write appends one mutation here in the same transaction (docs/architecture.md#mutations).
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  args TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);

CREATE TABLE pressure_room_attempts (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  course_id TEXT NOT NULL,
  question_ids TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  deadline INTEGER NOT NULL,
  answers TEXT NOT NULL DEFAULT '{}',
  submitted_at INTEGER,
  score INTEGER,
  passed INTEGER
);
CREATE INDEX idx_pressure_room_attempts_user_course ON pressure_room_attempts(user_id, course_id);
