/**
 * The notes limit, counted in UTF-16 code units: what String.length counts and what a textarea's
 * maxLength enforces while the learner types or pastes (HTML counts code units). Counting the same
 * way in the page, the contract and the mutation (on the device and the server) means the box stops
 * exactly where a save would be refused. So an emoji counts 2 or more (👩🏽‍💻 is 7), and a letter
 * with a combining accent 2. No zod here: the page imports it.
 */
export const MAX_NOTES_LENGTH = 20_000

export function notesLength(notes: string): number {
  return notes.length
}

/** How many more code units the notes may take (0 at the limit). */
export function notesLeft(notes: string): number {
  return Math.max(0, MAX_NOTES_LENGTH - notesLength(notes))
}
