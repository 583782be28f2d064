/**
 * Content test for the TypeScript Basics course (resources/courses/typescript-basics/).
 *
 * Every ```ts block of every lesson is type-checked in-process with the `typescript` compiler API,
 * with the options the lessons promise learners: strict, target ES2022, module ESNext,
 * moduleResolution Bundler, lib ES2022 + DOM, noEmit. Every block is its own module
 * (moduleDetection "force"), so blocks never see each other's declarations.
 *
 * Info-string attributes after "ts" (space separated):
 * - (none)                 the block must compile with no diagnostics at all.
 * - error=TS2322,TS2345    the block must report exactly this set of codes. Each `// error TS2322: message`
 *                          comment in the block must match a reported diagnostic (code and first line of
 *                          the message, union members in any order) on the code line it follows (only
 *                          comment lines may stand in between), and every reported diagnostic needs such
 *                          a comment (one comment covers identical diagnostics on one line).
 * - norun                  not checked (fragments that cannot compile alone; keep very few).
 * - file=name.ts           the block is the file `name.ts` (or `name.d.ts`, `src/app.ts`, ...). All file=
 *                          blocks of one lesson form one virtual project, compiled as its own program, so
 *                          they can import each other ("./math.js") and ambient declarations
 *                          (`declare module`, `declare global`) reach only that project. error= then
 *                          applies to that file's diagnostics. Inside a project, a .d.ts file is a module
 *                          only when it has a top-level import/export (as in a real project).
 *
 * A trailing `// type is T` (or `// inferred: T`) comment on a line that declares a variable, a type
 * alias or a class field states the type the checker prints for it (as an editor's hover shows it):
 * the test compares the two, with union members in any order. Other comments are free text.
 *
 * Text questions listed in INFERRED_TYPE_QUESTIONS are checked too: the code quoted in the prompt is
 * compiled and the type the checker prints for the named variable must be an accepted answer.
 */
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { normalizeText } from '../../electron/core/exercises/normalize'
import type { TextNormalization } from '../../electron/core/exercises/question-schema'
import { COURSES_DIR } from '../helpers/paths'

const COURSE_DIR = join(COURSES_DIR, 'typescript-basics')
const VIRTUAL_ROOT = '/virtual-typescript-basics'

interface TsBlock {
  lesson: string
  /** 1-based line of the opening fence in the lesson file, for messages. */
  line: number
  code: string
  expectedErrors: string[]
  norun: boolean
  file: string | undefined
}

interface LessonRef {
  id: string
  file: string
}

interface TextQuestion {
  id: string
  kind: string
  prompt: string
  accepted?: string[]
  normalize?: { case?: string; spaces?: string; quotes?: string }
}

interface Fence {
  lang: string
  attrs: string[]
  /** 1-based line of the opening fence in the lesson file, for messages. */
  line: number
  code: string
}

/**
 * Fenced blocks as lessons write them: an opening ``` line (possibly indented inside a list item), an
 * info string, and a closing ``` line with the same indentation. A full Markdown parser is not needed
 * for this subset, and an unterminated fence is reported.
 */
function fences(lesson: string, markdown: string): Fence[] {
  const lines = markdown.split('\n')
  const found: Fence[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```(\S*)\s*(.*)$/.exec(lines[i] ?? '')
    if (!open) continue
    const indent = open[1] ?? ''
    const body: string[] = []
    let j = i + 1
    while (j < lines.length && !new RegExp(`^${indent}\`\`\`\\s*$`).test(lines[j] ?? '')) {
      body.push((lines[j] ?? '').slice(indent.length))
      j++
    }
    if (j >= lines.length) throw new Error(`${lesson}:${i + 1}: unterminated code fence`)
    found.push({ lang: open[2] ?? '', attrs: (open[3] ?? '').split(/\s+/).filter(Boolean), line: i + 1, code: body.join('\n') + '\n' })
    i = j
  }
  return found
}

