-- What sync needs on both sides: per-field clocks for last-writer-wins (notes and profile fields,
-- docs/architecture.md#merge-rules) and the attempt count of an emailed sign-in code.

-- Hybrid logical clock of the write that set lesson_progress.notes.
ALTER TABLE lesson_progress ADD COLUMN notes_clock TEXT;

-- JSON { field: hybrid logical clock } of the writes that set each profile field (name included).
ALTER TABLE user_profiles ADD COLUMN field_clocks TEXT NOT NULL DEFAULT '{}';

-- Wrong guesses against a sign-in code; the server locks the code after 5.
ALTER TABLE verification_tokens ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
