import { type ParsedFields, type Parser, parseFailure, withoutLineEnd } from '../types.js'

/**
 * The engine behind `parser: { nginx: { logFormat } }` and `parser: { apache: { logFormat } }`:
 * a format string, split by its dialect (nginx.ts, apache.ts) into literal text and fields,
 * becomes one parser. Each field takes the text up to the literal text after it (the last
 * one takes the rest of the line), except fields of a fixed width (times) and lists that
 * contain their own separators (nginx's upstream times). All the decisions are made here,
 * once: a line is a handful of indexOf calls and the fields' setters.
 */

/** What one variable of a format (`$status`, `%>s`) is and where its value goes. */
export interface FieldSpec {
  /** As written in the format: `$status`, `%>s`, `%{Referer}i`. */
  readonly token: string
  /** The document fields it fills, as `logship modules fields` lists them. */
  readonly fields: readonly string[]
  /** The ECS type of those fields (`keyword`, `long`, `date`, ...). */
  readonly type: string
  /** Fields of another type than `type` (`$status` fills `event.outcome`, a keyword). */
  readonly types?: Readonly<Record<string, string>>
  /** Puts the value (never `-` or empty) into the parsed fields. */
  readonly set: (fields: ParsedFields, value: string) => void
  /** Every value has this many characters (`$time_local`: 26): no need to look for the end. */
  readonly width?: number
  /** The value is a list that may contain `, ` and ` : ` (nginx's `$upstream_*`): a space after `,` or around `:` does not end it. */
  readonly list?: boolean
  /** Only with no literal before it: a non-empty value starts with this character (`%q`, `$is_args`: `?`), so the field before it ends there. */
  readonly lead?: string
  /** At most this many characters (`$is_args`: 1), so the field after it may follow with no literal between. */
  readonly maxWidth?: number
  /** Written as `-` when it has no value, also side by side with others (nginx's `$args` in `$uri$is_args$args`: `/a-` is `/a` with no query). */
  readonly dashWhenEmpty?: boolean
}

export type FormatPart = { readonly literal: string } | { readonly field: FieldSpec }

/** A problem with the format itself: the message names the variable and says what to do. */
export class LogFormatProblem extends Error {
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message)
    this.name = 'LogFormatProblem'
  }
}

export interface CompiledFormat {
  readonly parse: Parser
  /** The fields of the format, in order. */
  readonly specs: readonly FieldSpec[]
}

interface Step {
  /** Fields matched together: one, or several written side by side (`%U%q`). */
  readonly run: readonly FieldSpec[]
  /** The literal text after the run ('' when the run ends the format). */
  readonly delimiter: string
}

export interface FormatIdentity {
  readonly module: 'nginx' | 'apache'
  readonly dataset: string
  /** The config key errors point at (`logFormat`). */
  readonly key: string
  /** The dialect's word for its fields, in errors: `variable`, `directive`. */
  readonly what: string
}

/** Throws LogFormatProblem when two fields follow each other with nothing to tell where one ends. */
export function compileFormat(parts: readonly FormatPart[], identity: FormatIdentity): CompiledFormat {
  let prefix = ''
  const steps: Step[] = []
  let run: FieldSpec[] = []
  for (const part of parts) {
    if ('literal' in part) {
      if (run.length === 0 && steps.length === 0) prefix += part.literal
      else if (run.length === 0) {
        const last = steps.pop()!
        steps.push({ run: last.run, delimiter: last.delimiter + part.literal })
      } else {
        steps.push({ run, delimiter: part.literal })
        run = []
      }
      continue
    }
    const before = run.at(-1)
    if (before !== undefined && part.field.lead === undefined && before.maxWidth === undefined)
      throw new LogFormatProblem(
        `${before.token} and ${part.field.token} have no text between them, so the parser cannot tell where ${before.token} ends; nginx and apache write such values run together too. Put a separator between them in the server's format, or log one of them only`,
        identity.key,
      )
    run.push(part.field)
  }
  if (run.length > 0) steps.push({ run, delimiter: '' })
  if (steps.length === 0)
    throw new LogFormatProblem(
      `expected a format with at least one ${identity.what}, such as ${identity.module === 'nginx' ? '\'$remote_addr [$time_local] "$request" $status\'' : '\'%h %l %u %t "%r" %>s %b\''}`,
      identity.key,
    )

  const specs = steps.flatMap((s) => s.run)
  return { specs, parse: generateParser(prefix, steps, identity) }
}

/**
 * The parser as one generated function: the steps unrolled, literals inlined, and each field's
 * setter called from a call site of its own, so V8 sees straight-line code with monomorphic
 * calls (a loop over the steps was 40% slower than the hand-written parser). Only string
 * literals made with JSON.stringify, numbers and indexes into `deps` go into the source.
 */
