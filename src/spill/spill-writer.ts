import { closeSync, fsync, fsyncSync, ftruncateSync, readSync, writeSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { HEADER_BYTES, scanFrames, writeHeader } from './frame.js'
import { listSegments, lockDir, prepareDir, readCursor, segmentName } from './spill-dir.js'
import { Counter } from '../ring/layout.js'
import { describeError } from '../errors.js'
import { openAppendSync, openExistingSync } from '../fs/safe-file.js'

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

/** Reading another user's segment is harmless (links never are): only writes follow strictPerms. */
const SEGMENT_READ = { what: 'spill segment', strictPerms: false }

export type SpillOutcome = 'accepted' | 'full' | { error: string }

/**
 * The producer side of the spill: appends framed records to the current segment with one
 * write(2) each, so a record is in the OS page cache (and survives a crash of this process)
 * before `append` returns. Opening a directory recovers it: a torn frame at the end of the
 * last segment (a crash mid-write) is cut off and counted as corrupt, and the records a
 * previous run did not get acknowledged are counted so they are shipped first.
 */
export class SpillWriter {
  readonly #options: SpillOptions
  readonly #counters: Float64Array
  readonly #unlock: () => void
  #fd = -1
  #segmentStart = 0
  #segmentSize = 0
  #buf = Buffer.allocUnsafe(64 * 1024)
  #dirty = false
  #timer: NodeJS.Timeout | undefined
  /** Records a previous run left unacknowledged (they are shipped before any new one). */
  readonly leftover: number

  get #segmentFile(): { what: string; strictPerms: boolean | undefined } {
    return { what: 'spill segment', strictPerms: this.#options.strictPerms }
  }

  constructor(options: SpillOptions, counters: Float64Array) {
    this.#options = options
    this.#counters = counters
    prepareDir(options.dir, { strictPerms: options.strictPerms, warn: options.warn })
    this.#unlock = lockDir(options.dir)
    try {
      this.leftover = this.#recover()
    } catch (err) {
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
    const cursor = readCursor(dir)
    let segments = listSegments(dir)
    for (const seg of segments) if (seg.start + seg.size <= cursor && seg !== segments[segments.length - 1]) rmSync(seg.path, { force: true })
    segments = listSegments(dir)
    let records = 0
    let corrupt = 0
    let end = cursor
    for (const [i, seg] of segments.entries()) {
      const from = Math.max(0, cursor - seg.start)
      const data = readAll(seg.path, from, seg.size - from)
      let good = 0
      // Damaged frames inside are counted by the engine when it reads past them; only a torn
      // end (cut off here) is counted now.
      const stop = scanFrames(data, (item) => {
        if (item.kind === 'record') {
          records++
          good = item.end
        }
      })
      end = seg.start + from + good
      if (i === segments.length - 1 && (stop < data.length || good < data.length)) {
        if (stop < data.length) corrupt++ // a torn frame at the very end: a crash mid-write
        const fd = openExistingSync(seg.path, 'r+', this.#segmentFile)
        ftruncateSync(fd, from + good)
        closeSync(fd)
      }
    }
    const last = segments[segments.length - 1]
    if (last && last.start + last.size > cursor) {
      this.#segmentStart = last.start
      this.#segmentSize = end - last.start
      this.#fd = openAppendSync(last.path, this.#segmentFile)
    } else {
      this.#segmentStart = Math.max(end, cursor)
      this.#segmentSize = 0
    }
    this.#counters[Counter.SPILL_WRITTEN_POS] = Math.max(end, cursor)
    this.#counters[Counter.SPILL_CORRUPT]! += corrupt
    return records
  }

  /** Appends one record; never throws (I/O errors come back as `{ error }`). */
  append(payload: Uint8Array | string): SpillOutcome {
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
    writeHeader(this.#buf, 0, this.#buf.subarray(HEADER_BYTES, frame))
    try {
      if (this.#fd < 0 || (this.#segmentSize > 0 && this.#segmentSize + frame > this.#options.segmentBytes)) this.#rotate()
      let done = 0
      while (done < frame) done += writeSync(this.#fd, this.#buf, done, frame - done)
      if (this.#options.fsync === 'always') fsyncSync(this.#fd)
      else this.#dirty = true
    } catch (err) {
      return { error: `cannot write to spill dir ${this.#options.dir}: ${describeError(err)}` }
    }
    this.#segmentSize += frame
    this.#counters[Counter.SPILL_WRITTEN_POS]! += frame
    this.#counters[Counter.SPILLED_EVENTS]! += 1
    return 'accepted'
  }

  #rotate(): void {
    if (this.#fd >= 0) {
      if (this.#options.fsync !== 'never') fsyncSync(this.#fd)
      closeSync(this.#fd)
    }
    this.#segmentStart = this.writtenPosition
    this.#segmentSize = 0
    this.#fd = openAppendSync(join(this.#options.dir, segmentName(this.#segmentStart)), this.#segmentFile)
  }

  #fsyncSoon(): void {
    if (!this.#dirty || this.#fd < 0) return
    this.#dirty = false
    fsync(this.#fd, () => {})
  }

  close(): void {
    clearInterval(this.#timer)
    if (this.#fd >= 0) {
      if (this.#options.fsync !== 'never') fsyncSync(this.#fd)
      closeSync(this.#fd)
      this.#fd = -1
    }
    this.#unlock()
  }
}

function readAll(path: string, from: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(0, length))
  const fd = openExistingSync(path, 'r', SEGMENT_READ)
  try {
    let done = 0
    while (done < length) {
      const n = readSync(fd, buf, done, length - done, from + done)
      if (n === 0) break
      done += n
    }
    return buf.subarray(0, done)
  } finally {
    closeSync(fd)
  }
}
