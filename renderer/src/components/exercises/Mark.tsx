/** A right/wrong mark next to a choice, item or blank: a symbol and a word, not colour alone. */
export type MarkKind = 'right' | 'wrong' | 'answer'

const LABEL: Record<MarkKind, string> = { right: 'Your answer: right', wrong: 'Your answer: wrong', answer: 'Right answer' }

export function Mark({ kind }: { kind: MarkKind }) {
  return (
    <span className={`ex-mark is-${kind}`}>
      <span aria-hidden="true">{kind === 'wrong' ? '✗' : '✓'}</span> {LABEL[kind]}
    </span>
  )
}

/** How a keyed option (choice, item, pair) is marked once checked; null when it needs no mark. */
export function markFor(picked: boolean, isKey: boolean): MarkKind | null {
  if (picked) return isKey ? 'right' : 'wrong'
  return isKey ? 'answer' : null
}
