/**
 * Quiz prompts and choices use `backticks` for code. They are shown as <code> without a Markdown
 * parser: this is the only syntax they use, and plain text can never turn into markup.
 */
export function InlineText({ text }: { text: string }) {
  const parts = text.split('`')
  // An unmatched backtick leaves an even number of parts: show the text as written.
  if (parts.length % 2 === 0) return <>{text}</>
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>
}
