import { fieldPath, getField, hasField, isObject } from './fields.js'
import { ProcessorConfigProblem, type Predicate, type ProcessorEvent } from './types.js'

/**
 * Filebeat's conditions (`when:` on any processor, and `drop_event`), compiled once into
 * closures: `equals`, `contains`, `regexp`, `range`, `has_fields`, `and`, `or`, `not`. A field
 * that is missing makes `equals`, `contains`, `regexp` and `range` false.
 */
const CONDITION_NAMES = ['equals', 'contains', 'regexp', 'range', 'has_fields', 'and', 'or', 'not'] as const

const RANGE_OPS = ['gt', 'gte', 'lt', 'lte'] as const
type RangeOp = (typeof RANGE_OPS)[number]

const EXAMPLE = 'a condition such as { equals: { http.response.status_code: 200 } } (one of equals, contains, regexp, range, has_fields, and, or, not)'

/** Throws ProcessorConfigProblem (path relative to `at`) when the condition is not one of the above. */
export function compileCondition(config: unknown, at: readonly PropertyKey[] = []): Predicate {
  if (!isObject(config)) throw new ProcessorConfigProblem(at, `expected ${EXAMPLE}`)
  const keys = Object.keys(config)
  if (keys.length !== 1)
    throw new ProcessorConfigProblem(at, `expected exactly one condition in this object, got ${keys.length === 0 ? 'none' : keys.join(', ')}; combine several with and: [...]`)
  const name = keys[0]!
  const body = config[name]
  const here = [...at, name]
  switch (name) {
    case 'equals':
      return all(fieldMap(body, here, 'equals: { field: value }'), (path, expected) => {
        if (typeof expected !== 'string' && typeof expected !== 'number' && typeof expected !== 'boolean')
          throw new ProcessorConfigProblem([...here, path], 'expected a string, number or boolean to compare with')
        const p = fieldPath(path)
        return (e) => getField(e, p) === expected
      })
    case 'contains':
      return all(fieldMap(body, here, 'contains: { field: text }'), (path, text) => {
        if (typeof text !== 'string') throw new ProcessorConfigProblem([...here, path], 'expected the text to look for, as a string')
        const p = fieldPath(path)
        return (e) => anyString(getField(e, p), (s) => s.includes(text))
      })
    case 'regexp':
      return all(fieldMap(body, here, "regexp: { field: 'pattern' }"), (path, source) => {
        if (typeof source !== 'string') throw new ProcessorConfigProblem([...here, path], 'expected a regular expression as a string')
        let re: RegExp
        try {
          re = new RegExp(source)
        } catch (err) {
          throw new ProcessorConfigProblem([...here, path], `expected a valid JavaScript regular expression (${(err as Error).message})`)
        }
        const p = fieldPath(path)
        return (e) => anyString(getField(e, p), (s) => re.test(s))
      })
    case 'range':
      return compileRange(body, here)
    case 'has_fields': {
      if (!Array.isArray(body) || body.length === 0 || !body.every((f) => typeof f === 'string' && f !== ''))
        throw new ProcessorConfigProblem(here, "expected a list of field names such as ['http.request.method']")
      const paths = body.map((f: string) => fieldPath(f))
      return (e) => paths.every((p) => hasField(e, p))
    }
    case 'and':
    case 'or': {
      if (!Array.isArray(body) || body.length === 0)
        throw new ProcessorConfigProblem(here, `expected a list of conditions such as ${name}: [{ equals: { a: 1 } }, { has_fields: [b] }]`)
      const parts = body.map((c, i) => compileCondition(c, [...here, i]))
      return name === 'and' ? (e) => parts.every((p) => p(e)) : (e) => parts.some((p) => p(e))
    }
    case 'not': {
      const inner = compileCondition(body, here)
      return (e) => !inner(e)
    }
    default:
      throw new ProcessorConfigProblem(here, `unknown condition; expected one of ${CONDITION_NAMES.join(', ')}`)
  }
}

function fieldMap(body: unknown, here: readonly PropertyKey[], example: string): [string, unknown][] {
  if (!isObject(body) || Object.keys(body).length === 0) throw new ProcessorConfigProblem(here, `expected an object of fields such as ${example}`)
  return Object.entries(body)
}

/** Every field of the map must hold (Filebeat: several fields in one condition are and-ed). */
function all(entries: [string, unknown][], make: (path: string, value: unknown) => Predicate): Predicate {
  const parts = entries.map(([path, value]) => make(path, value))
  return parts.length === 1 ? parts[0]! : (e) => parts.every((p) => p(e))
}

/** A string field, or a list holding a string, that passes `test`. */
function anyString(value: unknown, test: (s: string) => boolean): boolean {
  if (typeof value === 'string') return test(value)
  if (Array.isArray(value)) return value.some((v) => typeof v === 'string' && test(v))
  return false
}

/** `range: { field: { gte: 400, lt: 500 } }`, or Filebeat's flat form `range: { field.gte: 400 }`. */
function compileRange(body: unknown, here: readonly PropertyKey[]): Predicate {
  if (!isObject(body) || Object.keys(body).length === 0)
    throw new ProcessorConfigProblem(here, 'expected an object such as range: { http.response.status_code: { gte: 400, lt: 500 } }')
  const bounds = new Map<string, Partial<Record<RangeOp, number>>>()
  for (const [key, value] of Object.entries(body)) {
    if (isObject(value)) {
      const own = bounds.get(key) ?? {}
      for (const [op, limit] of Object.entries(value)) {
        if (!(RANGE_OPS as readonly string[]).includes(op)) throw new ProcessorConfigProblem([...here, key, op], `unknown bound; expected one of ${RANGE_OPS.join(', ')}`)
        if (typeof limit !== 'number' || Number.isNaN(limit)) throw new ProcessorConfigProblem([...here, key, op], 'expected a number')
        own[op as RangeOp] = limit
      }
      bounds.set(key, own)
      continue
    }
    const dot = key.lastIndexOf('.')
    const op = key.slice(dot + 1)
    if (dot < 1 || !(RANGE_OPS as readonly string[]).includes(op)) throw new ProcessorConfigProblem([...here, key], 'expected bounds such as { gte: 400, lt: 500 } for this field')
    if (typeof value !== 'number' || Number.isNaN(value)) throw new ProcessorConfigProblem([...here, key], 'expected a number')
    const field = key.slice(0, dot)
    bounds.set(field, { ...bounds.get(field), [op]: value })
  }
  const parts: Predicate[] = []
  for (const [field, b] of bounds) {
    const p = fieldPath(field)
    const { gt, gte, lt, lte } = b
    parts.push((e: ProcessorEvent) => {
      const raw = getField(e, p)
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN
      if (Number.isNaN(n)) return false
      return (gt === undefined || n > gt) && (gte === undefined || n >= gte) && (lt === undefined || n < lt) && (lte === undefined || n <= lte)
    })
  }
  return parts.length === 1 ? parts[0]! : (e) => parts.every((p) => p(e))
}
