/**
 * Elasticsearch (and every data stream) wants `@timestamp`. The engine stamps events that
 * have neither `@timestamp` nor `time`; here events that carry only a `time` (pino writes
 * epoch milliseconds there) get an `@timestamp` copied from it, spliced in after the opening
 * brace. The record is never parsed and re-serialized.
 */

const TIMESTAMP_KEY = Buffer.from('"@timestamp"')
const TIME_KEY = Buffer.from('"time"')
const QUOTE = 0x22
const BACKSLASH = 0x5c

export function withTimestamp(record: Buffer): Buffer {
  if (startsWithTimestamp(record) || record.indexOf(TIMESTAMP_KEY) !== -1) return record
  if (record.indexOf(TIME_KEY) === -1) return record
  const value = topLevelTimeValue(record)
  if (!value) return record
  const iso = timestampText(record, value.start, value.end)
  if (!iso) return record
  const head = Buffer.from(`{"@timestamp":${iso},`, 'latin1')
  return Buffer.concat([head, record.subarray(1)], head.length + record.length - 1)
}

/** The engine puts the `@timestamp` it adds first: checking 13 bytes saves a search per record. */
function startsWithTimestamp(record: Buffer): boolean {
  if (record.length < 14 || record[0] !== 0x7b) return false
  for (let i = 0; i < TIMESTAMP_KEY.length; i++) if (record[i + 1] !== TIMESTAMP_KEY[i]) return false
  return true
}

/**
 * The last `time` value seen and its `@timestamp` text: a logger writes many records within
 * one millisecond, and the regex, Date and toISOString cost more than the rest of the splice.
 */
let lastTimeText = ''
let lastTimestamp: string | undefined

/** The JSON text to use for `@timestamp`, or undefined when `time` is not a usable time. */
function timestampText(record: Buffer, start: number, end: number): string | undefined {
  const text = record.toString('latin1', start, end)
  if (text === lastTimeText) return lastTimestamp
  lastTimestamp = timestampOf(text)
  lastTimeText = text
  return lastTimestamp
}

function timestampOf(text: string): string | undefined {
  // an ISO string is copied as it is (quotes included); anything else is left alone
  if (text.charCodeAt(0) === QUOTE) return /^"\d{4}-\d{2}-\d{2}T[^"\\]*"$/.test(text) ? text : undefined
  if (!/^\d{9,16}(\.\d+)?$/.test(text)) return undefined
  const ms = Number(text)
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? undefined : `"${date.toISOString()}"`
}

/**
 * Finds the value of the top-level key `time` (not one nested in an object or array).
 * Stops as soon as it is found; pino puts it second, so this reads a few dozen bytes.
 */
function topLevelTimeValue(record: Buffer): { start: number; end: number } | undefined {
  let depth = 0
  let expectKey = false
  for (let i = 0; i < record.length; i++) {
    const c = record[i]!
    if (c === QUOTE) {
      const close = stringEnd(record, i)
      if (close === -1) return undefined
      if (depth === 1 && expectKey && close - i === 5 && record.toString('latin1', i + 1, close) === 'time') {
        let at = close + 1
        while (isSpace(record[at])) at++
        if (record[at] !== 0x3a) return undefined
        at++
        while (isSpace(record[at])) at++
        const end = record[at] === QUOTE ? stringEnd(record, at) + 1 : scalarEnd(record, at)
        return end > at ? { start: at, end } : undefined
      }
      expectKey = false
      i = close
    } else if (c === 0x7b || c === 0x5b) {
      depth++
      expectKey = c === 0x7b
    } else if (c === 0x7d || c === 0x5d) {
      depth--
    } else if (c === 0x2c) {
      expectKey = true // only read at depth 1, where a comma is always followed by a key
    }
  }
  return undefined
}

function stringEnd(record: Buffer, open: number): number {
  for (let i = open + 1; i < record.length; i++) {
    const c = record[i]
    if (c === BACKSLASH) i++
    else if (c === QUOTE) return i
  }
  return -1
}

function scalarEnd(record: Buffer, at: number): number {
  let i = at
  while (i < record.length) {
    const c = record[i]!
    if (c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c)) break
    i++
  }
  return i
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
}
