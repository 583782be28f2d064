/**
 * Lesson Markdown. Raw HTML in a lesson is shown as text (react-markdown's default; never add
 * rehype-raw), links leave the app only as plain http(s) links, and code is highlighted for the languages
 * the courses use (see ./highlight).
 */
import { memo, type ComponentProps } from 'react'
import ReactMarkdown, { type Components } from 'react-markdown'
import remarkGfm from 'remark-gfm'
import { rehypeHighlightLessons } from './highlight'

const SAFE_LINK = /^https?:\/\//i

function LessonLink({ href, children }: ComponentProps<'a'>) {
  if (!href || !SAFE_LINK.test(href)) return <span>{children}</span>
  // target=_blank: Electron hands it to the system browser; in a browser the lesson stays open.
  return (
    <a href={href} target="_blank" rel="noreferrer">
      {children}
    </a>
  )
}

const components: Components = {
  a: ({ href, children }) => <LessonLink href={href}>{children}</LessonLink>,
  // The page title is the screen's h1; a heading inside the lesson never competes with it.
  h1: ({ children }) => <h2>{children}</h2>,
  // Remote images are blocked by the CSP and packs carry none: say what the picture was.
  img: ({ alt }) => (alt ? <span className="muted">[{alt}]</span> : null),
}

/** The leading "# Title" duplicates the lesson title shown in the page header. */
const withoutTitle = (markdown: string) => markdown.replace(/^\s*# [^\n]*\n/, '')

export const LessonMarkdown = memo(function LessonMarkdown({ markdown }: { markdown: string }) {
  return (
    <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeHighlightLessons]} components={components}>
      {withoutTitle(markdown)}
    </ReactMarkdown>
  )
})
