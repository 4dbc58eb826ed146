import { isUtf8 } from 'node:buffer'
import { unixNanosOf } from '../otlp/time.js'
import { ARRAY, ESCAPED, FALSE, type Field, FlatRecord, NUMBER, STRING, TRUE } from '../record-scan.js'

/** What the stream builder reads from one record: template fields as text, and its time. */
export interface EventFields {
  /** A template placeholder's value as text; undefined when missing, null or an object (see template.ts). */
  text(path: string): string | undefined
  /** `@timestamp`, else `time`, else `timestamp`; else `now`. */
  nanos(now: bigint): bigint
}

const TIME_KEYS = ['@timestamp', 'time', 'timestamp'] as const

/** The reference reading: the record parsed with JSON.parse (anything that is not an object reads as `{}`). */
export class ParsedFields implements EventFields {
  readonly #event: Record<string, unknown>

  constructor(event: Record<string, unknown>) {
    this.#event = event
  }

  static of(record: Uint8Array): ParsedFields {
    return new ParsedFields(parse(record))
  }

  text(path: string): string | undefined {
    const value = lookup(this.#event, path)
    return value === undefined || value === null || typeof value === 'object' ? undefined : String(value)
  }

  nanos(now: bigint): bigint {
    for (const key of TIME_KEYS) {
      if (!(key in this.#event)) continue
      const nanos = unixNanosOf(this.#event[key])
      if (nanos !== 0n) return nanos
    }
    return now
  }
}

interface PathFields {
  readonly field: Field
  /** The path's proper prefixes (`a`, `a.b` of `a.b.c`): an array there is walked by index in the reference, not here. */
  readonly prefixes: readonly Field[]
}

/**
 * The same reading from the record's text in one scan (record-scan.ts), without building the
 * event object; reused record after record. `scan` says false for a record it cannot read
 * exactly as ParsedFields would (see FlatRecord.scan, and an array on the way to a template
 * path, which the reference walks by index): the caller reads that one with ParsedFields.
 */
export class ScannedFields implements EventFields {
  readonly #flat = new FlatRecord(new Set())
  readonly #paths = new Map<string, PathFields>()
  readonly #all: PathFields[] = []
  readonly #time: Field[]

  constructor(paths: Iterable<string>) {
    for (const path of paths) {
      if (this.#paths.has(path)) continue
      const segments = path.split('.')
      const prefixes = segments.slice(1).map((_, i) => this.#flat.field(segments.slice(0, i + 1).join('.')))
      const fields = { field: this.#flat.field(path), prefixes }
      this.#paths.set(path, fields)
      this.#all.push(fields)
    }
    this.#time = TIME_KEYS.map((key) => this.#flat.field(key))
  }

  scan(record: Uint8Array): boolean {
    const buf = Buffer.isBuffer(record) ? record : Buffer.from(record.buffer, record.byteOffset, record.byteLength)
    if (!isUtf8(buf) || !this.#flat.scan(buf)) return false
    const flat = this.#flat
    for (const { prefixes } of this.#all)
      for (const prefix of prefixes) {
        const index = flat.indexOf(prefix)
        if (index >= 0 && flat.kinds[index] === ARRAY) return false
      }
    return true
  }

  text(path: string): string | undefined {
    const flat = this.#flat
    const fields = this.#paths.get(path)
    if (!fields) return undefined
    const index = flat.indexOf(fields.field)
    if (index < 0) return undefined
    // the reference finds `a.b` as a top-level key or through nested objects with plain names;
    // `{ "a.x": { "b": 1 } }` flattens to `a.x.b` here but is not found there
    const key = flat.keys[index]!
    if (key.parent) for (let at: typeof key | undefined = key; at; at = at.parent) if (at.name.includes(0x2e)) return undefined
    switch (flat.kinds[index]) {
      case STRING:
        return flat.buf.toString('utf8', flat.starts[index], flat.ends[index])
      case ESCAPED:
        return flat.values[index] as string
      case NUMBER:
        return String(flat.numbers[index])
      case TRUE:
        return 'true'
      case FALSE:
        return 'false'
      default:
        return undefined
    }
  }

  nanos(now: bigint): bigint {
    const flat = this.#flat
    for (const field of this.#time) {
      const index = flat.indexOf(field)
      if (index < 0) continue // missing, or an object: no time either way
      const nanos = unixNanosOf(flat.valueOf(index))
      if (nanos !== 0n) return nanos
    }
    return now
  }
}

function parse(record: Uint8Array): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(record.buffer, record.byteOffset, record.byteLength).toString('utf8')) as unknown
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** A path as a dotted key first (`"service.name": ...`), then through nested objects (`service: { name }`). */
function lookup(event: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(event, path)) return event[path]
  let at: unknown = event
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return at
}
