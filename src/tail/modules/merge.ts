import type { ParsedFields } from './types.js'
import { isPlainObject } from '../../util/merge.js'

/**
 * Puts a parser's fields into the document built for an entry (which already has
 * `message`, `log.file.path`, `log.offset`, `host`, ...): objects are merged key by key,
 * arrays are appended (`tags`), other values from the parser win (`@timestamp`, and
 * `message` for error logs, where the parser keeps only the text after the prefix).
 * Mutates and returns `document`.
 */
export function mergeFields(document: Record<string, unknown>, fields: ParsedFields): Record<string, unknown> {
  for (const key of Object.keys(fields)) {
    const value = (fields as Record<string, unknown>)[key]
    if (value === undefined) continue
    const existing = document[key]
    if (Array.isArray(value) && Array.isArray(existing)) {
      document[key] = [...existing, ...value]
    } else if (isPlainObject(value) && isPlainObject(existing)) {
      mergeFields(existing, value)
    } else {
      document[key] = value
    }
  }
  return document
}
