/** How typed answers are compared: the author's normalisation, applied to both sides. */
import type { TextNormalization } from './question-schema'

const TYPOGRAPHIC_QUOTES: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u00AB': '"', '\u00BB': '"' }

export function normalizeText(text: string, rule: TextNormalization): string {
  let out = text.normalize('NFC').replace(/[\u2018\u2019\u201A\u201C\u201D\u201E\u00AB\u00BB]/g, (q) => TYPOGRAPHIC_QUOTES[q] ?? q)
  if (rule.quotes === 'ignore') out = out.replace(/['"`]/g, '')
  out = rule.spaces === 'ignore' ? out.replace(/\s+/g, '') : out.trim().replace(/\s+/g, ' ')
  return rule.case === 'ignore' ? out.toLocaleLowerCase('en') : out
}

export function matchesAny(text: string, accepted: readonly string[], rule: TextNormalization): boolean {
  const given = normalizeText(text, rule)
  return given !== '' && accepted.some((a) => normalizeText(a, rule) === given)
}

/**
 * A typed number: "16.65", "16,65" (a decimal comma), "-3", "1e3", with spaces or thin spaces as
 * thousands separators. NaN for anything else, including "" and "12abc".
 */
export function parseNumber(input: string | number): number {
  if (typeof input === 'number') return input
  let s = input.trim().replace(/[\s\u202F\u00A0]/g, '').replace(/^\u2212/, '-')
  if (s.includes(',') && !s.includes('.')) s = s.replace(',', '.')
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Number.NaN
  return Number(s)
}
