/**
 * Fill in the blanks: the prompt with an input at each {{n}} marker, labelled "Blank n". Markers may
 * sit inside `code`, so the prompt is split on backticks first and each code run stays code around
 * its inputs.
 */
import type { ReactNode } from 'react'
import { textsOf } from './draft'
import type { WidgetProps } from './widget'

const MARKER = /\{\{(\d+)\}\}/

export function BlanksWidget({ question, value, onChange, review, disabled, name }: WidgetProps<'blanks'>) {
  const texts = textsOf(value, question.blanks)
  const set = (index: number, text: string) => onChange(texts.map((t, i) => (i === index ? text : t)))
  const input = (n: number) => {
    const index = n - 1
    return (
      <input
        key={`blank-${n}`}
        className="ex-input ex-blank"
        type="text"
        aria-label={`Blank ${n}`}
        autoComplete="off"
        spellCheck={false}
        size={Math.max(6, (texts[index] ?? '').length + 1)}
        value={texts[index] ?? ''}
        readOnly={review !== null}
        disabled={disabled}
        onChange={(e) => set(index, e.currentTarget.value)}
      />
    )
  }
  const segments = question.prompt.split('`')
  const balanced = segments.length % 2 === 1
  const nodes: ReactNode[] = []
  segments.forEach((segment, s) => {
    const isCode = balanced && s % 2 === 1
    // split with a capture group: text, marker number, text, marker number, …
    segment.split(MARKER).forEach((part, p) => {
      if (p % 2 === 1) nodes.push(input(Number(part)))
      else if (part !== '') nodes.push(isCode ? <code key={`${s}-${p}`}>{part}</code> : <span key={`${s}-${p}`}>{part}</span>)
    })
    if (!balanced && s < segments.length - 1) nodes.push('`')
  })
  return (
    <p className="ex-blanks-text" id={`${name}-text`}>
      {nodes}
    </p>
  )
}
