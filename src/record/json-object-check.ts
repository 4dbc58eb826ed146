/**
 * Is this text exactly one JSON object, on one line? A scan of the grammar (RFC 8259) that
 * builds nothing: cheaper than JSON.parse, which allocates every value just to throw it away.
 * It must start with `{` (no leading whitespace). Only space and tab count as whitespace here: a JSON text spread over lines is valid JSON
 * but not an NDJSON record, so it is answered false and the caller re-encodes it.
 * Nesting deeper than MAX_DEPTH is answered false too (the caller's careful path decides).
 */
const MAX_DEPTH = 256

// One stack of open containers, shared by every call (the scan never re-enters itself).
const stack = new Uint8Array(MAX_DEPTH)
const OBJECT = 0
const ARRAY = 1
/** Control characters are never allowed inside JSON strings: one native regex test rules them out everywhere. */
const CONTROL = /[\u0000-\u001f]/
/** Position of the next backslash at or after the scan (s.length when none): strings without one are skipped with indexOf. */
let nextBackslash = 0

/** For strings (UTF-16 code units; anything at or above U+0020 may sit inside a string). */
export function isJsonObjectText(s: string): boolean {
  const n = s.length
  let i = 0
  let depth = 0
  let c = s.charCodeAt(i)
  // A record starts with its brace (the engine splices fields in right after it).
  if (c !== 0x7b) return false
  // Tabs between tokens are valid but rare: such texts take the caller's careful path.
  if (CONTROL.test(s)) return false
  nextBackslash = -1
  // state: 0 expects a value, 1 expects a key (or the end of an empty object), 2 after a value
  let state = 0
  for (;;) {
    if (state === 0) {
      while (c === 0x20 || c === 0x09) c = s.charCodeAt(++i)
      if (c === 0x7b || c === 0x5b) {
        if (depth === MAX_DEPTH) return false
        stack[depth++] = c === 0x7b ? OBJECT : ARRAY
        c = s.charCodeAt(++i)
        while (c === 0x20 || c === 0x09) c = s.charCodeAt(++i)
        if (stack[depth - 1] === OBJECT) {
          if (c === 0x7d) {
            depth--
            c = s.charCodeAt(++i)
            state = 2
          } else state = 1
        } else if (c === 0x5d) {
          depth--
          c = s.charCodeAt(++i)
          state = 2
        }
        continue
      }
      if (c === 0x22) i = stringEnd(s, i)
      else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) i = numberEnd(s, i)
      else if (c === 0x74) i = s.startsWith('true', i) ? i + 4 : -1
      else if (c === 0x66) i = s.startsWith('false', i) ? i + 5 : -1
      else if (c === 0x6e) i = s.startsWith('null', i) ? i + 4 : -1
      else return false
      if (i < 0) return false
      c = s.charCodeAt(i)
      state = 2
    } else if (state === 1) {
      while (c === 0x20 || c === 0x09) c = s.charCodeAt(++i)
      if (c !== 0x22) return false
      i = stringEnd(s, i)
      if (i < 0) return false
      c = s.charCodeAt(i)
      while (c === 0x20 || c === 0x09) c = s.charCodeAt(++i)
      if (c !== 0x3a) return false
      c = s.charCodeAt(++i)
      state = 0
    } else {
      while (c === 0x20 || c === 0x09) c = s.charCodeAt(++i)
      if (depth === 0) return i === n
      const top = stack[depth - 1]
      if (c === 0x2c) {
        c = s.charCodeAt(++i)
        state = top === OBJECT ? 1 : 0
      } else if ((c === 0x7d && top === OBJECT) || (c === 0x5d && top === ARRAY)) {
        depth--
        c = s.charCodeAt(++i)
      } else return false
    }
  }
}

/** Index just past the string starting at `i` (a quote), or -1. Control characters were ruled out before. */
function stringEnd(s: string, i: number): number {
  const close = s.indexOf('"', i + 1)
  if (close < 0) return -1
  if (nextBackslash < i) {
    nextBackslash = s.indexOf('\\', i)
    if (nextBackslash < 0) nextBackslash = s.length
  }
  if (nextBackslash > close) return close + 1
  // an escape in this string: char by char
  const n = s.length
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x22) return i + 1
    if (c === 0x5c) {
      const e = s.charCodeAt(++i)
      if (e === 0x75) {
        if (!isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2)) || !isHex(s.charCodeAt(i + 3)) || !isHex(s.charCodeAt(i + 4))) return -1
        i += 4
      } else if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return -1
    }
  }
  return -1
}

/** Index just past the number starting at `i`, or -1: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
function numberEnd(s: string, i: number): number {
  let c = s.charCodeAt(i)
  if (c === 0x2d) c = s.charCodeAt(++i)
  if (c === 0x30) c = s.charCodeAt(++i)
  else if (c >= 0x31 && c <= 0x39) {
    do c = s.charCodeAt(++i)
    while (c >= 0x30 && c <= 0x39)
  } else return -1
  if (c === 0x2e) {
    c = s.charCodeAt(++i)
    if (!(c >= 0x30 && c <= 0x39)) return -1
    do c = s.charCodeAt(++i)
    while (c >= 0x30 && c <= 0x39)
  }
  if (c === 0x65 || c === 0x45) {
    c = s.charCodeAt(++i)
    if (c === 0x2b || c === 0x2d) c = s.charCodeAt(++i)
    if (!(c >= 0x30 && c <= 0x39)) return -1
    do c = s.charCodeAt(++i)
    while (c >= 0x30 && c <= 0x39)
  }
  return i
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
}
