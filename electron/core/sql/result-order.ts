/**
 * Whether a reference query fixes the order of its result: the spec compares row order only when the
 * reference has a top-level ORDER BY. "Top-level" is read from SQLite's tokens, not from the text: an
 * ORDER BY inside a subquery, a CTE, a window's OVER (…) or an aggregate's (…) sits inside
 * parentheses, and one inside a string, a quoted identifier or a comment is no keyword at all.
 *
 * The statement that counts is the one whose rows are the result: the runner keeps the last statement
 * that returns rows, so the last SELECT (or VALUES, or WITH … SELECT) wins over a later INSERT.
 */

interface Token {
  /** `word` is an unquoted keyword or name; `quoted` a string literal or a quoted identifier. */
  type: 'word' | 'quoted' | 'symbol'
  /** Upper-cased for words; the character for symbols. */
  text: string
  depth: number
}

const WORD = /[\p{L}_][\p{L}\p{N}_$]*/uy

/** Index just past a quoted run that opened at `start` with `open` and closes with `close` (doubled = escaped). */
function skipQuoted(sql: string, start: number, close: string, doubling: boolean): number {
  let at = start + 1
  for (;;) {
    const end = sql.indexOf(close, at)
    if (end === -1) return sql.length
    if (doubling && sql[end + 1] === close) {
      at = end + 2
      continue
    }
    return end + 1
  }
}

/** SQLite's lexical structure, as far as it decides what is a keyword and how deep in parentheses. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = []
  let depth = 0
  let at = 0
  while (at < sql.length) {
    const char = sql[at] ?? ''
    const next = sql[at + 1]
    if (/\s/.test(char)) {
      at += 1
    } else if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', at)
      at = end === -1 ? sql.length : end + 1
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', at + 2)
      at = end === -1 ? sql.length : end + 2
    } else if (char === "'" || char === '"' || char === '`') {
      const end = skipQuoted(sql, at, char, true)
      tokens.push({ type: 'quoted', text: sql.slice(at, end), depth })
      at = end
    } else if (char === '[') {
      const end = skipQuoted(sql, at, ']', false)
      tokens.push({ type: 'quoted', text: sql.slice(at, end), depth })
      at = end
    } else {
      WORD.lastIndex = at
      const word = WORD.exec(sql)
      if (word) {
        tokens.push({ type: 'word', text: word[0].toUpperCase(), depth })
        at += word[0].length
        continue
      }
      if (char === ')') depth = Math.max(0, depth - 1)
      tokens.push({ type: 'symbol', text: char, depth })
      if (char === '(') depth += 1
      at += 1
    }
  }
  return tokens
}

const isWord = (token: Token | undefined, ...words: string[]) => token?.type === 'word' && words.includes(token.text)

/**
 * The statements, split at top-level semicolons. A CREATE TRIGGER's body (BEGIN … END) holds
 * semicolons of its own, and CASE … END may nest inside it.
 */
export function splitStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = []
  let current: Token[] = []
  let inTriggerBody = false
  let caseDepth = 0
  for (const token of tokens) {
    if (token.type === 'symbol' && token.text === ';' && token.depth === 0 && !inTriggerBody) {
      if (current.length > 0) statements.push(current)
      current = []
      continue
    }
    current.push(token)
    if (token.type !== 'word') continue
    const trigger = isWord(current[0], 'CREATE') && current.slice(1, 4).some((t) => isWord(t, 'TRIGGER'))
    if (!trigger) continue
    if (!inTriggerBody && token.text === 'BEGIN') inTriggerBody = true
    else if (inTriggerBody && token.text === 'CASE') caseDepth += 1
    else if (inTriggerBody && token.text === 'END') {
      if (caseDepth > 0) caseDepth -= 1
      else inTriggerBody = false
    }
  }
  if (current.length > 0) statements.push(current)
  return statements
}

const QUERY_VERBS = ['SELECT', 'VALUES']
const CHANGE_VERBS = ['INSERT', 'REPLACE', 'UPDATE', 'DELETE']

/** The verb that decides what a statement does: after WITH's common table expressions, the first top-level one. */
function verbOf(statement: Token[]): string | undefined {
  const first = statement[0]
  if (!isWord(first, 'WITH')) return first?.type === 'word' ? first.text : undefined
  return statement.find((token) => token.depth === 0 && isWord(token, ...QUERY_VERBS, ...CHANGE_VERBS))?.text
}

function returnsRows(statement: Token[]): boolean {
  const verb = verbOf(statement)
  if (verb === undefined) return false
  if (QUERY_VERBS.includes(verb) || verb === 'PRAGMA' || verb === 'EXPLAIN') return true
  return CHANGE_VERBS.includes(verb) && statement.some((token) => token.depth === 0 && isWord(token, 'RETURNING'))
}

function hasTopLevelOrderBy(statement: Token[]): boolean {
  return statement.some((token, index) => token.depth === 0 && isWord(token, 'ORDER') && isWord(statement[index + 1], 'BY'))
}

/** True when the statement whose rows are the result is a query with a top-level ORDER BY. */
export function referenceOrders(sql: string): boolean {
  const statements = splitStatements(tokenize(sql))
  const result = statements.findLast(returnsRows) ?? statements.at(-1)
  if (!result) return false
  const verb = verbOf(result)
  // Rows a RETURNING clause gives come in no promised order; a PRAGMA's are the engine's own.
  return verb !== undefined && QUERY_VERBS.includes(verb) && hasTopLevelOrderBy(result)
}
