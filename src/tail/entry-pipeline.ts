import { LineSplitter } from './line-splitter.js'
import { Multiline, type EntrySink } from './multiline.js'
import type { DocumentBuilder } from './document.js'
import type { Feeder } from './feeder.js'
import type { LineSettings } from '../config/schema.js'
import type { TailCounters } from './stats.js'

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
  readonly #onLine: (text: string, offset: number, end: number, truncated: boolean) => void
  readonly #onEntry: EntrySink
  #now = 0
  #isoAt = -1
  #iso = ''

  constructor(settings: LineSettings, builder: DocumentBuilder, feeder: Feeder, counters: TailCounters, startOffset = 0) {
    this.builder = builder
    this.#feeder = feeder
    this.#counters = counters
    this.#splitter = new LineSplitter(settings.encoding, settings.maxLineBytes, startOffset)
    this.#multiline = settings.multiline ? new Multiline(settings.multiline, settings.maxLineBytes) : undefined
    this.#include = settings.includeLines.map((r) => new RegExp(r))
    this.#exclude = settings.excludeLines.map((r) => new RegExp(r))
    this.#onEntry = (text, offset, _end, flags) => this.#entry(text, offset, flags)
    const multiline = this.#multiline
    this.#onLine = multiline
      ? (text, offset, end, truncated) => multiline.line(text, offset, end, truncated, this.#onEntry, this.#now)
      : (text, offset, _end, truncated) => this.#entry(text, offset, truncated ? 1 : 0)
  }

  /** Where reading must resume so that no entry is lost: the start of anything not yet shipped. */
  get safeOffset(): number {
    const pending = this.#multiline?.pendingStart
    const splitter = this.#splitter.safeOffset
    return pending === undefined ? splitter : Math.min(pending, splitter)
  }

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

  #entry(text: string, offset: number, flags: number): void {
    if (this.#include.length > 0 && !this.#include.some((r) => r.test(text))) {
      this.#counters.filtered++
      return
    }
    if (this.#exclude.length > 0 && this.#exclude.some((r) => r.test(text))) {
      this.#counters.filtered++
      return
    }
    if (this.#now !== this.#isoAt) {
      this.#isoAt = this.#now
      this.#iso = new Date(this.#now).toISOString()
    }
    this.#feeder.offer(Buffer.from(this.builder.build(text, offset, flags, this.#iso)))
    this.#counters.events++
  }
}
