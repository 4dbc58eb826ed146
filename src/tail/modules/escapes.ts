/**
 * Undoes the escaping web servers apply to logged strings: apache writes `\"`, `\\`,
 * `\n`-style escapes and `\xhh`; nginx writes `\x22` for `"`, `\x5C` for `\` and `\xHH`
 * for every byte outside printable ASCII (so UTF-8 text arrives as several `\xHH`).
 * Escaped bytes are decoded as UTF-8; invalid sequences become U+FFFD.
 */

const SIMPLE: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t', b: '\b', v: '\v', f: '\f' }
const utf8 = new TextDecoder('utf-8')

export function unescapeLogText(text: string): string {
  if (text.indexOf('\\') < 0) return text
  let out = ''
  let bytes: number[] = []
  const flushBytes = () => {
    if (bytes.length > 0) {
      out += utf8.decode(Uint8Array.from(bytes))
      bytes = []
    }
  }
  let i = 0
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === 92 /* \ */ && i + 1 < text.length) {
      const next = text[i + 1]!
      if (next === 'x' || next === 'X') {
        const byte = hexByte(text, i + 2)
        if (byte >= 0) {
          bytes.push(byte)
          i += 4
          continue
        }
      }
      const simple = SIMPLE[next]
      if (simple !== undefined) {
        flushBytes()
        out += simple
        i += 2
        continue
      }
    }
    flushBytes()
    out += text[i]
    i++
  }
  flushBytes()
  return out
}

function hexByte(text: string, at: number): number {
  if (at + 2 > text.length) return -1
  const hi = hexDigit(text.charCodeAt(at))
  const lo = hexDigit(text.charCodeAt(at + 1))
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  const lower = c | 0x20
  if (lower >= 97 && lower <= 102) return lower - 87
  return -1
}

/**
 * Index of the `"` that closes a quoted field whose text starts at `start`, skipping
 * backslash escapes (`\"`, `\\`). -1 when the line ends first.
 */
export function closingQuote(text: string, start: number): number {
  let quote = text.indexOf('"', start)
  while (quote > 0 && text.charCodeAt(quote - 1) === 92 /* \\ */) {
    // Escaped only when an odd number of backslashes precede it (`\\"` closes the field).
    let backslashes = 1
    while (quote - backslashes - 1 >= start && text.charCodeAt(quote - backslashes - 1) === 92) backslashes++
    if (backslashes % 2 === 0) break
    quote = text.indexOf('"', quote + 1)
  }
  return quote
}
