/**
 * Index names with date placeholders, e.g. `logs-app-%{+yyyy.MM.dd}` (the Logstash / Beats
 * syntax). The date comes from the event's `@timestamp` (UTC), found by a byte-level scan,
 * so an event lands in the index of the day it happened, not the day it was shipped.
 */

type Part = string | Token
type Token = 'yyyy' | 'yy' | 'MM' | 'dd' | 'HH'
const TOKENS: readonly Token[] = ['yyyy', 'yy', 'MM', 'dd', 'HH']
const PLACEHOLDER = /%\{([^}]*)\}/g

export interface IndexTemplate {
  readonly parts: readonly Part[]
  /** Plain words when the template cannot be used. */
  readonly problem?: string
}

export function parseIndexTemplate(template: string): IndexTemplate {
  const parts: Part[] = []
  let last = 0
  for (const match of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(last, match.index))
    last = match.index + match[0].length
    const format = match[1]!
    if (!format.startsWith('+')) {
      return { parts, problem: `"${match[0]}" is not supported; only date placeholders such as %{+yyyy.MM.dd} are` }
    }
    let rest = format.slice(1)
    while (rest.length > 0) {
      const token = TOKENS.find((t) => rest.startsWith(t))
      if (token) {
        parts.push(token)
        rest = rest.slice(token.length)
      } else if (/^[A-Za-z]/.test(rest)) {
        return { parts, problem: `"${match[0]}" has an unknown date field at "${rest}"; expected yyyy, yy, MM, dd or HH` }
      } else {
        parts.push(rest[0]!)
        rest = rest.slice(1)
      }
    }
  }
  parts.push(template.slice(last))
  if (template.includes('%{') && !parts.some((p) => TOKENS.includes(p as Token))) {
    return { parts, problem: `"${template}" has an unclosed or empty placeholder; expected e.g. logs-app-%{+yyyy.MM.dd}` }
  }
  return { parts: parts.filter((p) => p !== '') }
}

export function isDynamic(template: IndexTemplate): boolean {
  return template.parts.some((p) => TOKENS.includes(p as Token))
}

const TIMESTAMP_KEY = Buffer.from('"@timestamp"')

/**
 * Resolves the index for one record. Names are cached per hour, so the work per record is
 * one native `indexOf` plus reading a few digits.
 */
export class IndexNamer {
  readonly #template: IndexTemplate
  readonly #cache = new Map<number, string>()

  constructor(template: IndexTemplate) {
    this.#template = template
  }

  nameFor(record: Uint8Array, now: number): string {
    return this.nameForHour(hourOf(record) ?? hourOfMs(now))
  }

  /** For a given time (dead letters use the time they failed). */
  nameAt(ms: number): string {
    return this.nameForHour(hourOfMs(ms))
  }

  nameForHour(hour: number): string {
    let name = this.#cache.get(hour)
    if (name === undefined) {
      name = this.#format(hour)
      if (this.#cache.size > 1000) this.#cache.clear()
      this.#cache.set(hour, name)
    }
    return name
  }

  #format(hour: number): string {
    const y = Math.floor(hour / 1_000_000)
    const m = Math.floor(hour / 10_000) % 100
    const d = Math.floor(hour / 100) % 100
    const h = hour % 100
    let out = ''
    for (const part of this.#template.parts) {
      if (part === 'yyyy') out += String(y).padStart(4, '0')
      else if (part === 'yy') out += String(y % 100).padStart(2, '0')
      else if (part === 'MM') out += pad2(m)
      else if (part === 'dd') out += pad2(d)
      else if (part === 'HH') out += pad2(h)
      else out += part
    }
    return out
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** yyyymmddhh as one number. */
function hourOfMs(ms: number): number {
  const date = new Date(ms)
  return date.getUTCFullYear() * 1_000_000 + (date.getUTCMonth() + 1) * 10_000 + date.getUTCDate() * 100 + date.getUTCHours()
}

const QUOTE = 0x22
const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
const digit = (c: number | undefined): number => (c !== undefined && c >= 0x30 && c <= 0x39 ? c - 0x30 : -1)

/**
 * The hour of the record's `@timestamp` (UTC), or undefined when it has none that can be read.
 * `"@timestamp"` followed by `:` can only be a key: inside a string its quotes would be escaped.
 */
export function hourOf(record: Uint8Array): number | undefined {
  const buf = Buffer.isBuffer(record) ? record : Buffer.from(record.buffer, record.byteOffset, record.byteLength)
  let at = buf.indexOf(TIMESTAMP_KEY)
  if (at === -1) return undefined
  at += TIMESTAMP_KEY.length
  while (isSpace(buf[at])) at++
  if (buf[at] !== 0x3a) return undefined
  at++
  while (isSpace(buf[at])) at++
  if (buf[at] !== QUOTE) {
    // epoch milliseconds
    let ms = 0
    let n = 0
    for (let d = digit(buf[at]); d >= 0; d = digit(buf[++at])) (ms = ms * 10 + d), n++
    return n > 0 ? hourOfMs(ms) : undefined
  }
  const start = at + 1
  const end = buf.indexOf(QUOTE, start)
  if (end === -1 || end - start < 13) return undefined
  // fast path: 2024-05-06T07... ending in Z (what logship and most loggers write)
  const fields = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12].map((i) => digit(buf[start + i]))
  const shaped = buf[start + 4] === 0x2d && buf[start + 7] === 0x2d && (buf[start + 10] === 0x54 || buf[start + 10] === 0x20)
  if (shaped && fields.every((f) => f >= 0) && buf[end - 1] === 0x5a) {
    const [y1, y2, y3, y4, m1, m2, d1, d2, h1, h2] = fields as [number, number, number, number, number, number, number, number, number, number]
    return (y1 * 1000 + y2 * 100 + y3 * 10 + y4) * 1_000_000 + (m1 * 10 + m2) * 10_000 + (d1 * 10 + d2) * 100 + h1 * 10 + h2
  }
  const ms = Date.parse(buf.toString('latin1', start, end))
  return Number.isNaN(ms) ? undefined : hourOfMs(ms)
}
