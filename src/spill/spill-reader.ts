import { closeSync, readSync, rmSync, fstatSync } from 'node:fs'
import { openExistingSync } from '../fs/safe-file.js'
import { scanFrames } from './frame.js'
import { listSegments, readCursor, writeCursor, type SegmentFile } from './spill-dir.js'
import { Counter } from '../ring/layout.js'
import type { Ledger } from '../engine/ledger.js'

const CHUNK = 1024 * 1024

/**
 * The engine side of the spill: reads frames in order from the acknowledged cursor on,
 * skipping (and counting) damaged ones, and moves the cursor — a small file replaced
 * atomically — as records are acknowledged, deleting segments that are fully behind it.
 */
export class SpillReader {
  readonly #dir: string
  readonly #counters: Float64Array
  readonly #ledger: Ledger
  readonly #onCorrupt: (message: string) => void
  #pos: number
  #segment: SegmentFile | undefined
  #fd = -1
  #cursor: number
  #cursorWrittenAt = 0
  #cursorTimer: NodeJS.Timeout | undefined

  constructor(dir: string, counters: Float64Array, ledger: Ledger, onCorrupt: (message: string) => void) {
    this.#dir = dir
    this.#counters = counters
    this.#ledger = ledger
    this.#onCorrupt = onCorrupt
    this.#cursor = readCursor(dir)
    this.#pos = this.#cursor
    this.#ledger.move(Counter.SPILL_ACKED_POS, this.#cursor - this.#counters[Counter.SPILL_ACKED_POS]!, Counter.SPILL_READ_POS, this.#pos)
    this.#refreshSegmentCount()
  }

  hasUnread(): boolean {
    return this.#pos < this.#counters[Counter.SPILL_WRITTEN_POS]!
  }

  /**
   * Reads complete frames (up to about `maxBytes`), calling `take(payload, endPosition)` for
   * each record. Payloads are copies the caller may keep. Returns how many were read.
   */
  read(maxBytes: number, take: (payload: Buffer, end: number) => void): number {
    const written = this.#counters[Counter.SPILL_WRITTEN_POS]!
    if (this.#pos >= written) return 0
    if (!this.#openSegmentAt(this.#pos)) return 0
    const seg = this.#segment!
    const segEnd = Math.max(seg.start + fstatSync(this.#fd).size, this.#pos)
    const want = Math.min(Math.max(maxBytes, 64 * 1024), CHUNK, Math.min(written, segEnd) - this.#pos)
    if (want <= 0) return this.#nextSegment(segEnd)
    const chunk = Buffer.allocUnsafe(want)
    const got = readSync(this.#fd, chunk, 0, want, this.#pos - seg.start)
    const data = chunk.subarray(0, got)
    let count = 0
    const base = this.#pos
    const stop = scanFrames(data, (item) => {
      if (item.kind === 'record') {
        count++
        take(item.payload, base + item.end)
      } else {
        this.#corrupt(base + item.start, item.end - item.start, seg)
      }
    })
    this.#pos = base + stop
    // A frame cut off at the end of a finished segment can never complete: skip it.
    if (stop === got && this.#pos === segEnd && segEnd < written) this.#nextSegment(segEnd)
    else if (stop < got && base + got === segEnd && segEnd < written && count === 0) {
      this.#corrupt(this.#pos, segEnd - this.#pos, seg)
      this.#pos = segEnd
    }
    if (count > 0) this.#ledger.move(Counter.SPILL_READ_EVENTS, count, Counter.SPILL_READ_POS, this.#pos - this.#counters[Counter.SPILL_READ_POS]!)
    return count
  }

  /** Records up to `position` are acknowledged: move the cursor, delete finished segments. */
  ack(position: number, events: number): void {
    if (position <= this.#cursor) return
    this.#cursor = position
    this.#ledger.move(Counter.SPILL_ACKED_POS, position - this.#counters[Counter.SPILL_ACKED_POS]!, Counter.SPILL_ACKED_EVENTS, events)
    // The cursor file is rewritten at most every 100 ms (and on close): a crash repeats at
    // most that much, which at-least-once allows.
    const now = Date.now()
    if (now - this.#cursorWrittenAt >= 100) this.#persist()
    else this.#cursorTimer ??= setTimeout(() => this.#persist(), 100)
  }

  #persist(): void {
    clearTimeout(this.#cursorTimer)
    this.#cursorTimer = undefined
    this.#cursorWrittenAt = Date.now()
    try {
      writeCursor(this.#dir, this.#cursor)
      const segments = listSegments(this.#dir)
      for (let i = 0; i < segments.length - 1; i++) {
        const next = segments[i + 1]!
        if (next.start <= this.#cursor && segments[i] !== this.#segment) rmSync(segments[i]!.path, { force: true })
      }
      this.#refreshSegmentCount()
    } catch (err) {
      this.#onCorrupt(`cannot update the spill cursor in ${this.#dir}: ${(err as Error).message}`)
    }
  }

  close(): void {
    this.#persist()
    if (this.#fd >= 0) closeSync(this.#fd)
    this.#fd = -1
  }

  #refreshSegmentCount(): void {
    const n = listSegments(this.#dir).length
    this.#ledger.move(Counter.SPILL_SEGMENTS, n - this.#counters[Counter.SPILL_SEGMENTS]!)
  }

  #openSegmentAt(position: number): boolean {
    if (this.#segment && position >= this.#segment.start && (this.#fd >= 0)) {
      const size = fstatSync(this.#fd).size
      if (position < this.#segment.start + size || position === this.#segment.start + size && !this.#hasLaterSegment(position)) return true
    }
    const candidates = listSegments(this.#dir).filter((s) => s.start <= position)
    const seg = candidates[candidates.length - 1]
    if (!seg) return false
    if (this.#fd >= 0) closeSync(this.#fd)
    this.#segment = seg
    this.#fd = openExistingSync(seg.path, 'r', { what: 'spill segment', strictPerms: false })
    return true
  }

  #hasLaterSegment(position: number): boolean {
    return listSegments(this.#dir).some((s) => s.start >= position && s.start !== this.#segment?.start)
  }

  #nextSegment(segEnd: number): number {
    const next = listSegments(this.#dir).find((s) => s.start >= segEnd)
    if (next && next.start > this.#pos) this.#pos = next.start
    return 0
  }

  #corrupt(at: number, bytes: number, seg: SegmentFile): void {
    this.#ledger.move(Counter.ENGINE_CORRUPT, 1)
    this.#onCorrupt(`skipped ${bytes} damaged bytes at offset ${at - seg.start} of spill segment ${seg.path} (a bad checksum or a torn write); the records around them are delivered`)
  }
}
