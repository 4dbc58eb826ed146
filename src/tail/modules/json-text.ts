/**
 * JSON text for the small values parsers render straight into a document, identical to what
 * `JSON.stringify` gives for them (a unit test checks it on random values): strings that need
 * no escaping skip the escaper, which is most of what a log line holds.
 */
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/

export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`
}

/** A list of strings. */
export function jsonStrings(list: readonly string[]): string {
  let out = '['
  for (let i = 0; i < list.length; i++) out += (i === 0 ? '' : ',') + jsonString(list[i]!)
  return `${out}]`
}

/** An object of strings and numbers (url parts, addresses); anything else goes to JSON.stringify. */
export function jsonFlatObject(object: object): string {
  let out = '{'
  for (const key in object) {
    const value = (object as Record<string, unknown>)[key]
    if (value === undefined) continue
    out += `${out.length === 1 ? '' : ','}${jsonString(key)}:${typeof value === 'string' ? jsonString(value) : JSON.stringify(value)}`
  }
  return `${out}}`
}
