import { close, closeSync, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, writeSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { HEADER_BYTES, writeHeader } from './frame.js'
import { fsyncDir, hasCursor, listSegments, lockDir, prepareDir, readCursor, segmentName, writeCursor, type SegmentFile } from './spill-dir.js'
import { scanSegmentFile } from './segment-scan.js'
import { Counter } from '../shared/layout.js'
import { describeError } from '../errors.js'
import { openAppendSync, openExistingSync, type SafeOpenOptions } from '../fs/safe-file.js'

export interface SpillOptions {
  readonly dir: string
  readonly maxBytes: number
  readonly segmentBytes: number
  readonly fsync: 'never' | 'interval' | 'always'
  readonly fsyncIntervalMs: number
  /** false: a spill dir others can write to is used with a warning instead of refused. @default true */
  readonly strictPerms?: boolean | undefined
  readonly warn?: ((message: string) => void) | undefined
}

export type SpillOutcome = 'accepted' | 'full' | { error: string }

/** Opens (creating, owner-only, never through a link) a segment file for appending. The one place a segment is opened for appending. */
function openSegmentForAppend(path: string, options: SafeOpenOptions): number {
  return openAppendSync(path, options)
}

/**
 * The producer side of the spill: appends framed records to the current segment with one
 * write(2) each, so a record is in the OS page cache (and survives a crash of this process)
 * before `append` returns.
 *
 * Positions always equal file offsets: a write that fails or comes back short is cut off
 * again (ftruncate to the last complete frame); if even that fails, the segment is closed
 * and the next one is named after the file's real end (fstat), so a reader skips the torn
 * bytes as damage and no position ever points into the wrong frame. Either way the record is
 * refused (the caller counts it as `spill_full`, once).
 *
 * Opening a directory recovers it: a torn frame at the end of the last segment (a crash
 * mid-write) is cut off, and the records a previous run left unacknowledged are counted so
 * they are shipped first. Recovery streams the last segment; it never reads a segment whole.
 */
export class SpillWriter {
  readonly #options: SpillOptions
  readonly #counters: Float64Array
  readonly #report: (message: string) => void
  readonly #unlock: () => void
  #fd = -1
  #segmentStart = 0
  #segmentSize = 0
  /** Where the next segment starts when the last one could not be cut back (its real end). */
  #nextSegmentAt = -1
  #nextNumber = 0
  #buf = Buffer.allocUnsafe(64 * 1024)
  #dirty = false
  #fsyncFailed = false
  #timer: NodeJS.Timeout | undefined
  /** Records a previous run left unacknowledged (they are shipped before any new one). */
  readonly leftover: number

  constructor(options: SpillOptions, counters: Float64Array, report: (message: string) => void = () => {}) {
    this.#options = options
    this.#counters = counters
    this.#report = report
    prepareDir(options.dir, { strictPerms: options.strictPerms, warn: options.warn })
    this.#unlock = lockDir(options.dir)
    try {
      this.leftover = this.#recover()
    } catch (err) {
      this.#closeFd()
      this.#unlock()
      throw err
    }
    if (options.fsync === 'interval') {
      this.#timer = setInterval(() => this.#fsyncSoon(), options.fsyncIntervalMs)
      this.#timer.unref()
    }
  }

  /** Global position after the last complete frame. */
  get writtenPosition(): number {
    return this.#counters[Counter.SPILL_WRITTEN_POS]!
  }

  #recover(): number {
    const dir = this.#options.dir
    let segments = listSegments(dir)
    // A new directory gets its cursor (position 0, record 0) at once: record numbers are then
    // anchored, so even damage to the very first frame is counted, and the cursor file exists
    // to be rewritten in place should the disk fill up.
    if (segments.length === 0 && !hasCursor(dir)) {
      try {
        writeCursor(dir, { position: 0, number: 0 })
      } catch {
        // a full disk: numbers start at 0 all the same; the reader writes the cursor later
      }
    }
    const cursor = readCursor(dir)
    const last = segments[segments.length - 1]
    for (const seg of segments) if (seg !== last && seg.start + seg.size <= cursor.position) rmSync(seg.path, { force: true })
    segments = listSegments(dir)
    let end = cursor.position
    let nextNumber: number | undefined
    let torn = 0
    const tail = segments[segments.length - 1]
    if (tail) {
      const from = Math.max(0, cursor.position - tail.start)
      let good = from
      scanSegmentFile(tail.path, from, tail.size, (item) => {
        if (item.kind === 'record') {
          good = item.end
          nextNumber = item.number + 1
        }
        return undefined
      })
      if (good < tail.size) {
        // Bytes after the last good frame of the last segment: a frame torn by a crash. It
        // was being appended, so a record is lost there; cut it off so new frames follow good ones.
        torn = 1
        this.#truncate(tail.path, good)
        this.#counters[Counter.SPILL_CORRUPT]! += 1
        // said once the caller could listen (this runs inside createShipper)
        const report = this.#report
        setImmediate(
          report,
          `cut off ${tail.size - good} bytes of a torn frame at the end of spill segment ${tail.path} (a crash while a record was written); that record is counted as lost (dropped.corrupt)`,
        )
      }
      end = tail.start + good
      nextNumber ??= this.#lastNumberBefore(segments.slice(0, -1), cursor.position)
    }
    const firstGood = cursor.number ?? this.#firstNumberAfter(segments, cursor.position)
    this.#nextNumber = (nextNumber ?? firstGood ?? 0) + torn
    const firstNumber = firstGood ?? this.#nextNumber - torn
    if (tail && tail.start + tail.size > cursor.position && end > tail.start) {
      this.#segmentStart = tail.start
      this.#segmentSize = end - tail.start
      this.#fd = openSegmentForAppend(tail.path, this.#segmentFile)
    } else {
      this.#segmentStart = Math.max(end, cursor.position)
      this.#segmentSize = 0
    }
    this.#counters[Counter.SPILL_WRITTEN_POS] = Math.max(end, cursor.position)
    return Math.max(0, this.#nextNumber - firstNumber)
  }

  get #segmentFile(): SafeOpenOptions {
    return { what: 'spill segment', strictPerms: this.#options.strictPerms }
  }

  #truncate(path: string, size: number): void {
    const fd = openExistingSync(path, 'r+', this.#segmentFile)
    try {
      ftruncateSync(fd, size)
    } finally {
      closeSync(fd)
    }
  }

  /** The number after the last good frame of the latest segment that has one. */
  #lastNumberBefore(segments: SegmentFile[], cursor: number): number | undefined {
    for (let i = segments.length - 1; i >= 0; i--) {
      const seg = segments[i]!
      let found: number | undefined
      scanSegmentFile(seg.path, Math.max(0, cursor - seg.start), seg.size, (item) => {
        if (item.kind === 'record') found = item.number + 1
        return undefined
      })
      if (found !== undefined) return found
    }
    return undefined
  }

  /** Without a cursor file: the number of the first good frame after `cursor`. */
  #firstNumberAfter(segments: SegmentFile[], cursor: number): number | undefined {
    for (const seg of segments) {
      let found: number | undefined
      scanSegmentFile(seg.path, Math.max(0, cursor - seg.start), seg.size, (item) => {
        if (item.kind !== 'record') return undefined
        found = item.number
        return false
      })
      if (found !== undefined) return found
    }
    return undefined
  }

  /**
   * Appends one record; never throws (I/O errors come back as `{ error }`, the record refused).
   * `unchecked`: text shaped like a JSON object whose grammar the engine checks when it reads it.
   */
  append(payload: Uint8Array | string, unchecked = false): SpillOutcome {
    const max = HEADER_BYTES + (typeof payload === 'string' ? payload.length * 3 : payload.byteLength)
    if (this.#buf.length < max) this.#buf = Buffer.allocUnsafe(Math.max(max, this.#buf.length * 2))
    let len: number
    if (typeof payload === 'string') len = this.#buf.write(payload, HEADER_BYTES, 'utf8')
    else {
      this.#buf.set(payload, HEADER_BYTES)
      len = payload.byteLength
    }
    const frame = HEADER_BYTES + len
    const used = this.writtenPosition - this.#counters[Counter.SPILL_ACKED_POS]!
    if (used + frame > this.#options.maxBytes) return 'full'
    writeHeader(this.#buf, 0, this.#buf.subarray(HEADER_BYTES, frame), this.#nextNumber, unchecked)
    let done = 0
    try {
      if (this.#fd < 0 || (this.#segmentSize > 0 && this.#segmentSize + frame > this.#options.segmentBytes)) this.#rotate()
      while (done < frame) {
        const n = writeSync(this.#fd, this.#buf, done, frame - done)
        if (n <= 0) throw new Error(`write(2) wrote ${n} of ${frame - done} bytes`)
        done += n
      }
      if (this.#options.fsync === 'always') fdatasyncSync(this.#fd)
      else this.#dirty = true
    } catch (err) {
      return { error: `cannot write to spill dir ${this.#options.dir}: ${describeError(err)}; the event is counted as dropped (spill_full)${this.#undo(done)}` }
    }
    this.#segmentSize += frame
    this.#nextNumber++
    // Position first, then the count: a reader that reads the count before the position
    // never counts a record beyond the position it read (see SpillReader's tail check).
    this.#counters[Counter.SPILL_WRITTEN_POS] = this.#segmentStart + this.#segmentSize
    this.#counters[Counter.SPILLED_EVENTS]! += 1
    return 'accepted'
  }

  /**
   * A write failed after `written` bytes of the frame: cut the segment back to its last
   * complete frame. If that fails too, give the segment up and start the next one at its real
   * end, so positions stay file offsets. Returns a note for the error message.
   */
  #undo(written: number): string {
    if (this.#fd < 0 || (written === 0 && this.#options.fsync !== 'always')) return ''
    try {
      ftruncateSync(this.#fd, this.#segmentSize)
      return ''
    } catch (err) {
      let realEnd = this.#segmentSize + written
      try {
        realEnd = fstatSync(this.#fd).size
      } catch {
        // keep the count of bytes written
      }
      this.#nextSegmentAt = this.#segmentStart + Math.max(realEnd, this.#segmentSize + written)
      this.#closeFd()
      return `; the partial frame could not be cut off (${describeError(err)}), so the next record starts a new segment and the reader skips those bytes`
    }
  }

  #rotate(): void {
    if (this.#fd >= 0) {
      const fd = this.#fd
      this.#fd = -1
      if (this.#options.fsync === 'always') {
        try {
          fdatasyncSync(fd)
        } catch (err) {
          this.#report(this.#segmentFsyncFailed(this.#segmentStart, err))
        } finally {
          closeSync(fd)
        }
      } else if (this.#options.fsync === 'interval' && this.#dirty) {
        // Off the write path, on the thread pool, like the interval's own flushes: the
        // segment's last records are on disk about as soon as an interval would have put them there.
        const start = this.#segmentStart
        fdatasync(fd, (err) => {
          if (err) this.#report(this.#segmentFsyncFailed(start, err))
          close(fd, () => {})
        })
      } else closeSync(fd)
      this.#dirty = false
    }
    const start = Math.max(this.writtenPosition, this.#nextSegmentAt)
    const fd = openSegmentForAppend(join(this.#options.dir, segmentName(start)), this.#segmentFile)
    this.#fd = fd
    this.#segmentStart = start
    this.#segmentSize = 0
    this.#nextSegmentAt = -1
    if (this.#options.fsync !== 'never') fsyncDir(this.#options.dir)
  }

  #segmentFsyncFailed(start: number, err: unknown): string {
    return `cannot fsync spill segment ${segmentName(start)} in ${this.#options.dir}: ${describeError(err)}; its records may not survive a power cut`
  }

  /**
   * fdatasync: the data and what it takes to read it back (the file's size), without the
   * timestamps; an appended record survives a power cut exactly as with fsync.
   */
  #fsyncSoon(): void {
    if (!this.#dirty || this.#fd < 0) return
    this.#dirty = false
    fdatasync(this.#fd, (err) => {
      if (!err || err.code === 'EBADF') {
        this.#fsyncFailed = false
        return
      }
      this.#dirty = true
      if (this.#fsyncFailed) return // said once until it works again
      this.#fsyncFailed = true
      this.#report(
        `cannot fsync spill segment ${segmentName(this.#segmentStart)} in ${this.#options.dir}: ${describeError(err)}; records written since the last fsync may not survive a power cut (retrying every ${this.#options.fsyncIntervalMs} ms)`,
      )
    })
  }

  #closeFd(): void {
    if (this.#fd < 0) return
    const fd = this.#fd
    this.#fd = -1
    closeSync(fd)
  }

  close(): void {
    clearInterval(this.#timer)
    try {
      if (this.#fd >= 0 && this.#options.fsync !== 'never') fdatasyncSync(this.#fd)
    } catch (err) {
      this.#report(
        `cannot fsync spill segment ${segmentName(this.#segmentStart)} in ${this.#options.dir} on close: ${describeError(err)}; its last records may not survive a power cut`,
      )
    } finally {
      this.#closeFd()
      this.#unlock()
    }
  }
}
