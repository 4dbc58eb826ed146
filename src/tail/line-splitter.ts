export type Encoding = 'utf8' | 'latin1' | 'utf16le'

/** Receives one complete line: its text (without the line end), where it starts and ends in the file. */
export type LineSink = (text: string, offset: number, end: number, truncated: boolean) => void

const EMPTY = Buffer.alloc(0)
const NL16 = Buffer.from([0x0a, 0x00])
const BOMS: Record<Encoding, Buffer | undefined> = { utf8: Buffer.from([0xef, 0xbb, 0xbf]), utf16le: Buffer.from([0xff, 0xfe]), latin1: undefined }

/**
 * Cuts a byte stream into lines across read boundaries. Keeps at most one unfinished line
 * (up to `maxLineBytes`); a longer line is shipped cut at `maxLineBytes` (flagged truncated)
 * and the rest of it, up to its line end, is skipped. `\r\n` and `\n` both end a line.
 * Invalid UTF-8 becomes U+FFFD. A byte-order mark at offset 0 is skipped.
 */
export class LineSplitter {
  readonly #encoding: Encoding
  readonly #max: number
  /** Bytes of the unfinished line, starting at file offset #carryStart. */
  #carry: Buffer = EMPTY
  #carryStart = 0
  /** Next byte offset expected from push(). */
  #position = 0
  /** Inside a line that was already shipped cut: drop bytes until its end. */
  #skipping = false
  #skippedFrom = 0

  constructor(encoding: Encoding, maxLineBytes: number, startOffset = 0) {
    this.#encoding = encoding
    this.#max = encoding === 'utf16le' ? maxLineBytes & ~1 : maxLineBytes
    this.reset(startOffset)
  }

  /** Forgets any unfinished line; the next push starts at `offset`. */
  reset(offset: number): void {
    this.#carry = EMPTY
    this.#carryStart = offset
    this.#position = offset
    this.#skipping = false
  }

  /**
   * Offset of the first byte not yet shipped as (part of) a line: where reading must start
   * again after a restart so that no line is lost.
   */
  get safeOffset(): number {
    return this.#skipping ? this.#skippedFrom : this.#carryStart
  }

  /** Bytes held for an unfinished line. */
  get carriedBytes(): number {
    return this.#carry.length
  }

  /** Splits `chunk[0, length)`, which starts at the file offset after the last push. */
  push(chunk: Buffer, length: number, sink: LineSink): void {
    let buf = chunk.subarray(0, length)
    let base = this.#position
    this.#position += length
    if (this.#carry.length > 0) {
      buf = Buffer.concat([this.#carry, buf])
      base = this.#carryStart
      this.#carry = EMPTY
    }
    let start = 0
    if (base === 0) start = this.#bomLength(buf)
    while (start < buf.length) {
      const nl = this.#findLineEnd(buf, start)
      if (nl === -1) break
      const next = nl + (this.#encoding === 'utf16le' ? 2 : 1)
      if (this.#skipping) {
        this.#skipping = false
      } else {
        this.#emit(buf, start, nl, base, base + next, sink)
      }
      start = next
    }
    if (this.#skipping) {
      this.#carryStart = base + buf.length
      return
    }
    const rest = buf.length - start
    if (rest > this.#max) {
      // A line longer than maxLineBytes with no end in sight: ship its head now, skip the rest.
      this.#emit(buf, start, start + this.#max, base, base + start + this.#max, sink, true)
      this.#skipping = true
      this.#skippedFrom = base + start
      this.#carryStart = base + buf.length
      return
    }
    this.#carryStart = base + start
    // Copy: the caller reuses its read buffer.
    this.#carry = rest > 0 ? Buffer.from(buf.subarray(start)) : EMPTY
  }

  /** Ships the unfinished line, if any (end of stdin, end of a file in --once mode). */
  flush(sink: LineSink): void {
    if (this.#skipping) {
      this.#skipping = false
      this.#carryStart = this.#position
      return
    }
    if (this.#carry.length === 0) return
    const carry = this.#carry
    const start = this.#carryStart
    this.#carry = EMPTY
    this.#carryStart = this.#position
    this.#emit(carry, 0, carry.length, start, start + carry.length, sink)
  }

  #emit(buf: Buffer, from: number, to: number, base: number, end: number, sink: LineSink, forceTruncated = false): void {
    let stop = to
    if (this.#encoding === 'utf16le') {
      if (stop - 2 >= from && buf[stop - 2] === 0x0d && buf[stop - 1] === 0) stop -= 2
    } else if (stop > from && buf[stop - 1] === 0x0d) {
      stop--
    }
    let truncated = forceTruncated
    if (stop - from > this.#max) {
      stop = from + this.#max
      truncated = true
    }
    if (truncated && this.#encoding === 'utf8') stop = utf8Boundary(buf, from, stop)
    sink(buf.toString(this.#encoding, from, stop), base + from, end, truncated)
  }

  #findLineEnd(buf: Buffer, from: number): number {
    if (this.#encoding !== 'utf16le') return buf.indexOf(0x0a, from)
    let at = from
    for (;;) {
      const nl = buf.indexOf(NL16, at)
      if (nl === -1 || (nl - from) % 2 === 0) return nl
      at = nl + 1
    }
  }

  #bomLength(buf: Buffer): number {
    const bom = BOMS[this.#encoding]
    return bom && buf.length >= bom.length && buf.subarray(0, bom.length).equals(bom) ? bom.length : 0
  }
}

/** Moves a cut back so it does not split a UTF-8 sequence. */
function utf8Boundary(buf: Buffer, from: number, stop: number): number {
  let at = stop
  while (at > from && stop - at < 4 && ((buf[at] ?? 0) & 0xc0) === 0x80) at--
  return at
}
