-- The seed of a Pressure Room attempt (issue #14): the questions drawn from the course's pool and every
-- shuffle follow from it (electron/core/exercises/random.ts), so the device and the sync server derive
-- the same questions from it and grade them alike. NULL for attempts made before: they list their
-- questions in question_ids and were shown unshuffled choices. Adding a column keeps the sync server's
-- change-log triggers on this table (server/migrations/002), so the server needs no migration of its own.
ALTER TABLE pressure_room_attempts ADD COLUMN seed INTEGER;
