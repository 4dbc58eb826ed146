import { closeSync, readSync, rmSync, fstatSync } from 'node:fs'
import { openExistingSync } from '../fs/safe-file.js'
import { scanFrames } from './frame.js'
import { listSegments, readCursor, writeCursor, type SegmentFile } from './spill-dir.js'
import { Counter } from '../shared/layout.js'
import type { ConsumerLedger as Ledger } from '../shared/ledger.js'
import { TIME_ZERO } from '../util/time-zero.js'

const CHUNK = 1024 * 1024

/** Opens a segment for reading. The one place a segment is opened by the reader. */
function openSegmentForRead(path: string): number {
  return openExistingSync(path, 'r', { what: 'spill segment', strictPerms: false })
}

/**
 * The engine side of the spill: reads frames in order from the acknowledged cursor on,
 * skipping damaged bytes (resyncing on the next good frame), and moves the cursor — a small
 * file replaced atomically — as records are acknowledged, deleting segments that are fully
 * behind it.
 *
 * Records that cannot be read back are counted exactly, by record number: a good frame
 * numbered past the one expected means the records in between are lost; at the writer's
 * position, every record the writer appended and the reader neither read nor counted is lost.
 * The engine takes those counts with `takeLost` and settles them as `dropped.corrupt`.
 */
export class SpillReader {
  readonly #dir: string
  readonly #counters: Float64Array
  readonly #ledger: Ledger
  readonly #onCorrupt: (message: string) => void
  #pos: number
  #segment: SegmentFile | undefined
  #fd = -1
  /** Number the next good frame should carry; undefined until known (no cursor file). */
  #expected: number | undefined
  #read = 0
  #lost = 0
  #lostUntaken = 0
  #cursor: { position: number; number: number }
  #cursorKnown: boolean
  /** End position and next record number of each record read and not yet acknowledged. */
  #unacked: { end: number; next: number }[] = []
  #unackedHead = 0
  #cursorWrittenAt = TIME_ZERO
  #cursorTimer: NodeJS.Timeout | undefined
  #lastCorruptReport = TIME_ZERO
  #corruptUnreported = 0

  constructor(dir: string, counters: Float64Array, ledger: Ledger, onCorrupt: (message: string) => void) {
    this.#dir = dir
    this.#counters = counters
    this.#ledger = ledger
    this.#onCorrupt = onCorrupt
    const cursor = readCursor(dir)
    this.#cursor = { position: cursor.position, number: cursor.number ?? 0 }
    this.#cursorKnown = cursor.number !== undefined
    this.#expected = cursor.number
    this.#pos = cursor.position
    this.#ledger.move(Counter.SPILL_ACKED_POS, this.#pos - this.#counters[Counter.SPILL_ACKED_POS]!, Counter.SPILL_READ_POS, this.#pos - this.#counters[Counter.SPILL_READ_POS]!)
    this.#refreshSegmentCount()
  }

  hasUnread(): boolean {
    return this.#pos < this.#counters[Counter.SPILL_WRITTEN_POS]! || this.#lostUntaken > 0
  }

