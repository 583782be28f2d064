/**
 * Lesson Markdown. Raw HTML in a lesson is shown as text (react-markdown's default; never add
 * rehype-raw), links leave the app only as plain http(s) links, and code is highlighted for the languages
 * the courses use (see ./highlight).
 */
import { lazy, memo, Suspense, useMemo, type ComponentProps, type ReactNode } from 'react'
import type { Element, ElementContent } from 'hast'
import ReactMarkdown, { type Components } from 'react-markdown'
import remarkGfm from 'remark-gfm'
import { rehypeHighlightLessons } from './highlight'

// The SQL editor and its result table load only with the first lesson that can run SQL.
const TryIt = lazy(() => import('../sql/TryIt'))

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

const textOf = (node: ElementContent): string => (node.type === 'text' ? node.value : node.type === 'element' ? node.children.map(textOf).join('') : '')

/** The SQL of a runnable ```sql block (not ```sql norun), or null for any other <pre>. */
function runnableSqlOf(pre: Element | undefined): string | null {
  const code = pre?.children.find((c): c is Element => c.type === 'element' && c.tagName === 'code')
  if (!code) return null
  const classes = Array.isArray(code.properties.className) ? code.properties.className.map(String) : []
  if (!classes.includes('language-sql')) return null
  // The fence's words after the language ("norun") reach the tree as data.meta (mdast-util-to-hast).
  const meta = (code.data as { meta?: unknown } | undefined)?.meta
  if (typeof meta === 'string' && /\bnorun\b/.test(meta)) return null
  return code.children.map(textOf).join('')
}

function RunnablePre({ node, children, courseId }: { node: Element | undefined; children: ReactNode; courseId: string }) {
  const sql = runnableSqlOf(node)
  const pre = <pre>{children}</pre>
  if (sql === null) return pre
  return (
    <Suspense fallback={pre}>
      <TryIt courseId={courseId} example={sql} />
    </Suspense>
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

/** With `runnableSqlIn` (the course id of a course with a sample database), every ```sql block is a "Try it" editor. */
export const LessonMarkdown = memo(function LessonMarkdown({ markdown, runnableSqlIn = null }: { markdown: string; runnableSqlIn?: string | null }) {
  const withTryIt = useMemo<Components>(
    () => (runnableSqlIn ? { ...components, pre: ({ node, children }) => <RunnablePre node={node} courseId={runnableSqlIn}>{children}</RunnablePre> } : components),
    [runnableSqlIn],
  )
  return (
    <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeHighlightLessons]} components={withTryIt}>
      {withoutTitle(markdown)}
    </ReactMarkdown>
  )
})
