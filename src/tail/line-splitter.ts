import { utf8Cut } from '../util/utf8.js'

export type Encoding = 'utf8' | 'latin1' | 'utf16le'

/**
 * Receives one complete line as bytes `buf[from, to)` (line end removed, cut to maxLineBytes),
 * the file offsets where it starts and where the next line starts. `buf` is only valid
 * during the call.
 */
export type LineSink = (buf: Buffer, from: number, to: number, offset: number, end: number, truncated: boolean) => void

const EMPTY = Buffer.alloc(0)
const NL16 = Buffer.from([0x0a, 0x00])
const BOMS: Record<Encoding, Buffer | undefined> = { utf8: Buffer.from([0xef, 0xbb, 0xbf]), utf16le: Buffer.from([0xff, 0xfe]), latin1: undefined }

/**
 * Cuts a byte stream into lines across read boundaries. Keeps at most one unfinished line
 * (up to `maxLineBytes`); a longer line is shipped cut at `maxLineBytes` (flagged truncated)
 * and the rest of it, up to its line end, is skipped. `\r\n` and `\n` both end a line.
 * A cut never splits a UTF-8 sequence. A byte-order mark at offset 0 is skipped.
 */
export class LineSplitter {
  readonly #encoding: Encoding
  readonly #max: number
  /** Read buffer; its first #carryLen bytes are the unfinished line, starting at file offset #carryStart. */
  #buf: Buffer = EMPTY
  #carryLen = 0
  #carryStart = 0
  /** Next byte offset expected. */
  #position = 0
  /** Inside a line that was already shipped cut: drop bytes until its end. */
  #skipping = false
  #skippedFrom = 0

  constructor(encoding: Encoding, maxLineBytes: number, startOffset = 0) {
    this.#encoding = encoding
    this.#max = encoding === 'utf16le' ? maxLineBytes & ~1 : maxLineBytes
    this.reset(startOffset)
  }

  /** Forgets any unfinished line; the next bytes start at `offset`. */
  reset(offset: number): void {
    this.#carryLen = 0
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
    return this.#carryLen
  }

  /** Where to read up to `room` more bytes: `buffer[at, at + room)` (after the unfinished line). */
  readTarget(room: number): { buffer: Buffer; at: number } {
    if (this.#buf.length < this.#carryLen + room) {
      const bigger = Buffer.allocUnsafe(Math.max(this.#carryLen + room, 64 * 1024))
      this.#buf.copy(bigger, 0, 0, this.#carryLen)
      this.#buf = bigger
    }
    return { buffer: this.#buf, at: this.#carryLen }
  }

  /** Splits the `length` bytes just read into the readTarget buffer. */
  commit(length: number, sink: LineSink): void {
    const buf = this.#buf
    const base = this.#carryStart
    const end = this.#carryLen + length
    this.#position += length
    let start = 0
    if (base === 0) start = this.#bomLength(buf, end)
    while (start < end) {
      const nl = this.#findLineEnd(buf, start, end)
      if (nl === -1) break
      const next = nl + (this.#encoding === 'utf16le' ? 2 : 1)
      if (this.#skipping) this.#skipping = false
      else this.#emit(buf, start, nl, base, base + next, sink)
      start = next
    }
    if (this.#skipping) {
      this.#carryLen = 0
      this.#carryStart = base + end
      return
    }
    const rest = end - start
    // A line of exactly maxLineBytes may still be followed by the \r of its \r\n: wait for
    // that one more unit before calling the line over-long.
    if (rest > this.#max + (this.#encoding === 'utf16le' ? 2 : 1)) {
      // A line longer than maxLineBytes with no end in sight: ship its head now, skip the rest.
      this.#emit(buf, start, start + this.#max, base, base + start + this.#max, sink, true)
      this.#skipping = true
      this.#skippedFrom = base + start
      this.#carryLen = 0
      this.#carryStart = base + end
      return
    }
    if (rest > 0 && start > 0) buf.copyWithin(0, start, end)
    this.#carryLen = rest
    this.#carryStart = base + start
  }

  /** Splits a chunk that arrived in its own buffer (stdin). */
  push(chunk: Buffer, length: number, sink: LineSink): void {
    const { buffer, at } = this.readTarget(length)
    chunk.copy(buffer, at, 0, length)
    this.commit(length, sink)
  }

  /** Ships the unfinished line, if any (end of stdin, end of a file in --once mode). */
  flush(sink: LineSink): void {
    if (this.#skipping) {
      this.#skipping = false
      this.#carryStart = this.#position
      return
    }
    if (this.#carryLen === 0) return
    const length = this.#carryLen
    const start = this.#carryStart
    this.#carryLen = 0
    this.#carryStart = this.#position
    this.#emit(this.#buf, 0, length, start, start + length, sink)
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
    if (truncated && this.#encoding === 'utf8') stop = utf8Cut(buf, from, stop)
    sink(buf, from, stop, base + from, end, truncated)
  }

  #findLineEnd(buf: Buffer, from: number, end: number): number {
    if (this.#encoding !== 'utf16le') {
      const nl = buf.indexOf(0x0a, from)
      return nl >= end ? -1 : nl
    }
    let at = from
    for (;;) {
      const nl = buf.indexOf(NL16, at)
      if (nl === -1 || nl + 1 >= end) return -1
      if ((nl - from) % 2 === 0) return nl
      at = nl + 1
    }
  }

  #bomLength(buf: Buffer, end: number): number {
    const bom = BOMS[this.#encoding]
    return bom && end >= bom.length && buf.subarray(0, bom.length).equals(bom) ? bom.length : 0
  }
}
