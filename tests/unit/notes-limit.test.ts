/**
 * One definition of the notes limit everywhere: UTF-16 code units, what a textarea's maxLength counts
 * as the learner types or pastes. The contract, the mutation (device and server) and the page's
 * counter take the same texts and refuse the same texts.
 */
import { createElement, type FunctionComponent } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { UpdateProgressInput } from '../../electron/core/contract/inputs'
import { formatHlc } from '../../electron/core/domain/hlc'
import { MAX_NOTES_LENGTH, MutationArgs } from '../../electron/core/mutations/args'

// The page's own component, rendered; imported by path because this project's Node typecheck has no JSX.
const NOTES_COMPONENT = '../../renderer/src/components/learn/Notes.tsx'
const { Notes } = (await import(/* @vite-ignore */ NOTES_COMPONENT)) as { Notes: FunctionComponent<{ courseId: string; lessonId: string; initial: string }> }

const EMOJI = '👩🏽‍💻' // 7 code units, 4 code points, 1 grapheme
const ACCENT = 'e\u0301' // 2 code units, 2 code points, 1 grapheme
/** `units` code units of emoji and combining marks (and letters to fill up). */
function notesOf(units: number): string {
  const unit = EMOJI + ACCENT
  const text = unit.repeat(Math.floor(units / unit.length))
  return text + 'a'.repeat(units - text.length)
}

const contract = (notes: string) => UpdateProgressInput.safeParse({ courseId: 'c', lessonId: 'l', action: 'saveNotes', notes }).success
const mutation = (notes: string) =>
  MutationArgs['lesson.saveNotes'].safeParse({ courseId: 'c', lessonId: 'l', notes, hlc: formatHlc({ ms: 1_780_000_000_000, counter: 0, node: 'device' }), at: 1_780_000_000, tz: 'UTC' }).success

/** The page's notes box as the learner first sees it with `notes` saved. */
function page(notes: string): string {
  const client = new QueryClient()
  return renderToStaticMarkup(createElement(QueryClientProvider, { client }, createElement(Notes, { courseId: 'c', lessonId: 'l', initial: notes })))
}

describe('the notes limit', () => {
  it('the test texts are what they claim: emoji and combining marks, code units apart from code points', () => {
    const atLimit = notesOf(MAX_NOTES_LENGTH)
    expect(atLimit.length).toBe(MAX_NOTES_LENGTH)
    expect([...atLimit].length).toBeLessThan(MAX_NOTES_LENGTH)
    expect(atLimit).toContain(EMOJI)
    expect(atLimit).toContain(ACCENT)
    expect(mutation('ok')).toBe(true) // the clock reading above is valid, so refusals below are the notes'
  })

  it('the contract and the mutation take a text of exactly the limit and refuse one code unit more', () => {
    const atLimit = notesOf(MAX_NOTES_LENGTH)
    const over = notesOf(MAX_NOTES_LENGTH + 1)
    // One emoji more is 20 006 code units in fewer than 20 000 code points: a textarea would never let it in.
    const overByEmoji = atLimit.slice(0, -1) + EMOJI
    expect([...overByEmoji].length).toBeLessThan(MAX_NOTES_LENGTH)
    expect({ contract: contract(atLimit), mutation: mutation(atLimit) }).toEqual({ contract: true, mutation: true })
    for (const text of [over, overByEmoji]) expect({ contract: contract(text), mutation: mutation(text) }).toEqual({ contract: false, mutation: false })
  })

  it("the page's box stops at the same limit and its counter counts the same way", () => {
    const html = page(notesOf(MAX_NOTES_LENGTH))
    expect(html).toContain(`maxLength="${MAX_NOTES_LENGTH}"`)
    expect(html).toMatch(/0 characters left/)
    expect(page(notesOf(MAX_NOTES_LENGTH - 7))).toMatch(/7 characters left/)
    expect(page('short notes')).not.toMatch(/characters left/)
  })
})