function tsBlocks(lesson: string, markdown: string): TsBlock[] {
  return fences(lesson, markdown)
    .filter((f) => f.lang === 'ts')
    .map((f) => {
      const error = f.attrs.find((a) => a.startsWith('error='))
      const file = f.attrs.find((a) => a.startsWith('file='))
      const unknown = f.attrs.filter((a) => a !== 'norun' && a !== error && a !== file)
      if (unknown.length > 0) throw new Error(`${lesson}:${f.line}: unknown ts block attribute(s) ${unknown.join(' ')}`)
      return {
        lesson,
        line: f.line,
        code: f.code,
        expectedErrors: error ? error.slice('error='.length).split(',').filter(Boolean) : [],
        norun: f.attrs.includes('norun'),
        file: file?.slice('file='.length),
      }
    })
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  noEmit: true,
  types: [],
  skipLibCheck: true,
}

/** Lib files parsed once and shared by every program this file creates. */
const libCache = new Map<string, ts.SourceFile | undefined>()

function createProgram(files: Map<string, string>, options: ts.CompilerOptions): ts.Program {
  const realHost = ts.createCompilerHost(options, true)
  const isVirtual = (path: string): boolean => path.startsWith(VIRTUAL_ROOT + '/')
  const host: ts.CompilerHost = {
    ...realHost,
    getCurrentDirectory: () => VIRTUAL_ROOT,
    fileExists: (path) => (isVirtual(path) ? files.has(path) : realHost.fileExists(path)),
    readFile: (path) => (isVirtual(path) ? files.get(path) : realHost.readFile(path)),
    directoryExists: (path) =>
      path === VIRTUAL_ROOT || isVirtual(path) ? [...files.keys()].some((f) => f.startsWith(path + '/')) : (realHost.directoryExists?.(path) ?? false),
    getSourceFile: (path, languageVersion) => {
      const text = files.get(path)
      if (text !== undefined) return ts.createSourceFile(path, text, languageVersion, true)
      if (!libCache.has(path)) libCache.set(path, realHost.getSourceFile(path, languageVersion))
      return libCache.get(path)
    },
    writeFile: () => {},
  }
  return ts.createProgram({ rootNames: [...files.keys()], options, host })
}

interface Finding {
  code: string
  line: number
  message: string
}

function findings(program: ts.Program, path: string): Finding[] {
  const source = program.getSourceFile(path)
  if (!source) throw new Error(`no source file ${path}`)
  const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
  return diagnostics.map((d) => ({
    code: `TS${d.code}`,
    line: d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0] ?? '',
  }))
}

const ERROR_COMMENT = /^\s*\/\/ error (TS\d+): (.*)$/

/**
 * One program checks every block, so the order in which the checker prints union members can
 * differ from a lone `tsc` run on the block ('"age" | "name"' against '"name" | "age"'). Quoted types
 * are compared with their top-level-looking ` | ` members sorted.
 */
function canonicalMessage(message: string): string {
  return message.replace(/'([^']*)'/g, (_quoted, type: string) => `'${type.split(' | ').sort().join(' | ')}'`)
}

