import type { Json } from './log-model.js'
import { KeyCache, type Field, type PathKey } from './key-cache.js'

export type { Field } from './key-cache.js'

/** What one flattened field's value is; its bytes are `starts[i]`..`ends[i]` of the record. */
export const STRING = 1 // a string without escapes: its bytes are its UTF-8
export const ESCAPED = 2 // a string with escapes: decoded into `values`
export const NUMBER = 3 // in `numbers`
export const TRUE = 4
export const FALSE = 5
export const NULL = 6
const ARRAY = 7 // parsed into `values`
export const EMPTY_OBJECT = 8 // `{}` stays a value (an empty kvlist), as in logModelOf

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COLON = 0x3a
const COMMA = 0x2c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const MINUS = 0x2d
const ZERO = 0x30
const NINE = 0x39
const DOT = 0x2e
/** Deeper nesting is left to JSON.parse (the object path). */
const MAX_DEPTH = 64

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 16777619

/** The scan met something it does not map the way JSON.parse + logModelOf would: the caller takes the object path. */
class NotScannable extends Error {}
const NOT_SCANNABLE = new NotScannable()

/**
 * One record's JSON text flattened in one scan, without building objects: each leaf field
 * (a nested object's fields as dotted keys, `{ req: { method } }` → `req.method`) as a key and
 * where its value's bytes are. Reused record after record: its arrays only grow.
 *
 * `scan` gives false (and the caller parses the record as an object) for anything whose
 * flattening JSON.parse would order or merge differently: a key written twice at any level
 * or a dotted key that meets a nested one (`a.b` and `{ a: { b } }`), keys that look like
 * array indexes (JSON.parse puts those first), keys with `\` escapes, nesting deeper than 64,
 * and text that is not one JSON object. The caller checks the record is valid UTF-8 first.
 * Arrays and strings with escapes are decoded with JSON.parse.
 */
export class FlatRecord {
  count = 0
  /** Each field's flattened key. */
  keys: PathKey[] = []
  kinds = new Uint8Array(32)
  starts = new Int32Array(32)
  ends = new Int32Array(32)
  numbers = new Float64Array(32)
  values: Json[] = []
  /** 1 when a LogRecord field (time, severity, body, ids) was read from it: not an attribute. */
  taken = new Uint8Array(32)
  buf: Buffer = Buffer.alloc(0)
  hasResource = false

  readonly #keys: KeyCache
  /** Which record this is: a Field seen in this record has this serial. */
  #serial = 0
  #pos = 0
  #end = 0

  /** `resourceKeys`: top-level keys whose fields are Resource attributes. */
  constructor(resourceKeys: ReadonlySet<string>) {
    this.#keys = new KeyCache(resourceKeys)
  }

  /** The holder of a flattened key, to look it up in record after record (`indexOf`). */
  field(key: string): Field {
    return this.#keys.field(key)
  }

