-- Changes the sync server refused (docs/architecture.md#push). A refused change would otherwise stay at the head of
-- the outbox and stop every later change from syncing, so it is moved here, with the server's reason:
-- the rest syncs, and the learner can still see (and export) what was set aside.
CREATE TABLE sync_set_aside (
  seq INTEGER PRIMARY KEY NOT NULL,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  args TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  refused_at INTEGER NOT NULL,
  reason TEXT NOT NULL
);
