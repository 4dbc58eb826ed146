import type { z } from '../util/zod.js'
import { redactUrlsIn } from '../redact.js'
import { suggestKey, type KeyDialect } from './suggest-key.js'

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(redactUrlsIn(value))
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'function') return 'a function'
  if (value === undefined) return 'undefined'
  if (typeof value === 'object' && value !== null) {
    try {
      // Infinity and NaN as themselves, not as JSON's null; credentials in URLs redacted
      const text = redactUrlsIn(JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `${v}` : v)))
      return text.length > 80 ? `${text.slice(0, 77)}...` : text
    } catch {
      return Array.isArray(value) ? 'an array' : 'an object'
    }
  }
  return String(value)
}

function pathOf(base: string, path: readonly PropertyKey[], dialect: KeyDialect): string {
  const parts = [base, ...path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))].filter(Boolean)
  return parts.join('.').replace(/\.\[/g, '[') || (dialect === 'yaml' ? '(top level)' : '(options)')
}

/** zod's own wording ("Too small: expected number to be >=0") in the project's words. */
function expectationOf(issue: z.core.$ZodIssue): string {
  const i = issue as z.core.$ZodIssue & { origin?: string; minimum?: number | bigint; maximum?: number | bigint; inclusive?: boolean; expected?: string }
  if (issue.code === 'too_small' && issue.message.startsWith('Too small')) {
    if (i.origin === 'number') return i.inclusive === false ? `expected a number above ${i.minimum}` : `expected ${i.minimum} or more`
    if (i.origin === 'string') return `expected at least ${i.minimum} character${i.minimum === 1 ? '' : 's'}`
    if (i.origin === 'array') return `expected at least ${i.minimum} item${i.minimum === 1 ? '' : 's'}`
  }
  if (issue.code === 'too_big' && issue.message.startsWith('Too big')) {
    if (i.origin === 'number') return i.inclusive === false ? `expected a number below ${i.maximum}` : `expected at most ${i.maximum}`
    if (i.origin === 'string') return `expected at most ${i.maximum} characters`
    if (i.origin === 'array') return `expected at most ${i.maximum} items`
  }
  if (issue.code === 'invalid_type' && /^Invalid input: expected \w+, received/.test(issue.message)) {
    const what = i.expected === 'int' ? 'a whole number' : i.expected === 'array' ? 'a list' : i.expected === 'object' ? 'an object' : `a ${i.expected}`
    return `expected ${what}`
  }
  return issue.message.replace(/^Invalid (input|option): /, '')
}

/**
 * The value a problem is about. A refinement on an object reports the whole object with
 * every default filled in: show what the user wrote at the issue's path instead (undefined
 * when they wrote nothing there).
 */
function userValueOf(issue: z.core.$ZodIssue, userInput: unknown): { value: unknown } | undefined {
  const input = issue.input
  if (issue.code !== 'custom' || typeof input !== 'object' || input === null || userInput === undefined) return { value: input }
  // what the user wrote at that path, if anything
  let at: unknown = userInput
  for (const key of issue.path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined
    at = (at as Record<PropertyKey, unknown>)[key]
  }
  return { value: at }
}

/** What a problem's message is written against. */
export interface IssueContext {
  /** Key path the issues' paths are relative to (`modules[0](nginx.access)`); '' for the top. */
  base?: string
  /** The keys allowed at a path, for hints on unknown keys (`knownKeysAt`). */
  knownKeys?: (path: readonly PropertyKey[]) => string[] | undefined
  /** What the user passed: shown for refinements, whose own input has the defaults filled in. */
  userInput?: unknown
  /** Which front door: the library's options or the YAML config (hints in its spelling). @default 'options' */
  dialect?: KeyDialect
}

/** One line of a problem; `key` is the unknown key it is about (a YAML source tags its line). */
export interface IssueLine {
  text: string
  key?: string
}

/** One line per problem: `key.path: got VALUE; expected ...`. Secrets are never echoed. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], context: IssueContext = {}): string[] {
  return issues.flatMap((issue) => formatIssue(issue, context).map((line) => line.text))
}

/** The lines of one problem: one per unknown key when any of them has a hint, else one. */
export function formatIssue(issue: z.core.$ZodIssue, context: IssueContext = {}): IssueLine[] {
  const dialect = context.dialect ?? 'options'
  const path = pathOf(context.base ?? '', issue.path, dialect)
  const secret = /password|apikey|api_key|token(?!izer)|bearer|secret|authorization|headers|auth\b|cookie/i.test(path)
  const expectation = expectationOf(issue)
  if (issue.code === 'unrecognized_keys') {
    const known = context.knownKeys?.(issue.path)
    const hints = issue.keys.map((k) => suggestKey(k, known, dialect))
    if (hints.some((h) => h !== undefined))
      return issue.keys.map((key, n) => ({
        key,
        text: `${path}: unknown key "${key}"; ${hints[n] ?? `check the spelling${known ? ` (allowed here: ${known.join(', ')})` : ' (keys are camelCase)'}`}`,
      }))
    return [
      {
        key: issue.keys[0]!,
        text: `${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling (keys are camelCase)`,
      },
    ]
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    const got = (issue.input as Record<string, unknown> | undefined)?.[String(issue.discriminator)]
    return [{ text: `${path}: got ${show(got)}; expected one of ${(issue as { options?: unknown[] }).options?.map((o) => JSON.stringify(o)).join(' | ')}` }]
  }
  const shown = userValueOf(issue, context.userInput)
  if (shown === undefined || (shown.value === undefined && issue.code === 'invalid_type')) return [{ text: `${path}: missing; ${expectation}` }]
  return [{ text: `${path}: got ${secret ? '(hidden)' : show(shown.value)}; ${expectation}` }]
}
