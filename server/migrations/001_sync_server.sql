-- The sync server's own tables (docs/architecture.md#sync-protocol), on top of the shared migrations/ schema. Tracked in
-- server_migrations, so the shared schema_migrations numbering stays the app's.

-- Which learner owns each client (device) and the last mutation of it the server applied.
CREATE TABLE sync_clients (
  client_id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  last_mutation_id INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_sync_clients_user_id ON sync_clients(user_id);

-- Per-learner change version: every push bumps it once, before it writes anything.
CREATE TABLE user_versions (
  user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  version INTEGER NOT NULL DEFAULT 0
);

-- The version at which each learner row last changed; a pull reads it in (version, table, row) order.
CREATE TABLE change_log (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (table_name, row_id)
);
CREATE INDEX idx_change_log_user_version ON change_log(user_id, version, table_name, row_id);

-- Server secrets generated at first start (the pepper of sign-in code hashes).
CREATE TABLE server_settings (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);

-- Every insert or update of a learner row records the row at the learner's current version.

CREATE TRIGGER change_log_users_insert AFTER INSERT ON users BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.id, 'users', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;
CREATE TRIGGER change_log_users_update AFTER UPDATE ON users BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.id, 'users', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;

CREATE TRIGGER change_log_user_profiles_insert AFTER INSERT ON user_profiles BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'user_profiles', NEW.user_id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;
CREATE TRIGGER change_log_user_profiles_update AFTER UPDATE ON user_profiles BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'user_profiles', NEW.user_id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;

CREATE TRIGGER change_log_course_enrollments_insert AFTER INSERT ON course_enrollments BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'course_enrollments', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;
CREATE TRIGGER change_log_course_enrollments_update AFTER UPDATE ON course_enrollments BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'course_enrollments', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;

CREATE TRIGGER change_log_lesson_progress_insert AFTER INSERT ON lesson_progress BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'lesson_progress', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;
CREATE TRIGGER change_log_lesson_progress_update AFTER UPDATE ON lesson_progress BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'lesson_progress', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;

CREATE TRIGGER change_log_user_activities_insert AFTER INSERT ON user_activities BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'user_activities', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;
CREATE TRIGGER change_log_user_activities_update AFTER UPDATE ON user_activities BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'user_activities', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;

CREATE TRIGGER change_log_user_achievements_insert AFTER INSERT ON user_achievements BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'user_achievements', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;
CREATE TRIGGER change_log_user_achievements_update AFTER UPDATE ON user_achievements BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'user_achievements', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;

CREATE TRIGGER change_log_pressure_room_attempts_insert AFTER INSERT ON pressure_room_attempts BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'pressure_room_attempts', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;
CREATE TRIGGER change_log_pressure_room_attempts_update AFTER UPDATE ON pressure_room_attempts BEGIN
  INSERT INTO change_log (user_id, table_name, row_id, version)
  VALUES (NEW.user_id, 'pressure_room_attempts', NEW.id, COALESCE((SELECT version FROM user_versions WHERE user_id = NEW.user_id), 0))
  ON CONFLICT (table_name, row_id) DO UPDATE SET user_id = excluded.user_id, version = excluded.version;
END;
