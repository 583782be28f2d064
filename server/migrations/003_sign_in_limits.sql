-- Sign-in that cannot be turned against a learner (server/auth.ts, issue 12): several live codes per
-- email, each remembering who asked for it and the key it was made under; the counts the sign-in limits
-- keep, so a restart hands out no new guesses; and when each session began, for its absolute cap.

-- Codes waiting to be used. They replace verification_tokens (the shared schema's, one code per email),
-- which the server no longer uses: codes in flight at the upgrade are dropped, and learners ask again.
CREATE TABLE sign_in_codes (
  id TEXT PRIMARY KEY NOT NULL,
  -- The account email as typed (trimmed, lower-cased), which the code's HMAC covers too.
  email TEXT NOT NULL,
  -- The client address that asked for it, as the limits count it (server/client-address.ts).
  requester TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  -- Which of the code keys (server/code-keys.ts) code_hash was made with.
  key_id TEXT NOT NULL,
  created INTEGER NOT NULL,
  expires INTEGER NOT NULL
);
CREATE INDEX idx_sign_in_codes_email ON sign_in_codes(email, expires);
CREATE INDEX idx_sign_in_codes_expires ON sign_in_codes(expires);
DELETE FROM verification_tokens;

-- One row per code mailed ('mail': subject is the email without its +tag) and per wrong code tried
-- ('wrong': subject is the email; weight is how many live codes it was compared with; guarded is 1 when
-- only the requester's own codes were compared). Rows older than the longest window are purged.
CREATE TABLE sign_in_events (
  kind TEXT NOT NULL CHECK (kind IN ('mail', 'wrong')),
  subject TEXT NOT NULL,
  requester TEXT NOT NULL,
  at INTEGER NOT NULL,
  weight INTEGER NOT NULL DEFAULT 1,
  guarded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_sign_in_events_subject ON sign_in_events(kind, subject, at);
CREATE INDEX idx_sign_in_events_at ON sign_in_events(at);

-- When each session began: sliding expiry never takes it past a year from then. Sessions from before
-- this migration were opened for a fixed 90 days, so they began 90 days before they expire.
CREATE TABLE session_starts (
  session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  started INTEGER NOT NULL
);
INSERT INTO session_starts (session_id, started) SELECT id, expires - 7776000 FROM sessions;