function generateParser(prefix: string, steps: readonly Step[], identity: FormatIdentity): Parser {
  const { module, dataset } = identity
  const fail = (reason: string) => parseFailure(dataset, module, reason)
  const q = (text: string) => JSON.stringify(text)
  const setters: FieldSpec['set'][] = []
  const runs: (readonly FieldSpec[])[] = []
  const lines: string[] = [
    'const line = withoutLineEnd(input)',
    prefix.length > 0 ? `if (!line.startsWith(${q(prefix)})) return fail(${q(`the line does not start with ${JSON.stringify(prefix)}, as the format does`)})` : '',
    `const fields = { event: { module: ${q(module)}, dataset: ${q(dataset)}, kind: 'event', category: ['web'], type: ['access'] } }`,
    `let at = ${prefix.length}, end = 0, value = ''`,
  ]
  steps.forEach((step, s) => {
    const { delimiter, run } = step
    const first = run[0]!
    const failure = `return fail(${q(`expected ${JSON.stringify(delimiter)} after ${run.at(-1)!.token}`)})`
    if (run.length === 1 && first.width !== undefined) {
      lines.push(`end = at + ${first.width}`)
      lines.push(`if (end > line.length${delimiter.length > 0 ? ` || !line.startsWith(${q(delimiter)}, end)` : ''}) ${failure}`)
    } else if (delimiter.length === 0) lines.push('end = line.length')
    else {
      const plain = delimiter.charCodeAt(0) !== 34 && !(run.at(-1)!.list === true && delimiter.charCodeAt(0) === 32)
      lines.push(plain ? `end = line.indexOf(${q(delimiter)}, at)` : `end = findDelimiter(line, ${q(delimiter)}, at, ${run.at(-1)!.list === true})`)
      lines.push(`if (end < 0) ${failure}`)
    }
    if (run.length === 1) {
      setters.push(first.set)
      lines.push(`if (end > at) { value = line.slice(at, end); if (value !== '-') set${setters.length - 1}(fields, value) }`)
    } else {
      runs.push(run)
      lines.push(`setRun(fields, runs[${runs.length - 1}], line, at, end)`)
    }
    if (s < steps.length - 1 || delimiter.length > 0) lines.push(`at = end + ${delimiter.length}`)
  })
  lines.push('return fields')
  const names = setters.map((_, i) => `set${i}`)
  const body = `${names.length > 0 ? `const [${names.join(', ')}] = setters\n` : ''}return function parse(input) {\n  ${lines.filter(Boolean).join('\n  ')}\n}`
  const make = new Function('setters', 'runs', 'withoutLineEnd', 'fail', 'findDelimiter', 'setRun', body) as (...deps: unknown[]) => Parser
  return make(setters, runs, withoutLineEnd, fail, findDelimiter, setRun)
}

/** Where `delimiter` starts at or after `from`: a quote escaped with a backslash does not count; in a list, neither does a separator's space. */
function findDelimiter(line: string, delimiter: string, from: number, list: boolean): number {
  let at = line.indexOf(delimiter, from)
  const quote = delimiter.charCodeAt(0) === 34
  const space = delimiter.charCodeAt(0) === 32
  while (at > from) {
    if (quote && escapedAt(line, at, from)) at = line.indexOf(delimiter, at + 1)
    else if (list && space && listSeparatorAt(line, at)) at = line.indexOf(delimiter, at + 1)
    else break
  }
  return at
}

/** An odd number of backslashes before `at`. */
function escapedAt(line: string, at: number, from: number): boolean {
  let n = 0
  while (at - n - 1 >= from && line.charCodeAt(at - n - 1) === 92) n++
  return n % 2 === 1
}

/** The space at `at` belongs to `, ` or ` : ` (nginx joins upstream values with them). */
function listSeparatorAt(line: string, at: number): boolean {
  const before = line.charCodeAt(at - 1)
  return before === 44 /* , */ || before === 58 /* : */ || (line.charCodeAt(at + 1) === 58 && line.charCodeAt(at + 2) === 32)
}

/** Fields written side by side: each with a `lead` starts at its lead character; one with a `maxWidth` ends there. */
function setRun(fields: ParsedFields, run: readonly FieldSpec[], line: string, from: number, end: number): void {
  let at = from
  for (let i = 0; i < run.length; i++) {
    const next = run[i + 1]
    const spec = run[i]!
    let stop = end
    if (spec.maxWidth !== undefined && next !== undefined) {
      stop = Math.min(end, at + spec.maxWidth)
      if (spec.lead !== undefined && line[at] !== spec.lead) stop = at // absent: the next field starts here
    } else if (next?.lead !== undefined) {
      const lead = line.indexOf(next.lead, at)
      stop = lead < 0 || lead > end ? end : lead
      // no lead: the fields after this one are empty, and those nginx writes as `-` end the text
      if (stop === end) for (let j = run.length - 1; j > i && run[j]!.dashWhenEmpty === true && line.charCodeAt(stop - 1) === 45; j--) stop--
    }
    if (stop > at) {
      const value = line.slice(at, stop)
      if (value !== '-') spec.set(fields, value)
    }
    at = stop
  }
}
