import type { Readable } from 'node:stream'
import { EntryPipeline } from './entry-pipeline.js'
import type { DocumentBuilder } from './document.js'
import type { Feeder } from './feeder.js'
import type { StdinInputConfig } from '../config/schema.js'
import type { TailCounters } from './stats.js'

/**
 * Reads lines from a stream (stdin) until it ends. It has no read pointer: while the queue
 * is full it stops reading, so the writing process blocks on its pipe instead of losing lines.
 */
export class StdinInput {
  readonly #pipeline: EntryPipeline
  readonly #stream: Readable
  readonly #feeder: Feeder
  readonly #counters: TailCounters
  #stopped = false
  #timer: NodeJS.Timeout | undefined

  constructor(input: StdinInputConfig, stream: Readable, builder: DocumentBuilder, feeder: Feeder, counters: TailCounters, maxRecordBytes: number) {
    this.#stream = stream
    this.#feeder = feeder
    this.#counters = counters
    this.#pipeline = new EntryPipeline(input, builder, feeder, counters, maxRecordBytes)
    if (input.multiline) {
      // A pending multiline entry is shipped after its timeout even if nothing more comes.
      this.#timer = setInterval(() => this.#pipeline.flushIdle(Date.now()), Math.max(100, Math.min(1000, input.multiline.timeoutMs)))
      this.#timer.unref()
    }
  }

  /** Resolves when the stream ended (everything read is handed to the feeder) or stop() was called. */
  async run(): Promise<void> {
    try {
      for await (const chunk of this.#stream as AsyncIterable<Buffer | string>) {
        if (this.#stopped) return // stop() shipped what was read; a chunk that comes after it is not read
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
        this.#counters.bytesRead += bytes.length
        this.#pipeline.push(bytes, bytes.length, Date.now())
        if (this.#feeder.backlogged) await this.#feeder.drained()
        if (this.#stopped) return
      }
      if (!this.#stopped) this.#pipeline.flushAll(Date.now())
    } catch (err) {
      if (!this.#stopped) throw err
    } finally {
      clearInterval(this.#timer)
    }
  }

  stop(): void {
    if (this.#stopped) return
    this.#stopped = true
    // A line (or multiline entry) read but not ended yet ships as it is: stdin cannot be read
    // again, so waiting for the rest of it would lose what was read.
    this.#pipeline.flushAll(Date.now())
    this.#stream.pause()
    this.#stream.destroy()
  }
}
