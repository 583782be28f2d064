/**
 * Syntax highlighting for lesson code blocks, with only the languages the courses use.
 * rehype-highlight would do the same job, but it imports lowlight's 35 "common" grammars whatever
 * languages it is given, which roughly doubles what Markdown costs the bundle.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast'
import { createLowlight } from 'lowlight'
import bash from 'highlight.js/lib/languages/bash'
import javascript from 'highlight.js/lib/languages/javascript'
import json from 'highlight.js/lib/languages/json'
import shell from 'highlight.js/lib/languages/shell'
import sql from 'highlight.js/lib/languages/sql'
import typescript from 'highlight.js/lib/languages/typescript'

const lowlight = createLowlight({ bash, javascript, json, shell, sql, typescript })
lowlight.registerAlias({ bash: ['sh', 'zsh'], shell: ['console', 'shell-session'] })

function languageOf(code: Element): string | undefined {
  const classes = code.properties.className
  if (!Array.isArray(classes)) return undefined
  for (const c of classes) {
    const name = String(c)
    if (name.startsWith('language-')) return name.slice('language-'.length)
  }
  return undefined
}

const textOf = (node: ElementContent): string => (node.type === 'text' ? node.value : node.type === 'element' ? node.children.map(textOf).join('') : '')

function visit(node: Root | RootContent, parent: Element | null): void {
  if (node.type !== 'element' && node.type !== 'root') return
  if (node.type === 'element' && node.tagName === 'code' && parent?.tagName === 'pre') {
    const lang = languageOf(node)
    // Unknown or plain-text blocks (```text) are left exactly as written: no guessing.
    if (!lang || !lowlight.registered(lang)) return
    const tree = lowlight.highlight(lang, node.children.map(textOf).join(''), { prefix: 'hljs-' })
    const classes = Array.isArray(node.properties.className) ? node.properties.className : []
    node.properties.className = ['hljs', ...classes]
    node.children = tree.children as ElementContent[]
    return
  }
  for (const child of node.children) visit(child, node.type === 'element' ? node : null)
}

/** A rehype plugin: highlights <pre><code class="language-x"> blocks in place. */
export function rehypeHighlightLessons() {
  return (tree: Root) => visit(tree, null)
}
