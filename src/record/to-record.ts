import { DEFAULT_MAX_CHARS, safeStringify, TooLongError } from './safe-json.js'
import { isJsonObjectText } from './json-object-check.js'

/**
 * Turns what `write()` was given into one JSON object text on one line, or undefined when
 * there is nothing to ship (undefined, null, a function, a symbol). Never throws: every text
 * it returns is a valid JSON object, whatever the input (docs/api.md, "What write() ships").
 *
 * - an object: JSON.stringify, falling back to safeStringify for circular references,
 *   BigInt, Errors, Maps, throwing getters, deep nesting and Proxies;
 * - an object whose toJSON() gives something else than an object (a Date, say): shipped as
 *   if that value had been given;
 * - an array or a Set: `{"message": [...]}`;
 * - a string holding one JSON object: taken as is (re-encoded on one line if it spans lines);
 * - any other string, and numbers, booleans and BigInts: `{"message": "..."}`;
 * - bytes: as the string they hold in UTF-8; other typed arrays (numbers) as an array.
 *
 * `maxChars`: the careful serializer stops there (the queue's largest record: nothing longer
 * could be queued anyway); the event is then shipped as an "[Unserializable: ...]" message.
 */
export function toRecordText(event: unknown, maxChars = DEFAULT_MAX_CHARS): string | undefined {
  try {
    return recordOf(event, maxChars)
  } catch (err) {
    // Only a value whose very shape cannot be read (a revoked Proxy), or whose careful JSON outgrew maxChars, gets here.
    return `{"message":${safeStringify(`[Unserializable: ${describe(err)}]`)}}`
  }
}

function recordOf(event: unknown, maxChars: number): string | undefined {
  if (typeof event === 'string') return stringRecord(event)
  if (typeof event === 'object' && event !== null) {
    if (ArrayBuffer.isView(event)) {
      if (isBytes(event)) return stringRecord(Buffer.from(event.buffer, event.byteOffset, event.byteLength).toString('utf8'))
      const values = event as unknown as ArrayLike<number | bigint>
      // at least a digit and a comma each: known too long before a copy is made
      if (values.length * 2 > maxChars) throw new TooLongError(maxChars)
      return `{"message":${safeStringify(Array.from(values), maxChars)}}`
    }
    if (Array.isArray(event) || event instanceof Set) return `{"message":${safeStringify(event, maxChars)}}`
    let text: string | undefined
    try {
      text = needsSafePath(event) ? safeStringify(event, maxChars) : JSON.stringify(event)
    } catch {
      // circular, BigInt, a throwing getter or toJSON, too deep: the careful path never throws
      text = safeStringify(event, maxChars)
    }
    if (text !== undefined && text.charCodeAt(0) === 0x7b /* { */) return text
    // toJSON gave something else than an object: ship it as if that value had been written
    return valueRecord(text)
  }
  if (typeof event === 'number' || typeof event === 'boolean' || typeof event === 'bigint') return `{"message":${JSON.stringify(String(event))}}`
  return undefined
}

/**
 * Bytes (text in UTF-8): Uint8Array and Buffer, Uint8ClampedArray, Int8Array, DataView. Other
 * typed arrays (Float64Array, Int32Array ...) hold numbers: shipped as an array is. By tag, not
 * instanceof, so that arrays from another realm (vm, a worker's transfer) are told apart too.
 */
export function isBytes(view: ArrayBufferView): boolean {
  const tag = (view as { [Symbol.toStringTag]?: string })[Symbol.toStringTag]
  return tag === undefined || tag === 'Uint8Array' || tag === 'Uint8ClampedArray' || tag === 'Int8Array' || tag === 'DataView'
}

/** `text` is the JSON of a non-object value (or undefined for nothing). */
function valueRecord(text: string | undefined): string | undefined {
  if (text === undefined || text === 'null') return undefined
  const value: unknown = JSON.parse(text)
  if (typeof value === 'string') return `{"message":${text}}`
  if (Array.isArray(value)) return `{"message":${text}}`
  return `{"message":${JSON.stringify(String(value))}}`
}

/** Native JSON.stringify loses Errors (to {}) and Maps silently: look one level deep for them. */
function needsSafePath(event: object): boolean {
  if (event instanceof Error || event instanceof Map || event instanceof Set) return true
  for (const key in event) {
    const v = (event as Record<string, unknown>)[key]
    if (typeof v === 'object' && v !== null && (v instanceof Error || v instanceof Map || v instanceof Set)) return true
  }
  return false
}

/**
 * A string that is one JSON object on one line is a record as it is (checked by a scan, not
 * parsed: see json-object-check.ts). One spread over lines or padded is re-encoded on one
 * line. Anything else, `{oops}` and `{'a': 1}` included, is shipped as a message.
 */
export function stringRecord(text: string): string {
  if (isJsonObjectText(text)) return text
  const trimmed = text.trim()
  if (trimmed.charCodeAt(0) === 0x7b && trimmed.charCodeAt(trimmed.length - 1) === 0x7d) {
    let parsed: unknown
    try {
      parsed = JSON.parse(trimmed)
    } catch {
      parsed = undefined // not JSON after all: ship it as a message
    }
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return recordOf(parsed, Math.max(DEFAULT_MAX_CHARS, trimmed.length))!
  }
  return `{"message":${JSON.stringify(text.endsWith('\n') ? text.replace(/\r?\n$/, '') : text)}}`
}

function describe(err: unknown): string {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  } catch {
    return 'unreadable error'
  }
}
