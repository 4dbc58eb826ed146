import type { Json } from './log-model.js'

/** What one flattened field's value is; its bytes are `starts[i]`..`ends[i]` of the record. */
export const STRING = 1 // a string without escapes: its bytes are its UTF-8
export const ESCAPED = 2 // a string with escapes: decoded into `values`
export const NUMBER = 3 // in `numbers`
export const TRUE = 4
export const FALSE = 5
export const NULL = 6
export const ARRAY = 7 // parsed into `values`
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
 * array indexes (JSON.parse puts those first), nesting deeper than 64, and text that is not
 * one JSON object. Arrays are parsed with JSON.parse (their items keep their structure).
 */
export class FlatRecord {
  count = 0
  keys: string[] = []
  kinds = new Uint8Array(32)
  starts = new Int32Array(32)
  ends = new Int32Array(32)
  numbers = new Float64Array(32)
  values: Json[] = []
  /** 1 when the field's top-level key is one of resourceKeys: a Resource attribute. */
  inResource = new Uint8Array(32)
  /** 1 when a LogRecord field (time, severity, body, ids) was read from it: not an attribute. */
  taken = new Uint8Array(32)
  buf: Buffer = Buffer.alloc(0)
  hasResource = false

  /** flattened key → field index, or -1 for the key of a non-empty object. */
  readonly #paths = new Map<string, number>()
  #pos = 0
  #end = 0
  #resourceKeys: ReadonlySet<string> = new Set()

  scan(record: Buffer, resourceKeys: ReadonlySet<string>): boolean {
    this.buf = record
    this.#pos = 0
    this.#end = record.length
    this.count = 0
    this.hasResource = false
    this.#paths.clear()
    this.#resourceKeys = resourceKeys
    try {
      this.#skipSpace()
      if (record[this.#pos] !== OPEN_BRACE) return false
      this.#pos++
      this.#members('', 0)
      this.#skipSpace()
      return this.#pos === this.#end
    } catch (err) {
      if (err instanceof NotScannable || err instanceof SyntaxError) return false
      throw err
    }
  }

  /** The field index of a flattened key that is a log field (not a Resource one), or -1. */
  indexOf(key: string): number {
    const index = this.#paths.get(key)
    return index === undefined || index < 0 || this.inResource[index] === 1 ? -1 : index
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

  /** The fields of an object, after its `{`, through its `}`; `prefix` is the object's flattened key (depth 0: the record). */
  #members(prefix: string, depth: number): void {
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
      const name = this.#key()
      this.#skipSpace()
      if (buf[this.#pos] !== COLON) throw NOT_SCANNABLE
      this.#pos++
      this.#skipSpace()
      if (depth === 0) {
        const dot = name.indexOf('.')
        const resource = this.#resourceKeys.has(dot < 0 ? name : name.slice(0, dot))
        if (resource) this.hasResource = true
        this.#value(name, depth, resource)
      } else this.#value(`${prefix}.${name}`, depth, this.#currentResource)
      this.#skipSpace()
      const c = buf[this.#pos++]
      if (c === CLOSE_BRACE) return
      if (c !== COMMA) throw NOT_SCANNABLE
    }
  }

  /** Whether the top-level field being scanned goes to the Resource (nested fields follow their top-level key). */
  #currentResource = false

  #value(path: string, depth: number, resource: boolean): void {
    const buf = this.buf
    const start = this.#pos
    const c = buf[start]
    if (c === OPEN_BRACE) {
      this.#pos++
      this.#skipSpace()
      if (buf[this.#pos] === CLOSE_BRACE) {
        this.#pos++
        this.#add(path, EMPTY_OBJECT, start, this.#pos, resource)
        return
      }
      this.#claim(path, -1)
      const outer = this.#currentResource
      this.#currentResource = resource
      this.#members(path, depth + 1)
      this.#currentResource = outer
      return
    }
    if (c === QUOTE) {
      const escaped = this.#string()
      const index = this.#add(path, escaped ? ESCAPED : STRING, start + 1, this.#pos - 1, resource)
      if (escaped) this.values[index] = JSON.parse(buf.toString('utf8', start, this.#pos)) as string
      return
    }
    if (c === OPEN_BRACKET) {
      this.#skipArray()
      const index = this.#add(path, ARRAY, start, this.#pos, resource)
      this.values[index] = JSON.parse(buf.toString('utf8', start, this.#pos)) as Json
      return
    }
    if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) {
      const number = this.#number()
      const index = this.#add(path, NUMBER, start, this.#pos, resource)
      this.numbers[index] = number
      return
    }
    if (this.#literal('true')) this.#add(path, TRUE, start, this.#pos, resource)
    else if (this.#literal('false')) this.#add(path, FALSE, start, this.#pos, resource)
    else if (this.#literal('null')) this.#add(path, NULL, start, this.#pos, resource)
    else throw NOT_SCANNABLE
  }

  #add(path: string, kind: number, start: number, end: number, resource: boolean): number {
    const index = this.count++
    if (index === this.kinds.length) this.#grow()
    this.#claim(path, index)
    this.keys[index] = path
    this.kinds[index] = kind
    this.starts[index] = start
    this.ends[index] = end
    this.inResource[index] = resource ? 1 : 0
    this.taken[index] = 0
    return index
  }

  /** Records a flattened key; one seen before means JSON.parse would merge or replace: not scannable. */
  #claim(path: string, index: number): void {
    const before = this.#paths.size
    this.#paths.set(path, index)
    if (this.#paths.size === before) throw NOT_SCANNABLE
  }

  #grow(): void {
    const size = this.kinds.length * 2
    const grow = <T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T => (to.set(from), to)
    this.kinds = grow(this.kinds, new Uint8Array(size))
    this.starts = grow(this.starts, new Int32Array(size))
    this.ends = grow(this.ends, new Int32Array(size))
    this.numbers = grow(this.numbers, new Float64Array(size))
    this.inResource = grow(this.inResource, new Uint8Array(size))
    this.taken = grow(this.taken, new Uint8Array(size))
  }

  /** A member name. Names that look like array indexes are not scannable (JSON.parse orders them first). */
  #key(): string {
    const buf = this.buf
    const start = this.#pos + 1
    const escaped = this.#string()
    const first = buf[start]
    if (first !== undefined && first >= ZERO && first <= NINE) throw NOT_SCANNABLE
    if (escaped) {
      const name = JSON.parse(buf.toString('utf8', start - 1, this.#pos)) as string
      const code = name.charCodeAt(0)
      if (code >= ZERO && code <= NINE) throw NOT_SCANNABLE
      return name
    }
    return buf.toString('utf8', start, this.#pos - 1)
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
