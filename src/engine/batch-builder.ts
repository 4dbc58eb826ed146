import type { AckGroup } from '../util/ordered-acks.js'
import type { WorkBatch } from './work-batch.js'

const NEWLINE = 0x0a

/**
 * Lays the records of one batch into its arena: each entry is written at `at`, then `close`
 * follows it with a newline (so NDJSON outputs send the arena as is) and notes where it is.
 * One small class with the hot steps as methods, rather than one long function, keeps what
 * the JIT compiles (and, after a rare path runs, compiles again) small.
 */
export class BatchBuilder {
  readonly arena: Buffer
  readonly starts: Uint32Array
  readonly lengths: Uint32Array
  readonly seqs: Float64Array
  readonly framed: Uint32Array
  /** Where the next entry's bytes go. */
  at = 0
  #entries = 0

  constructor(arena: Buffer, entries: number) {
    this.arena = arena
    this.starts = new Uint32Array(entries)
    this.lengths = new Uint32Array(entries)
    // typed and sized once: a batch lives until its ACK, and growing JS arrays by push left
    // garbage that outlived the young generation
    this.seqs = new Float64Array(entries)
    this.framed = new Uint32Array(entries)
  }

  /** The entry whose bytes were written at [start, at): notes it, then writes its newline. */
  close(start: number, seq: number, framed: number): void {
    const entry = this.#entries++
    this.starts[entry] = start
    this.lengths[entry] = this.at - start
    this.seqs[entry] = seq
    this.framed[entry] = framed
    this.arena[this.at++] = NEWLINE
  }

  /** Copies `bytes` in as one entry. */
  add(bytes: Buffer, seq: number, framed: number): void {
    const start = this.at
    this.at += bytes.copy(this.arena, start)
    this.close(start, seq, framed)
  }

  batch(group: AckGroup): WorkBatch {
    return { arena: this.arena, starts: this.starts, lengths: this.lengths, contiguous: true, seqs: this.seqs, framed: this.framed, group }
  }
}
