/**
 * JSON text for anything a logger may be handed, without throwing: circular references
 * become "[Circular]", BigInt becomes a string (no precision loss downstream), Errors keep
 * name, message, stack, cause and their own fields, functions and symbols are left out
 * (as JSON.stringify does), and values whose toJSON throws become "[Unserializable: ...]".
 */
export function safeStringify(value: unknown): string {
  const seen: object[] = []
  return encode(value, seen) ?? 'null'
}

function encode(value: unknown, stack: object[]): string | undefined {
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
  if (value === null) return 'null'
  const obj = value as object
  if (stack.includes(obj)) return '"[Circular]"'
  if (typeof (obj as { toJSON?: unknown }).toJSON === 'function' && !(obj instanceof Error)) {
    let replaced: unknown
    try {
      replaced = (obj as { toJSON: () => unknown }).toJSON()
    } catch (err) {
      return JSON.stringify(`[Unserializable: ${err instanceof Error ? err.message : String(err)}]`)
    }
    if (replaced !== obj) {
      stack.push(obj)
      const out = encode(replaced, stack)
      stack.pop()
      return out
    }
  }
  stack.push(obj)
  try {
    if (Array.isArray(obj)) return `[${obj.map((v) => encode(v, stack) ?? 'null').join(',')}]`
    if (obj instanceof Map) return encodeEntries([...obj.entries()].map(([k, v]) => [String(k), v]), stack)
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
      v = `[Unreadable: ${err instanceof Error ? err.message : String(err)}]`
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
