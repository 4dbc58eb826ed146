/** Nesting below this many levels is replaced by "[Too deep]" (JSON.stringify would overflow the stack). */
const MAX_NESTING = 100

/**
 * JSON text for anything a logger may be handed, without throwing: circular references
 * become "[Circular]", BigInt becomes a string (no precision loss downstream), Errors keep
 * name, message, stack, cause and their own fields, functions and symbols are left out
 * (as JSON.stringify does), levels deeper than MAX_NESTING become "[Too deep]", and a value
 * that cannot be read at all (a toJSON or getter that throws, a revoked Proxy, a Proxy whose
 * traps throw) becomes "[Unserializable: why]".
 */
export function safeStringify(value: unknown): string {
  const seen: object[] = []
  return encode(value, seen) ?? 'null'
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

function encode(value: unknown, stack: object[]): string | undefined {
  if (typeof value === 'object' && value !== null) {
    if (stack.length >= MAX_NESTING) return '"[Too deep]"'
    try {
      return encodeObject(value, stack)
    } catch (err) {
      return unserializable(err)
    }
  }
  return encodePrimitive(value)
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

function encodeObject(obj: object, stack: object[]): string | undefined {
  if (stack.includes(obj)) return '"[Circular]"'
  if (typeof (obj as { toJSON?: unknown }).toJSON === 'function' && !(obj instanceof Error)) {
    const replaced = (obj as { toJSON: () => unknown }).toJSON()
    if (replaced !== obj) {
      stack.push(obj)
      const out = encode(replaced, stack)
      stack.pop()
      return out
    }
  }
  stack.push(obj)
  try {
    // Array.from, not map: holes in a sparse array are nulls, as JSON.stringify writes them
    if (Array.isArray(obj)) return `[${Array.from(obj as unknown[], (v) => encode(v, stack) ?? 'null').join(',')}]`
    if (obj instanceof Map)
      return encodeEntries(
        [...obj.entries()].map(([k, v]) => [String(k), v]),
        stack,
      )
    if (obj instanceof Set) return `[${[...obj].map((v) => encode(v, stack) ?? 'null').join(',')}]`
    if (ArrayBuffer.isView(obj)) return JSON.stringify(`[${obj.constructor.name} ${obj.byteLength} bytes]`)
    return encodeEntries(entriesOf(obj), stack)
  } finally {
    stack.pop()
  }
}

function entriesOf(obj: object): [string, unknown][] {
  const entries: [string, unknown][] = []
  if (obj instanceof Error) {
    entries.push(['name', obj.name], ['message', obj.message], ['stack', obj.stack])
    if (obj.cause !== undefined) entries.push(['cause', obj.cause])
    if (obj instanceof AggregateError) entries.push(['errors', obj.errors])
  }
  for (const key of Object.keys(obj)) {
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

function encodeEntries(entries: [string, unknown][], stack: object[]): string {
  const parts: string[] = []
  const done = new Set<string>()
  for (const [key, v] of entries) {
    if (done.has(key)) continue
    done.add(key)
    const text = encode(v, stack)
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`)
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