  scan(record: Buffer): boolean {
    this.buf = record
    this.#pos = 0
    this.#end = record.length
    this.count = 0
    this.hasResource = false
    this.#keys.trim()
    this.#serial++
    try {
      this.#skipSpace()
      if (record[this.#pos] !== OPEN_BRACE) return false
      this.#pos++
      this.#members(undefined, 0)
      this.#skipSpace()
      return this.#pos === this.#end
    } catch (err) {
      if (err instanceof NotScannable || err instanceof SyntaxError) return false
      throw err
    }
  }

  /** The field index of a flattened key in this record when it is a log field (not a Resource one), or -1. */
  indexOf(field: Field): number {
    return field.seen !== this.#serial || field.index < 0 || this.keys[field.index]!.resource ? -1 : field.index
  }

  /** The value of field `index` as JSON.parse would give it. */
  valueOf(index: number): Json {
    switch (this.kinds[index]) {
      case STRING:
        return this.buf.toString('utf8', this.starts[index], this.ends[index])
      case NUMBER:
        return this.numbers[index]!
      case TRUE:
        return true
      case FALSE:
        return false
      case NULL:
        return null
      case EMPTY_OBJECT:
        return {}
      default:
        return this.values[index]!
    }
  }

  /** The fields of an object, after its `{`, through its `}`; `parent` is the object's key (undefined: the record). */
  #members(parent: PathKey | undefined, depth: number): void {
    if (depth > MAX_DEPTH) throw NOT_SCANNABLE
    const buf = this.buf
    this.#skipSpace()
    if (buf[this.#pos] === CLOSE_BRACE) {
      this.#pos++
      return
    }
    for (;;) {
      this.#skipSpace()
      if (buf[this.#pos] !== QUOTE) throw NOT_SCANNABLE
      const key = this.#key(parent)
      this.#skipSpace()
      if (buf[this.#pos] !== COLON) throw NOT_SCANNABLE
      this.#pos++
      this.#skipSpace()
      if (key.resource) this.hasResource = true
      this.#value(key, depth)
      this.#skipSpace()
      const c = buf[this.#pos++]
      if (c === CLOSE_BRACE) return
      if (c !== COMMA) throw NOT_SCANNABLE
    }
  }

  #value(key: PathKey, depth: number): void {
    const buf = this.buf
    const start = this.#pos
    const c = buf[start]
    if (c === OPEN_BRACE) {
      this.#pos++
      this.#skipSpace()
      if (buf[this.#pos] === CLOSE_BRACE) {
        this.#pos++
        this.#add(key, EMPTY_OBJECT, start, this.#pos)
        return
      }
      this.#claim(key, -1)
      this.#members(key, depth + 1)
      return
    }
    if (c === QUOTE) {
      const escaped = this.#string()
      const index = this.#add(key, escaped ? ESCAPED : STRING, start + 1, this.#pos - 1)
      if (escaped) this.values[index] = JSON.parse(buf.toString('utf8', start, this.#pos)) as string
      return
    }
    if (c === OPEN_BRACKET) {
      this.#skipArray()
      const index = this.#add(key, ARRAY, start, this.#pos)
      this.values[index] = JSON.parse(buf.toString('utf8', start, this.#pos)) as Json
      return
    }
    if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) {
      const number = this.#number()
      const index = this.#add(key, NUMBER, start, this.#pos)
      this.numbers[index] = number
      return
    }
    if (this.#literal('true')) this.#add(key, TRUE, start, this.#pos)
    else if (this.#literal('false')) this.#add(key, FALSE, start, this.#pos)
    else if (this.#literal('null')) this.#add(key, NULL, start, this.#pos)
    else throw NOT_SCANNABLE
  }

  #add(key: PathKey, kind: number, start: number, end: number): number {
    const index = this.count++
    if (index === this.kinds.length) this.#grow()
    this.#claim(key, index)
    this.keys[index] = key
    this.kinds[index] = kind
    this.starts[index] = start
    this.ends[index] = end
    this.taken[index] = 0
    return index
  }

  /** Marks a flattened key seen; one seen before in this record means JSON.parse would merge or replace: not scannable. */
  #claim(key: PathKey, index: number): void {
    const field = key.field
    if (field.seen === this.#serial) throw NOT_SCANNABLE
    field.seen = this.#serial
    field.index = index
  }

  #grow(): void {
    const size = this.kinds.length * 2
    const grow = <T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T => (to.set(from), to)
    this.kinds = grow(this.kinds, new Uint8Array(size))
    this.starts = grow(this.starts, new Int32Array(size))
    this.ends = grow(this.ends, new Int32Array(size))
    this.numbers = grow(this.numbers, new Float64Array(size))
    this.taken = grow(this.taken, new Uint8Array(size))
  }

  /**
   * A member name, as the key it makes under `parent`. Names with escapes are not scannable
   * (two spellings of one name would be two keys here), nor are names that look like array
   * indexes (JSON.parse orders them first).
   */
  #key(parent: PathKey | undefined): PathKey {
    const buf = this.buf
    const start = this.#pos + 1
    let pos = start
    let hash = parent ? Math.imul(parent.hash ^ DOT, FNV_PRIME) : FNV_OFFSET
    for (;;) {
      const c = buf[pos]
      if (c === undefined || c === BACKSLASH || c < 0x20) throw NOT_SCANNABLE
      if (c === QUOTE) break
      hash = Math.imul(hash ^ c, FNV_PRIME)
      pos++
    }
    this.#pos = pos + 1
    const first = buf[start]
    if (first !== undefined && first >= ZERO && first <= NINE) throw NOT_SCANNABLE
    return this.#keys.key(parent, buf, start, pos, hash >>> 0)
  }

  /** Moves past a string (at its opening quote); says whether it has escapes. */
  #string(): boolean {
    const buf = this.buf
    const end = this.#end
    let pos = this.#pos + 1
    let escaped = false
    for (;;) {
      if (pos >= end) throw NOT_SCANNABLE
      const c = buf[pos]!
      if (c === QUOTE) break
      if (c === BACKSLASH) {
        escaped = true
        pos += 2
        continue
      }
      if (c < 0x20) throw NOT_SCANNABLE
      pos++
    }
    this.#pos = pos + 1
    return escaped
  }

  /** Moves past an array (JSON.parse checks its content afterwards). */
  #skipArray(): void {
    const buf = this.buf
    let depth = 0
    while (this.#pos < this.#end) {
      const c = buf[this.#pos]
      if (c === QUOTE) {
        this.#string()
        continue
      }
      this.#pos++
      if (c === OPEN_BRACKET || c === OPEN_BRACE) depth++
      else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
        if (--depth === 0) return
      }
    }
    throw NOT_SCANNABLE
  }

  /** A number in JSON's grammar (no leading zeros, no `+`, digits on both sides of a `.`). */
  #number(): number {
    const buf = this.buf
    const start = this.#pos
    let pos = start
    if (buf[pos] === MINUS) pos++
    let c = buf[pos]
    if (c === ZERO) pos++
    else if (c !== undefined && c > ZERO && c <= NINE) {
      let value = 0
      let digits = 0
      while (c !== undefined && c >= ZERO && c <= NINE) {
        value = value * 10 + (c - ZERO)
        digits++
        c = buf[++pos]
      }
      // a plain integer of up to 15 digits is exact as it was summed
      if (digits <= 15 && c !== DOT && c !== 0x65 && c !== 0x45) {
        this.#pos = pos
        return buf[start] === MINUS ? -value : value
      }
    } else throw NOT_SCANNABLE
    c = buf[pos]
    if (c === DOT) {
      pos++
      if (!this.#isDigit(buf[pos])) throw NOT_SCANNABLE
      while (this.#isDigit(buf[pos])) pos++
    }
    c = buf[pos]
    if (c === 0x65 || c === 0x45) {
      pos++
      if (buf[pos] === 0x2b || buf[pos] === MINUS) pos++
      if (!this.#isDigit(buf[pos])) throw NOT_SCANNABLE
      while (this.#isDigit(buf[pos])) pos++
    }
    this.#pos = pos
    return Number(buf.toString('latin1', start, pos))
  }

  #isDigit(c: number | undefined): boolean {
    return c !== undefined && c >= ZERO && c <= NINE
  }

  #literal(word: string): boolean {
    const buf = this.buf
    const pos = this.#pos
    for (let i = 0; i < word.length; i++) if (buf[pos + i] !== word.charCodeAt(i)) return false
    this.#pos = pos + word.length
    return true
  }

  #skipSpace(): void {
    const buf = this.buf
    let pos = this.#pos
    for (;;) {
      const c = buf[pos]
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++
      else break
    }
    this.#pos = pos
  }
}
