import { safeStringify } from './safe-json.js'

/**
 * Turns what `write()` was given into one JSON object text, or undefined when there is
 * nothing to ship (undefined, null, a function). Never throws.
 *
 * - an object: JSON.stringify, falling back to safeStringify for circular references,
 *   BigInt, Errors, Maps and throwing getters;
 * - a string holding a JSON object (`{...}` on one line): taken as is;
 * - any other string (or number, boolean): `{"message": "..."}`.
 */
export function toRecordText(event: unknown): string | undefined {
  if (typeof event === 'string') return stringRecord(event)
  if (ArrayBuffer.isView(event)) return stringRecord(Buffer.from(event.buffer, event.byteOffset, event.byteLength).toString('utf8'))
  if (typeof event === 'object' && event !== null) {
    if (Array.isArray(event)) return `{"message":${safeStringify(event)}}`
    try {
      return needsSafePath(event) ? safeStringify(event) : JSON.stringify(event)
    } catch {
      // circular, BigInt, a throwing getter or toJSON: the careful path never throws
      return safeStringify(event)
    }
  }
  if (typeof event === 'number' || typeof event === 'boolean' || typeof event === 'bigint') return `{"message":${JSON.stringify(String(event))}}`
  return undefined
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

function stringRecord(text: string): string {
  const first = text.charCodeAt(0)
  const last = text.charCodeAt(text.length - 1)
  if (first === 0x7b /* { */ && last === 0x7d /* } */ && text.indexOf('\n') === -1 && text.indexOf('\r') === -1) return text
  const trimmed = text.trim()
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    // Pretty-printed or padded JSON: re-encode on one line, since records are NDJSON lines.
    try {
      const parsed: unknown = JSON.parse(trimmed)
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return JSON.stringify(parsed)
    } catch {
      // not JSON after all: ship it as a message
    }
  }
  return `{"message":${JSON.stringify(text.endsWith('\n') ? text.replace(/\r?\n$/, '') : text)}}`
}
