-- Pressure Room attempts are keyed by (learner, attempt id). The attempt id is chosen by the device, and
-- the sync server holds every learner's rows: with the id alone as the key, pushing another learner's
-- attempt id clashed with their row, and the refusal confirmed that the id exists. Rebuilt, since
-- SQLite cannot change a primary key in place; the sync server recreates its change-log triggers on
-- this table afterwards (server/migrations/002), as dropping the table drops them.
CREATE TABLE pressure_room_attempts_keyed (
  id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  course_id TEXT NOT NULL,
  question_ids TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  deadline INTEGER NOT NULL,
  answers TEXT NOT NULL DEFAULT '{}',
  submitted_at INTEGER,
  score INTEGER,
  passed INTEGER,
  PRIMARY KEY (user_id, id)
);
INSERT INTO pressure_room_attempts_keyed (id, user_id, course_id, question_ids, started_at, deadline, answers, submitted_at, score, passed)
  SELECT id, user_id, course_id, question_ids, started_at, deadline, answers, submitted_at, score, passed FROM pressure_room_attempts;
DROP TABLE pressure_room_attempts;
ALTER TABLE pressure_room_attempts_keyed RENAME TO pressure_room_attempts;

-- Covers the record's aggregate (best score, count, first pass of a course's finished attempts), which
-- runs for every attempt recorded; it also serves every lookup the former (user_id, course_id) index did.
CREATE INDEX idx_pressure_room_attempts_user_course ON pressure_room_attempts(user_id, course_id, submitted_at, score, passed);
