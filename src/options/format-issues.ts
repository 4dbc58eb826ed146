import type { z } from 'zod'
import { redactUrlsIn } from '../redact.js'

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(redactUrlsIn(value))
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'function') return 'a function'
  if (value === undefined) return 'undefined'
  if (typeof value === 'object' && value !== null) {
    try {
      const text = redactUrlsIn(JSON.stringify(value))
      return text.length > 80 ? `${text.slice(0, 77)}...` : text
    } catch {
      return Array.isArray(value) ? 'an array' : 'an object'
    }
  }
  return String(value)
}

function pathOf(base: string, path: readonly PropertyKey[]): string {
  const parts = [base, ...path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))].filter(Boolean)
  return parts.join('.').replace(/\.\[/g, '[') || '(options)'
}

/** One line per problem: `key.path: got VALUE; expected ...`. Secrets are never echoed. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], base = ''): string[] {
  return issues.map((issue) => {
    const path = pathOf(base, issue.path)
    const secret = /password|apikey|api_key|token|bearer|secret|authorization|headers|auth\b|cookie/i.test(path)
    const expectation = issue.message.replace(/^Invalid (input|option): /, '')
    if (issue.code === 'unrecognized_keys') {
      return `${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling (keys are camelCase)`
    }
    if (issue.code === 'invalid_union' && 'discriminator' in issue) {
      const got = (issue.input as Record<string, unknown> | undefined)?.[String(issue.discriminator)]
      return `${path}: got ${show(got)}; expected one of ${(issue as { options?: unknown[] }).options?.map((o) => JSON.stringify(o)).join(' | ')}`
    }
    const got = secret ? '(hidden)' : show(issue.input)
    return issue.input === undefined && issue.code === 'invalid_type' ? `${path}: missing; ${expectation}` : `${path}: got ${got}; ${expectation}`
  })
}
