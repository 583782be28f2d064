/**
 * A plain code textarea for SQL: monospace, no spell check, grows with its lines. Tab keeps its usual
 * meaning (the next control), so keyboard users are never trapped in the editor; Ctrl+Enter (⌘+Enter
 * on a Mac) runs the query. The hint saying so is the editor's description.
 */
import type { KeyboardEvent } from 'react'

export interface SqlEditorProps {
  id: string
  label: string
  value: string
  onChange: (query: string) => void
  onRun?: () => void
  readOnly?: boolean
  disabled?: boolean
}

export function SqlEditor({ id, label, value, onChange, onRun, readOnly = false, disabled = false }: SqlEditorProps) {
  const lines = value.split('\n').length
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (onRun && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      onRun()
    }
  }
  return (
    <div className="sql-editor">
      <label htmlFor={id} className="sql-editor-label">
        {label}
      </label>
      <textarea
        id={id}
        className="sql-editor-input"
        value={value}
        rows={Math.min(16, Math.max(3, lines + 1))}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        autoCorrect="off"
        readOnly={readOnly}
        disabled={disabled}
        aria-describedby={readOnly || !onRun ? undefined : `${id}-hint`}
        onChange={(e) => onChange(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      {readOnly || !onRun ? null : (
        <p id={`${id}-hint`} className="sql-editor-hint muted">
          Ctrl+Enter runs the query. Tab moves on to the buttons.
        </p>
      )}
    </div>
  )
}