/** Problems with one checked block: an empty list means the block shows what the compiler says. */
function blockProblems(block: TsBlock, found: Finding[]): string[] {
  const problems: string[] = []
  const codeSet = (codes: string[]): string => [...new Set(codes)].sort().join(',')
  if (codeSet(found.map((f) => f.code)) !== codeSet(block.expectedErrors)) {
    problems.push(`expected [${codeSet(block.expectedErrors)}], compiler reports [${found.map((f) => `${f.code} (block line ${f.line + 1}): ${f.message}`).join(' | ')}]`)
  }
  const lines = block.code.split('\n')
  const shown = new Set<Finding>()
  lines.forEach((text, index) => {
    const comment = ERROR_COMMENT.exec(text)
    if (!comment) return
    let codeLine = index - 1
    while (codeLine >= 0 && /^\s*\/\//.test(lines[codeLine] ?? '')) codeLine--
    // One comment shows every identical diagnostic on its line (e.g. `a.length >= b.length`).
    const hits = found.filter((f) => f.code === comment[1] && f.line === codeLine && canonicalMessage(f.message) === canonicalMessage(comment[2] ?? ''))
    hits.forEach((f) => shown.add(f))
    if (hits.length === 0) problems.push(`block line ${index + 1}: no ${comment[1]} "${comment[2]}" on block line ${codeLine + 1}`)
  })
  for (const f of found) {
    if (!shown.has(f)) problems.push(`${f.code} on block line ${f.line + 1} is not shown in a "// error ${f.code}: ..." comment: ${f.message}`)
  }
  return problems
}

const TYPE_COMMENT = /\/\/ (?:type is|inferred:) (.+?)\s*$/

type Declaration = ts.VariableDeclaration | ts.TypeAliasDeclaration | ts.PropertyDeclaration

/** The type the checker prints for a declared variable or type alias, as an editor's hover shows it. */
function printedType(checker: ts.TypeChecker, declaration: Declaration): string {
  const flags = ts.TypeFormatFlags.NoTruncation | (ts.isTypeAliasDeclaration(declaration) ? ts.TypeFormatFlags.InTypeAlias : 0)
  return checker.typeToString(checker.getTypeAtLocation(declaration.name), declaration, flags)
}

/** `// type is T` (or `// inferred: T`) ending a line that declares a variable, type alias or class field. */
function typeCommentProblems(program: ts.Program, path: string): string[] {
  const source = program.getSourceFile(path)
  if (!source) throw new Error(`no source file ${path}`)
  const checker = program.getTypeChecker()
  const declared = new Map<number, Declaration>()
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isPropertyDeclaration(node)) {
      const line = source.getLineAndCharacterOfPosition(node.name.getStart(source)).line
      if (!declared.has(line)) declared.set(line, node)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  const problems: string[] = []
  source.text.split('\n').forEach((text, line) => {
    const comment = TYPE_COMMENT.exec(text)
    if (!comment) return
    const declaration = declared.get(line)
    if (!declaration) {
      problems.push(`block line ${line + 1}: "// type is" on a line that declares nothing`)
      return
    }
    const printed = printedType(checker, declaration)
    if (canonicalMessage(`'${printed}'`) !== canonicalMessage(`'${comment[1] ?? ''}'`)) {
      problems.push(`block line ${line + 1}: ${declaration.name.getText(source)} is ${printed}, the comment says ${comment[1]}`)
    }
  })
  return problems
}

/** The grader's own comparison, with the spec's defaults for what a question leaves out. */
function normalizeAnswer(value: string, normalize: TextQuestion['normalize']): string {
  const rule: TextNormalization = {
    case: normalize?.case === 'exact' ? 'exact' : 'ignore',
    spaces: normalize?.spaces === 'ignore' ? 'ignore' : 'collapse',
    quotes: normalize?.quotes === 'ignore' ? 'ignore' : 'exact',
  }
  return normalizeText(value, rule)
}

/**
 * Text questions that ask for the type TypeScript infers: question id -> variable whose type the
 * prompt's longest inline code snippet declares.
 */
const INFERRED_TYPE_QUESTIONS: Record<string, string> = {
  'why-typescript-q6': 'upper',
  'unions-narrowing-q6': 'config',
  'generics-q5': 'p',
  'type-operators-q6': 'Keys',
  'async-declarations-q5': 'both',
  'pr-q16': 'winner',
  'pr-q39': 'Port',
}

function inferredType(program: ts.Program, path: string, name: string): string {
  const source = program.getSourceFile(path)
  if (!source) throw new Error(`no source file ${path}`)
  const problems = findings(program, path)
  if (problems.length > 0) throw new Error(`question code does not compile: ${problems.map((p) => p.message).join('; ')}`)
  const checker = program.getTypeChecker()
  let printed: string | undefined
  const visit = (node: ts.Node): void => {
    if ((ts.isVariableDeclaration(node) || ts.isTypeAliasDeclaration(node)) && node.name.getText() === name) printed = printedType(checker, node)
    ts.forEachChild(node, visit)
  }
  visit(source)
  if (printed === undefined) throw new Error(`no declaration of ${name}`)
  return printed
}

interface ChoiceFields {
  choices?: (string | { text: string })[]
  answer?: unknown
  answers?: number[]
}
type CourseQuestion = TextQuestion & ChoiceFields & { explanation?: string }

const course = JSON.parse(readFileSync(join(COURSE_DIR, 'course.json'), 'utf8')) as {
  format: number
  lessons: (LessonRef & { quiz: CourseQuestion[] })[]
  pressureRoom: { draw: number; passMark: number; pool: CourseQuestion[] }
}

/** Whether the (or a) right choice is strictly longer than every other choice. */
function rightChoiceIsLongest(q: CourseQuestion): boolean {
  const lengths = (q.choices ?? []).map((c) => (typeof c === 'string' ? c : c.text).length)
  const right = q.kind === 'single' && typeof q.answer === 'number' ? [q.answer] : (q.answers ?? [])
  return right.some((r) => lengths.every((len, i) => i === r || len < (lengths[r] ?? 0)))
}

function longestRate(questions: CourseQuestion[]): number {
  const withChoices = questions.filter((q) => q.kind === 'single' || q.kind === 'multiple')
  return withChoices.filter(rightChoiceIsLongest).length / withChoices.length
}

const lessonText = new Map(course.lessons.map((l) => [l.id, readFileSync(join(COURSE_DIR, l.file), 'utf8')]))
const blocks = course.lessons.flatMap((l) => tsBlocks(l.id, lessonText.get(l.id) ?? ''))
const jsonBlocks = course.lessons.flatMap((l) => fences(l.id, lessonText.get(l.id) ?? '').filter((f) => f.lang === 'json').map((f) => ({ lesson: l.id, ...f })))

const questions = [...course.lessons.flatMap((l) => l.quiz), ...course.pressureRoom.pool]

/** The code a question's prompt quotes: its longest inline code span. */
function quotedCode(question: CourseQuestion | undefined): string {
  const snippets = [...(question?.prompt ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '')
  return snippets.reduce((a, b) => (b.length > a.length ? b : a), '')
}
const questionPath = (id: string): string => `${VIRTUAL_ROOT}/questions/${id}.ts`

const checked = blocks.filter((b) => !b.norun)
const standalone = checked.filter((b) => b.file === undefined)
const projects = new Map<string, TsBlock[]>()
for (const b of checked.filter((b) => b.file !== undefined)) projects.set(b.lesson, [...(projects.get(b.lesson) ?? []), b])

const pathOf = new Map<TsBlock, string>()
standalone.forEach((b) => pathOf.set(b, `${VIRTUAL_ROOT}/${b.lesson}/block-line-${b.line}.ts`))
// One program for every standalone block and every quoted question snippet: creating a program binds
// the lib files again, so fewer programs keep the file fast.
const standaloneProgram = createProgram(
  new Map([
    ...standalone.map((b): [string, string] => [pathOf.get(b) ?? '', b.code]),
    ...Object.keys(INFERRED_TYPE_QUESTIONS).map((id): [string, string] => [questionPath(id), quotedCode(questions.find((q) => q.id === id))]),
  ]),
  { ...COMPILER_OPTIONS, moduleDetection: ts.ModuleDetectionKind.Force },
)
const programOf = new Map<TsBlock, ts.Program>(standalone.map((b) => [b, standaloneProgram]))
for (const [lesson, files] of projects) {
  files.forEach((b) => pathOf.set(b, `${VIRTUAL_ROOT}/${lesson}/project/${b.file ?? ''}`))
  const program = createProgram(new Map(files.map((b) => [pathOf.get(b) ?? '', b.code])), COMPILER_OPTIONS)
  files.forEach((b) => programOf.set(b, program))
}

describe('TypeScript Basics: every ts example', () => {
  it('the lessons hold ts examples, a few of them norun', () => {
    expect(checked.length).toBeGreaterThanOrEqual(90)
    expect(blocks.filter((b) => b.norun).length).toBeLessThanOrEqual(3)
  })

  it.each(checked.map((b) => [`${b.lesson} line ${b.line}${b.file ? ` (${b.file})` : ''}`, b] as const))('%s', (_name, block) => {
    const program = programOf.get(block)
    const path = pathOf.get(block)
    if (!program || !path) throw new Error('block was not compiled')
    const problems = [...blockProblems(block, findings(program, path)), ...typeCommentProblems(program, path)]
    expect(problems, problems.join('\n')).toEqual([])
  })
})

describe('TypeScript Basics: json examples', () => {
  it.each(jsonBlocks.map((b) => [`${b.lesson} line ${b.line}`, b] as const))('%s parses, and its compilerOptions are valid tsconfig options', (_name, block) => {
    const parsed = JSON.parse(block.code) as { compilerOptions?: unknown }
    if (parsed.compilerOptions !== undefined) {
      const { errors } = ts.convertCompilerOptionsFromJson(parsed.compilerOptions, '/')
      expect(errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, ' '))).toEqual([])
    }
  })
})

