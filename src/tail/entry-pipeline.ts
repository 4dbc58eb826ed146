import { LineSplitter, type LineSink } from './line-splitter.js'
import { Multiline, FLAG_TRUNCATED, type EntrySink } from './multiline.js'
import type { DocumentBuilder } from './document.js'
import type { Feeder } from './feeder.js'
import type { LineSettings } from '../config/schema.js'
import type { TailCounters } from './stats.js'
import { utf8Cut } from '../util/utf8.js'
import { TIME_ZERO } from '../util/time-zero.js'

/**
 * Bytes in, records out: lines (splitter) → entries (multiline) → include/exclude filters →
 * one ECS document each (builder) → the feeder. Synchronous per chunk; the reader awaits
 * `feeder.drained()` before reading the next one.
 */
export class EntryPipeline {
  readonly builder: DocumentBuilder
  readonly #splitter: LineSplitter
  readonly #multiline: Multiline | undefined
  readonly #include: RegExp[]
  readonly #exclude: RegExp[]
  readonly #feeder: Feeder
  readonly #counters: TailCounters
  readonly #onLine: LineSink
  readonly #onEntry: EntrySink
  #now = TIME_ZERO
  #isoAt = Number.NaN // no time yet (a double, like the times after it: see TIME_ZERO)
  #iso = ''

  readonly #maxRecord: number
  readonly #idOf: ((offset: number, end: number) => string) | undefined

  /**
   * `maxRecordBytes`: documents longer than this get a shorter message (flagged truncated), so
   * the queue takes them. `idOf`: a stable id for the entry at [offset, end) of its file
   * (idempotent Elasticsearch output).
   */
  constructor(
    settings: LineSettings,
    builder: DocumentBuilder,
    feeder: Feeder,
    counters: TailCounters,
    maxRecordBytes: number,
    startOffset = 0,
    idOf?: (offset: number, end: number) => string,
  ) {
    this.#maxRecord = maxRecordBytes
    this.#idOf = idOf
    this.builder = builder
    this.#feeder = feeder
    this.#counters = counters
    this.#splitter = new LineSplitter(settings.encoding, settings.maxLineBytes, startOffset)
    this.#multiline = settings.multiline ? new Multiline(settings.multiline, settings.maxLineBytes) : undefined
    this.#include = settings.includeLines.map((r) => new RegExp(r))
    this.#exclude = settings.excludeLines.map((r) => new RegExp(r))
    this.#onEntry = (text, offset, end, flags) => this.#entry(text, offset, end, flags)
    const multiline = this.#multiline
    const encoding = settings.encoding
    if (multiline) {
      this.#onLine = (buf, from, to, offset, end, truncated) => multiline.line(buf.toString(encoding, from, to), offset, end, truncated, this.#onEntry, this.#now)
    } else if (encoding === 'utf8' && this.#include.length === 0 && this.#exclude.length === 0 && builder.encodesBytes) {
      // Plain lines: JSON-escape the bytes straight into the document, no string in between.
      this.#onLine = (buf, from, to, offset, end, truncated) => this.#bytesEntry(buf, from, to, offset, end, truncated ? FLAG_TRUNCATED : 0)
    } else {
      this.#onLine = (buf, from, to, offset, end, truncated) => this.#entry(buf.toString(encoding, from, to), offset, end, truncated ? FLAG_TRUNCATED : 0)
    }
  }

  /** Where reading must resume so that no entry is lost: the start of anything not yet shipped. */
  get safeOffset(): number {
    const pending = this.#multiline?.pendingStart
    const splitter = this.#splitter.safeOffset
    return pending === undefined ? splitter : Math.min(pending, splitter)
  }

  /** Where to read the next bytes (after the unfinished line held from the last read). */
  readTarget(room: number): { buffer: Buffer; at: number } {
    return this.#splitter.readTarget(room)
  }

  /** Processes `length` bytes just read into the readTarget buffer. */
  commit(length: number, now: number): void {
    this.#now = now
    this.#splitter.commit(length, this.#onLine)
  }

  /** Processes a chunk that arrived in its own buffer (stdin). */
  push(chunk: Buffer, length: number, now: number): void {
    this.#now = now
    this.#splitter.push(chunk, length, this.#onLine)
  }

  /** Ships a multiline entry nobody has added to for its timeoutMs. */
  flushIdle(now: number): void {
    this.#now = now
    this.#multiline?.flushIfIdle(now, this.#onEntry)
  }

  /** Ships everything held: the unfinished line and the pending entry (end of input). */
  flushAll(now: number): void {
    this.#now = now
    this.#splitter.flush(this.#onLine)
    this.#multiline?.flush(this.#onEntry)
  }

  /** Forgets what is held and continues at `offset` (after truncation). */
  reset(offset: number): void {
    this.#splitter.reset(offset)
    this.#multiline?.reset()
  }

  #bytesEntry(buf: Buffer, from: number, to: number, offset: number, end: number, flags: number): void {
    const id = this.#idOf?.(offset, end)
    let record = this.builder.encode(buf, from, to, offset, flags, this.#timestamp(), id)
    if (record.length > this.#maxRecord) {
      // Escaping made it too long for the queue: keep as much of the line as surely fits.
      const cut = utf8Cut(buf, from, Math.min(to, from + Math.floor((this.#maxRecord - 64 * 1024) / 6)))
      record = this.builder.encode(buf, from, cut, offset, flags | FLAG_TRUNCATED, this.#timestamp(), id)
    }
    this.#feeder.offerBytes(record)
    this.#counters.events++
  }

  #timestamp(): string {
    if (this.#now !== this.#isoAt) {
      this.#isoAt = this.#now
      this.#iso = new Date(this.#now).toISOString()
    }
    return this.#iso
  }

  #entry(text: string, offset: number, end: number, flags: number): void {
    if (this.#include.length > 0 && !this.#include.some((r) => r.test(text))) {
      this.#counters.filtered++
      return
    }
    if (this.#exclude.length > 0 && this.#exclude.some((r) => r.test(text))) {
      this.#counters.filtered++
      return
    }
    const id = this.#idOf?.(offset, end)
    let record = this.builder.build(text, offset, flags, this.#timestamp(), id)
    if (record === undefined) {
      this.#counters.filtered++ // a processor dropped it (drop_event)
      return
    }
    if (record.length * 3 > this.#maxRecord && Buffer.byteLength(record) > this.#maxRecord) {
      // Escaping made it too long for the queue: keep as much of the entry as surely fits.
      record = this.builder.build(text.slice(0, Math.floor((this.#maxRecord - 64 * 1024) / 6)), offset, flags | FLAG_TRUNCATED, this.#timestamp(), id) ?? record
    }
    this.#feeder.offer(record)
    this.#counters.events++
  }
}