  /**
   * Reads complete frames (about `maxBytes` of them, and always at least one whole frame
   * however long), calling `take(payload, endPosition, unchecked)` for each record (`unchecked`:
   * its JSON grammar is still to be checked, see UNCHECKED_FRAME). Payloads are copies the
   * caller may keep. Returns how many were read.
   */
  read(maxBytes: number, take: (payload: Buffer, end: number, unchecked: boolean) => void): number {
    // The writer's count before its position: every record counted here ends at or before `written`.
    const appended = this.#counters[Counter.SPILLED_EVENTS]!
    const written = this.#counters[Counter.SPILL_WRITTEN_POS]!
    let count = 0
    const before = this.#pos
    if (this.#pos < written && this.#openSegmentAt(this.#pos)) count = this.#readSegment(maxBytes, written, take)
    if (this.#pos >= written) {
      // Caught up with the writer: what it appended and was neither read nor counted is lost.
      const missing = appended - this.#read - this.#lost
      if (missing > 0) this.#loseRecords(missing)
    }
    if (count > 0 || this.#pos !== before) this.#ledger.move(Counter.SPILL_READ_EVENTS, count, Counter.SPILL_READ_POS, this.#pos - this.#counters[Counter.SPILL_READ_POS]!)
    this.#reportCorrupt(false)
    return count
  }

  #readSegment(maxBytes: number, written: number, take: (payload: Buffer, end: number, unchecked: boolean) => void): number {
    const seg = this.#segment!
    const segEnd = seg.start + fstatSync(this.#fd).size
    // Bytes up to here hold complete frames (or damage): the writer's position in the segment
    // it is writing, the file's end in a segment it has left.
    const limit = Math.min(segEnd, written)
    if (this.#pos >= limit) {
      this.#nextSegment(segEnd)
      return 0
    }
    let want = Math.min(Math.max(maxBytes, 64 * 1024), CHUNK, limit - this.#pos)
    for (;;) {
      const chunk = Buffer.allocUnsafe(want)
      const got = readSync(this.#fd, chunk, 0, want, this.#pos - seg.start)
      const data = chunk.subarray(0, got)
      let count = 0
      const base = this.#pos
      const result = scanFrames(data, got < want ? got : limit - base, (item) => {
        if (item.kind === 'corrupt') {
          this.#damaged(base + item.start, item.end - item.start, seg)
          return
        }
        const expected = this.#expected ?? item.number
        if (item.number < expected) {
          this.#damaged(base + item.start, item.end - item.start, seg, `a record numbered ${item.number} where ${expected} was due`)
          return
        }
        if (item.number > expected) this.#loseRecords(item.number - expected)
        this.#expected = item.number + 1
        this.#read++
        count++
        this.#unacked.push({ end: base + item.end, next: item.number + 1 })
        take(item.payload, base + item.end, item.unchecked)
      })
      this.#pos = base + result.stop
      // One frame longer than the chunk: read that frame whole (its header is checked, and the
      // file holds it), however long it is.
      if (result.need !== undefined && result.stop === 0 && want < result.need) {
        want = result.need
        continue
      }
      return count
    }
  }

  /** Records that could not be read since the last call (the engine settles them as dropped.corrupt). */
  takeLost(): number {
    const n = this.#lostUntaken
    this.#lostUntaken = 0
    if (n > 0) this.#ledger.move(Counter.SPILL_ACKED_EVENTS, n) // they leave the spill's count with it
    return n
  }

  /**
   * Every record read so far is acknowledged and the lost ones are settled: the cursor may
   * pass the damaged bytes too, so the next run does not count them again.
   */
  passDamage(): void {
    if (this.#unackedHead < this.#unacked.length || this.#expected === undefined) return
    if (this.#pos > this.#cursor.position) this.#moveCursor(this.#pos, this.#expected)
  }

  /** Records up to `position` are acknowledged: move the cursor, delete finished segments. */
  ack(position: number, events: number): void {
    if (position <= this.#cursor.position) return
    let next = this.#cursor.number
    while (this.#unackedHead < this.#unacked.length && this.#unacked[this.#unackedHead]!.end <= position) next = this.#unacked[this.#unackedHead++]!.next
    if (this.#unackedHead > 4096 && this.#unackedHead * 2 > this.#unacked.length) {
      this.#unacked = this.#unacked.slice(this.#unackedHead)
      this.#unackedHead = 0
    }
    this.#ledger.move(Counter.SPILL_ACKED_EVENTS, events)
    this.#moveCursor(position, next)
  }

  #moveCursor(position: number, number: number): void {
    this.#cursor = { position, number }
    this.#cursorKnown = true
    this.#ledger.move(Counter.SPILL_ACKED_POS, position - this.#counters[Counter.SPILL_ACKED_POS]!)
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
    if (!this.#cursorKnown) return
    try {
      writeCursor(this.#dir, this.#cursor)
      const segments = listSegments(this.#dir)
      for (let i = 0; i < segments.length - 1; i++) {
        const next = segments[i + 1]!
        if (next.start <= this.#cursor.position && segments[i]!.start !== this.#segment?.start) rmSync(segments[i]!.path, { force: true })
      }
      this.#refreshSegmentCount()
    } catch (err) {
      this.#onCorrupt(`cannot update the spill cursor in ${this.#dir}: ${(err as Error).message}; delivered records may be sent again after a restart`)
    }
  }

  close(): void {
    this.#persist()
    this.#reportCorrupt(true)
    this.#closeFd()
  }

  #closeFd(): void {
    if (this.#fd < 0) return
    const fd = this.#fd
    this.#fd = -1
    closeSync(fd)
  }

  #refreshSegmentCount(): void {
    const n = listSegments(this.#dir).length
    this.#ledger.move(Counter.SPILL_SEGMENTS, n - this.#counters[Counter.SPILL_SEGMENTS]!)
  }

  /** Opens the segment holding `position` (the last one starting at or before it). */
  #openSegmentAt(position: number): boolean {
    if (this.#segment && this.#fd >= 0 && position >= this.#segment.start) {
      const size = fstatSync(this.#fd).size
      if (position < this.#segment.start + size) return true
    }
    const candidates = listSegments(this.#dir).filter((s) => s.start <= position)
    const seg = candidates[candidates.length - 1]
    if (!seg) {
      // Nothing holds this position (segments removed by hand?): go on at the next segment.
      const next = listSegments(this.#dir).find((s) => s.start > position)
      if (next) this.#skipTo(next.start)
      return false
    }
    if (seg.start === this.#segment?.start && this.#fd >= 0) return true
    this.#closeFd()
    this.#fd = openSegmentForRead(seg.path)
    this.#segment = seg
    return true
  }

  #nextSegment(segEnd: number): void {
    const next = listSegments(this.#dir).find((s) => s.start >= segEnd && s.start > this.#segment!.start)
    if (next && next.start > this.#pos) this.#skipTo(next.start)
  }

  /** Bytes between here and `position` belong to no segment: skipped (their records are counted by number). */
  #skipTo(position: number): void {
    if (position > this.#pos) {
      this.#ledger.move(Counter.ENGINE_CORRUPT, 1)
      this.#corruptUnreported++
      this.#pos = position
    }
  }

  #loseRecords(n: number): void {
    this.#lost += n
    this.#lostUntaken += n
    // passed, if not read: whenFull 'spill' goes back to the ring once every spilled record is one or the other
    this.#ledger.move(Counter.SPILL_READ_EVENTS, n)
  }

  #damaged(at: number, bytes: number, seg: SegmentFile, what = 'a bad checksum, a bad header or a torn write'): void {
    this.#ledger.move(Counter.ENGINE_CORRUPT, 1)
    this.#corruptUnreported++
    this.#lastDamage = `${bytes} damaged bytes at offset ${at - seg.start} of spill segment ${seg.path} (${what})`
  }

  #lastDamage = ''

  /** One message per second at most: a damaged disk must not flood the app with errors. */
  #reportCorrupt(force: boolean): void {
    if (this.#corruptUnreported === 0) return
    const now = Date.now()
    if (!force && now - this.#lastCorruptReport < 1000) return
    this.#lastCorruptReport = now
    const n = this.#corruptUnreported
    this.#corruptUnreported = 0
    this.#onCorrupt(
      `skipped ${n === 1 ? 'a damaged stretch' : `${n} damaged stretches`} of the spill (last: ${this.#lastDamage || 'bytes that belong to no segment'}); ${this.#lost} record(s) could not be read back so far and are counted as dropped (corrupt); the records around them are delivered. Check the disk, or delete ${this.#dir} if the damage keeps coming.`,
    )
  }
}