describe('TypeScript Basics: questions that name an inferred type', () => {
  it.each(Object.entries(INFERRED_TYPE_QUESTIONS))('%s', (id, name) => {
    const question = questions.find((q) => q.id === id)
    expect(question?.kind).toBe('text')
    const printed = inferredType(standaloneProgram, questionPath(id), name)
    const accepted = (question?.accepted ?? []).map((a) => normalizeAnswer(a, question?.normalize))
    expect(accepted).toContain(normalizeAnswer(printed, question?.normalize))
  })
})

describe('TypeScript Basics: course shape (issue #14)', () => {
  const quizQuestions = course.lessons.flatMap((l) => l.quiz)
  const pool = course.pressureRoom.pool

  it('is a format 2 pack with at least 10 lessons and 9 000 words', () => {
    expect(course.format).toBe(2)
    expect(course.lessons.length).toBeGreaterThanOrEqual(10)
    const words = course.lessons.map((l) => (lessonText.get(l.id) ?? '').split(/\s+/).filter(Boolean).length)
    expect(words.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(9000)
  })

  it.each(course.lessons.map((l) => [l.id, l] as const))('lesson %s has at least 5 questions of at least 3 kinds, none of them sql', (_id, lesson) => {
    expect(lesson.quiz.length).toBeGreaterThanOrEqual(5)
    expect(new Set(lesson.quiz.map((q) => q.kind)).size).toBeGreaterThanOrEqual(3)
    expect(lesson.quiz.filter((q) => q.kind === 'sql')).toEqual([])
  })

  it('draws 15 of a pool of at least 36 questions of at least 4 kinds, pass mark 70', () => {
    expect(course.pressureRoom.draw).toBe(15)
    expect(course.pressureRoom.passMark).toBe(70)
    expect(pool.length).toBeGreaterThanOrEqual(36)
    expect(new Set(pool.map((q) => q.kind)).size).toBeGreaterThanOrEqual(4)
    expect(pool.filter((q) => q.kind === 'sql')).toEqual([])
  })

  it('every question explains its answer', () => {
    expect([...quizQuestions, ...pool].filter((q) => !q.explanation?.trim()).map((q) => q.id)).toEqual([])
  })

  it('the right choice is the longest in at most 1 of 3 choice questions, and in at most 30 % in the pool', () => {
    expect(longestRate([...quizQuestions, ...pool])).toBeLessThanOrEqual(1 / 3)
    expect(longestRate(pool)).toBeLessThanOrEqual(0.3)
  })
})
