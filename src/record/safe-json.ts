/** Nesting below this many levels is replaced by "[Too deep]" (JSON.stringify would overflow the stack). */
const MAX_NESTING = 100

/**
 * Longest JSON text safeStringify builds when the caller gives no limit: the largest record
 * the default queue (32 MiB) takes. Depth alone bounds nothing: getters that build a fresh
 * object on every read (lazy ORM-style relations, wrappers) make an endless tree that
 * "[Circular]" never catches, and two such getters per level meant 2^100 values to encode:
 * write() never returned and the app ran out of memory.
 */
export const DEFAULT_MAX_CHARS = 16 * 1024 * 1024

/** Thrown through every level (never turned into "[Unserializable]" on the way) when the text outgrows its limit. */
export class TooLongError extends RangeError {
  constructor(maxChars: number) {
    super(
      `its JSON would be longer than ${maxChars} characters, more than the queue takes in one record (an endless tree of objects, e.g. getters that build a new object on every read?)`,
    )
    this.name = 'TooLongError'
  }
}

/** What one call has spent: characters of output, plus one per property read (getters cost time even when they give nothing). */
interface Budget {
  readonly stack: object[]
  used: number
  readonly max: number
}

/**
 * JSON text for anything a logger may be handed, without throwing: circular references
 * become "[Circular]", BigInt becomes a string (no precision loss downstream), Errors keep
 * name, message, stack, cause and their own fields, functions and symbols are left out
 * (as JSON.stringify does), levels deeper than MAX_NESTING become "[Too deep]", and a value
 * that cannot be read at all (a toJSON or getter that throws, a revoked Proxy, a Proxy whose
 * traps throw) becomes "[Unserializable: why]".
 */
export function safeStringify(value: unknown, maxChars = DEFAULT_MAX_CHARS): string {
  const budget: Budget = { stack: [], used: 0, max: maxChars }
  return encode(value, budget) ?? 'null'
}

function spend(budget: Budget, chars: number): void {
  budget.used += chars
  if (budget.used > budget.max) throw new TooLongError(budget.max)
}

function unserializable(err: unknown): string {
  let why: string
  try {
    why = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  } catch {
    why = 'unreadable error'
  }
  return JSON.stringify(`[Unserializable: ${why}]`)
}

function encode(value: unknown, budget: Budget): string | undefined {
  if (typeof value === 'object' && value !== null) {
    if (budget.stack.length >= MAX_NESTING) return '"[Too deep]"'
    try {
      return encodeObject(value, budget)
    } catch (err) {
      if (err instanceof TooLongError) throw err
      return unserializable(err)
    }
  }
  const text = encodePrimitive(value)
  if (text !== undefined) spend(budget, text.length)
  return text
}

function encodePrimitive(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null'
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      return `"${value.toString()}"`
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined
  }
  return 'null'
}

function encodeObject(obj: object, budget: Budget): string | undefined {
  const { stack } = budget
  if (stack.includes(obj)) return '"[Circular]"'
  if (typeof (obj as { toJSON?: unknown }).toJSON === 'function' && !(obj instanceof Error)) {
    const replaced = (obj as { toJSON: () => unknown }).toJSON()
    if (replaced !== obj) {
      stack.push(obj)
      try {
        return encode(replaced, budget)
      } finally {
        stack.pop()
      }
    }
  }
  stack.push(obj)
  spend(budget, 2)
  try {
    // Array.from, not map: holes in a sparse array are nulls, as JSON.stringify writes them
    if (Array.isArray(obj)) return `[${Array.from(obj as unknown[], (v) => element(v, budget)).join(',')}]`
    if (obj instanceof Map)
      return encodeEntries(
        [...obj.entries()].map(([k, v]) => [String(k), v]),
        budget,
      )
    if (obj instanceof Set) return `[${Array.from(obj, (v) => element(v, budget)).join(',')}]`
    if (ArrayBuffer.isView(obj)) return JSON.stringify(`[${obj.constructor.name} ${obj.byteLength} bytes]`)
    return encodeEntries(entriesOf(obj, budget), budget)
  } finally {
    stack.pop()
  }
}

/** An array's element: what JSON.stringify leaves out of an object is null in an array. */
function element(v: unknown, budget: Budget): string {
  spend(budget, 1)
  return encode(v, budget) ?? 'null'
}

function entriesOf(obj: object, budget: Budget): [string, unknown][] {
  const entries: [string, unknown][] = []
  if (obj instanceof Error) {
    entries.push(['name', obj.name], ['message', obj.message], ['stack', obj.stack])
    if (obj.cause !== undefined) entries.push(['cause', obj.cause])
    if (obj instanceof AggregateError) entries.push(['errors', obj.errors])
  }
  for (const key of Object.keys(obj)) {
    spend(budget, 1)
    let v: unknown
    try {
      v = (obj as Record<string, unknown>)[key]
    } catch (err) {
      v = `[Unreadable: ${describe(err)}]`
    }
    entries.push([key, v])
  }
  return entries
}

function encodeEntries(entries: [string, unknown][], budget: Budget): string {
  const parts: string[] = []
  const done = new Set<string>()
  for (const [key, v] of entries) {
    if (done.has(key)) continue
    done.add(key)
    const text = encode(v, budget)
    if (text === undefined) continue
    const quoted = JSON.stringify(key)
    spend(budget, quoted.length + 2)
    parts.push(`${quoted}:${text}`)
  }
  return `{${parts.join(',')}}`
}

function describe(err: unknown): string {
  try {
    return err instanceof Error ? err.message : String(err)
  } catch {
    return 'unreadable error'
  }
}
