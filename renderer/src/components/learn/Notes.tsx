/** The learner's own notes for a lesson, saved as they type. */
import { useCallback, useId, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { MAX_NOTES_LENGTH, notesLeft } from '../../../../electron/core/contract/notes'
import type { LessonDetail } from '../../../../electron/core/contract/types'
import { keys, useSaveNotes } from '../../api/hooks'
import { useAutosave, type AutosaveStatus } from './useAutosave'

/** The counter shows once this few characters are left (counted as maxLength counts: contract/notes.ts). */
const SHOW_LEFT_BELOW = 1_000

const STATUS_TEXT: Record<AutosaveStatus, string> = {
  idle: '',
  pending: 'Saving…',
  saved: 'Saved',
  error: 'Your notes could not be saved. Keep typing to try again.',
}

export function Notes({ courseId, lessonId, initial }: { courseId: string; lessonId: string; initial: string }) {
  const [text, setText] = useState(initial)
  const [edited, setEdited] = useState(false)
  const [lastInitial, setLastInitial] = useState(initial)
  // Until the learner types here, newer saved notes (a refetch, another device) replace what is shown.
  if (initial !== lastInitial) {
    setLastInitial(initial)
    if (!edited) setText(initial)
  }
  const id = useId()
  const client = useQueryClient()
  const { mutateAsync } = useSaveNotes(courseId, lessonId)
  const save = useCallback(
    async (notes: string) => {
      await mutateAsync(notes)
      // Coming back to this lesson shows the saved text at once, not a stale copy from the cache.
      client.setQueryData<LessonDetail>(keys.lesson(courseId, lessonId), (old) => (old ? { ...old, notes } : old))
    },
    [client, courseId, lessonId, mutateAsync],
  )
  const { status, change, flush } = useAutosave(save)
  const left = notesLeft(text)

  return (
    <section className="field learn-notes">
      <div className="spread">
        <label htmlFor={id}>Your notes</label>
        <span className={`learn-save-status ${status === 'error' ? 'is-error' : ''}`} role="status" aria-live="polite" data-testid="notes-status">
          {STATUS_TEXT[status]}
        </span>
      </div>
      <textarea
        id={id}
        value={text}
        maxLength={MAX_NOTES_LENGTH}
        rows={6}
        placeholder="Write down what you want to remember. Only you can see these."
        onChange={(e) => {
          setText(e.target.value)
          setEdited(true)
          change(e.target.value)
        }}
        onBlur={flush}
      />
      {left <= SHOW_LEFT_BELOW && (
        <span className="learn-notes-left" aria-live="polite" data-testid="notes-left">
          {left.toLocaleString('en')} characters left
        </span>
      )}
    </section>
  )
}
