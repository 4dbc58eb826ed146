import { isBytes, toRecordText } from '../record/to-record.js'

/**
 * What `offerText` / `offerRecord` were given, as what they take: a string as it is, bytes as
 * a Uint8Array over the same memory (a DataView or Int8Array too). Anything else (a caller in
 * plain JavaScript passing a number, an object, bytes to offerText) is not a reason to throw
 * into the producer: it becomes the text `write()` would ship for it, or undefined when there
 * is nothing to ship (`write()` counts that as invalid).
 */
export function offered(value: unknown, maxChars: number): string | Uint8Array | undefined {
  if (typeof value === 'string') return value
  if (ArrayBuffer.isView(value) && isBytes(value)) return value instanceof Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  return toRecordText(value, maxChars)
}
