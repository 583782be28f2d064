-- Rows are the learner's own: ids a device chose (Pressure Room attempts, client ids) are keyed by
-- (learner, id), so pushing another learner's id makes a row of one's own instead of clashing with
-- theirs and confirming that it exists (migrations/006 does the same for the attempts themselves).

-- The change-log triggers are written against change_log's key; they are dropped first and made again
-- below (006 dropped those on pressure_room_attempts with the table).

DROP TRIGGER IF EXISTS change_log_users_insert;
DROP TRIGGER IF EXISTS change_log_users_update;
DROP TRIGGER IF EXISTS change_log_user_profiles_insert;
DROP TRIGGER IF EXISTS change_log_user_profiles_update;
DROP TRIGGER IF EXISTS change_log_course_enrollments_insert;
DROP TRIGGER IF EXISTS change_log_course_enrollments_update;
DROP TRIGGER IF EXISTS change_log_lesson_progress_insert;
DROP TRIGGER IF EXISTS change_log_lesson_progress_update;
DROP TRIGGER IF EXISTS change_log_user_activities_insert;
DROP TRIGGER IF EXISTS change_log_user_activities_update;
DROP TRIGGER IF EXISTS change_log_user_achievements_insert;
DROP TRIGGER IF EXISTS change_log_user_achievements_update;
DROP TRIGGER IF EXISTS change_log_pressure_room_attempts_insert;
DROP TRIGGER IF EXISTS change_log_pressure_room_attempts_update;

-- A change is recorded per (learner, table, row): two learners' attempts may share an id.
CREATE TABLE change_log_keyed (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (user_id, table_name, row_id)
);
INSERT INTO change_log_keyed (user_id, table_name, row_id, version) SELECT user_id, table_name, row_id, version FROM change_log;
DROP TABLE change_log;
ALTER TABLE change_log_keyed RENAME TO change_log;
CREATE INDEX idx_change_log_user_version ON change_log(user_id, version, table_name, row_id);

-- A client id is the device's own choice too: each learner has their own namespace of them, so a
-- device id in use by another learner is answered like any new one (it was a 403 that confirmed it).
CREATE TABLE sync_clients_keyed (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  last_mutation_id INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, client_id)
);
INSERT INTO sync_clients_keyed (user_id, client_id, last_mutation_id) SELECT user_id, client_id, last_mutation_id FROM sync_clients;
DROP TABLE sync_clients;
ALTER TABLE sync_clients_keyed RENAME TO sync_clients;

-- Every insert or update of a learner row records the row at the learner's current version.

CREATE TRIGGER change_log_users_insert AFTER INSERT ON users BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.id, 'users', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER change_log_users_update AFTER UPDATE ON users BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.id, 'users', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER change_log_user_profiles_insert AFTER INSERT ON user_profiles BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'user_profiles', NEW.user_id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER change_log_user_profiles_update AFTER UPDATE ON user_profiles BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'user_profiles', NEW.user_id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER change_log_course_enrollments_insert AFTER INSERT ON course_enrollments BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'course_enrollments', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER change_log_course_enrollments_update AFTER UPDATE ON course_enrollments BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'course_enrollments', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER change_log_lesson_progress_insert AFTER INSERT ON lesson_progress BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'lesson_progress', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER change_log_lesson_progress_update AFTER UPDATE ON lesson_progress BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'lesson_progress', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER change_log_user_activities_insert AFTER INSERT ON user_activities BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'user_activities', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER change_log_user_activities_update AFTER UPDATE ON user_activities BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'user_activities', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER change_log_user_achievements_insert AFTER INSERT ON user_achievements BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'user_achievements', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER change_log_user_achievements_update AFTER UPDATE ON user_achievements BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'user_achievements', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER change_log_pressure_room_attempts_insert AFTER INSERT ON pressure_room_attempts BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'pressure_room_attempts', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
CREATE TRIGGER change_log_pressure_room_attempts_update AFTER UPDATE ON pressure_room_attempts BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'pressure_room_attempts', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (user_id, table_name, row_id) DO UPDATE SET version = excluded.version;
END;
