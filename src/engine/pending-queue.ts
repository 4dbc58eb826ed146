import type { RingReader } from '../ring/ring-reader.js'
import { framedSize } from '../shared/layout.js'
import type { SpillReader } from '../spill/spill-reader.js'
import { grown, moveToFront } from '../util/queue-arrays.js'
import { TIME_ZERO } from '../util/time-zero.js'

/** Records and bytes taken off (or put on) the queue in one step. */
export interface Taken {
  readonly count: number
  /** Record bytes (what PENDING_BYTES counts). */
  readonly bytes: number
  /** Queue-budget bytes (framed) they held. */
  readonly framed: number
}

/** Room for this many records before the queue's columns first grow (see the constructor). */
const DEFAULT_CAPACITY = 1024
/** At most this much room up front (13 bytes a record): a larger queue grows as it fills. */
const MAX_INITIAL_CAPACITY = 65_536

/**
 * Records read (from the ring or the spill) and not in a batch yet, oldest first, numbered
 * by seq in reading order. Ring records stay in the ring (read in place): the queue only
 * holds where they are, in parallel columns of numbers, which cost far less per record than
 * one object each. Spill records bring their bytes. Loss markers wait apart and ride the
 * next batch.
 *
 * The number columns are typed arrays, not JS arrays: a JS array's elements kind is shared
 * knowledge between V8's optimized code and every helper that touches it. Stored through one
 * helper together with arrays of objects, V8 turned the queue's small-integer arrays into
 * generic ones mid-run, and every function compiled against them (the batcher's hot loops)
 * was thrown away and compiled again (`--trace-deopt`: "wrong map", seven functions). A typed
 * array keeps its one map for life.
 */
export class PendingQueue {
  readonly #reader: RingReader
  #offsets: Int32Array
  #lengths: Int32Array
  #ringBytes: Int32Array
  /** Text written by write() that was not checked on the app thread (see RingWriter): 1. */
  #unchecked: Uint8Array
  /** For records read from the spill: their bytes (ring records have none here). As long as the columns. */
  readonly #data: (Buffer | undefined)[]
  /** The queue is fields[#head..#tail): the columns never shrink (see moveToFront). */
  #head = 0
  #tail = 0
  #bytes = 0
  #nextSeq = 0
  /** When the oldest record (or marker) waiting now started waiting: batches linger from it. */
  oldestAt = TIME_ZERO
  markers: Buffer[] = []

  /**
   * `capacity`: records the queue expects to hold at most (the engine's read-ahead). Its
   * columns start that large, so that they never have to be replaced by larger ones (each
   * replacement also throws away the code V8 compiled against the old ones); past it, they
   * double.
   */
  constructor(reader: RingReader, capacity = DEFAULT_CAPACITY) {
    this.#reader = reader
    const size = Math.max(1, Math.min(MAX_INITIAL_CAPACITY, Number.isFinite(capacity) ? capacity : DEFAULT_CAPACITY))
    this.#offsets = new Int32Array(size)
    this.#lengths = new Int32Array(size)
    this.#ringBytes = new Int32Array(size)
    this.#unchecked = new Uint8Array(size)
    this.#data = new Array<Buffer | undefined>(size).fill(undefined)
  }

  get count(): number {
    return this.#tail - this.#head
  }

  get bytes(): number {
    return this.#bytes
  }

  /** Nothing to batch: no record, no marker. */
  get empty(): boolean {
    return this.count === 0 && this.markers.length === 0
  }

  /** Seq the next record read will get. */
  get nextSeq(): number {
    return this.#nextSeq
  }

  /** Seq of the first record not in a batch yet. */
  get batchedSeq(): number {
    return this.#nextSeq - this.count
  }

  /** Takes up to `limit` unread records of the ring, oldest first. */
  drainRing(limit = Infinity): Taken {
    return this.#reading((push) => this.#reader.read((offset, length, ringBytes, unchecked) => push(offset, length, ringBytes, undefined, unchecked), limit))
  }

  /** Reads up to `maxBytes` of spilled records; `onRecord(seq, end)` for each (end: its spill position). */
  drainSpill(spill: SpillReader, maxBytes: number, onRecord: (seq: number, end: number) => void): Taken {
    let read = 0 // seqs are assigned once the read is done: this is the record's place in it
    return this.#reading((push) =>
      spill.read(maxBytes, (payload, end, unchecked) => {
        onRecord(this.#nextSeq + read++, end)
        push(-1, payload.byteLength, 0, payload, unchecked)
      }),
    )
  }

  #reading(read: (push: (offset: number, length: number, ringBytes: number, data: Buffer | undefined, unchecked: boolean) => void) => void): Taken {
    const wasEmpty = this.empty
    let count = 0
    let bytes = 0
    read((offset, length, ringBytes, data, unchecked) => {
      const at = this.#tail++
      if (at === this.#offsets.length) this.#grow()
      this.#offsets[at] = offset
      this.#lengths[at] = length
      this.#ringBytes[at] = ringBytes
      this.#data[at] = data
      this.#unchecked[at] = unchecked ? 1 : 0
      bytes += length
      count++
    })
    if (count > 0) {
      if (wasEmpty) this.oldestAt = Date.now()
      this.#nextSeq += count
      this.#bytes += bytes
    }
    return { count, bytes, framed: 0 }
  }

  /** Twice the room, contents kept. */
  #grow(): void {
    const size = 2 * this.#offsets.length
    this.#offsets = grown(this.#offsets, size)
    this.#lengths = grown(this.#lengths, size)
    this.#ringBytes = grown(this.#ringBytes, size)
    this.#unchecked = grown(this.#unchecked, size)
    for (let i = this.#data.length; i < size; i++) this.#data.push(undefined)
  }

  /** Seqs used up by records that were lost before they could be read (damaged spill). */
  skipSeqs(n: number): void {
    this.#nextSeq += n
  }

  length(k: number): number {
    return this.#lengths[this.#head + k]!
  }

  /** The spilled bytes of record k, undefined for a ring record. */
  data(k: number): Buffer | undefined {
    return this.#data[this.#head + k]
  }

  unchecked(k: number): boolean {
    return this.#unchecked[this.#head + k] === 1
  }

  /** Record k's bytes: in the spill's buffer, or a view into the ring (valid until taken). */
  view(k: number): Buffer {
    return this.data(k) ?? this.#reader.view(this.#offsets[this.#head + k]!, this.length(k))
  }

  /** Copies record k from byte `skip` on into `target` at `at`. */
  copy(k: number, target: Buffer, at: number, skip = 0): void {
    const data = this.data(k)
    if (data) data.copy(target, at, skip)
    else this.#reader.copy(target, at, this.#offsets[this.#head + k]! + skip, this.length(k) - skip)
  }

  /**
   * How many records from k on (at most `max`, each one `fits` accepts) sit back to back in the
   * ring, none read from the spill: `copyRingSpan` copies them with one copy.
   */
  ringRun(k: number, max: number, fits: (k: number) => boolean): number {
    const at = this.#head + k
    let n = 0
    while (n < max && this.#data[at + n] === undefined && fits(k + n)) {
      if (n > 0 && this.#offsets[at + n] !== this.#offsets[at + n - 1]! + framedSize(this.#lengths[at + n - 1]!)) break
      n++
    }
    return n
  }

  /** The ring's bytes (ring records are at `ringOffset`; valid until taken). */
  get ringBytes(): Buffer {
    return this.#reader.bytes
  }

  /** Where record k's bytes start in the ring (a ring record's). */
  ringOffset(k: number): number {
    return this.#offsets[this.#head + k]!
  }

  /**
   * Copies the ring bytes from the start of record k to the end of record k+count-1 (a
   * `ringRun`, with the ring's frame headers between the records) into `target` at `at`.
   */
  copyRingSpan(k: number, count: number, target: Buffer, at: number): void {
    const first = this.#offsets[this.#head + k]!
    const last = this.#head + k + count - 1
    this.#reader.copy(target, at, first, this.#offsets[last]! + this.#lengths[last]! - first)
  }

  /** Takes the first `n` records (`bytes` their record bytes) off the queue and frees their ring space. */
  take(n: number, bytes: number): void {
    let ring = 0
    for (let i = this.#head; i < this.#head + n; i++) {
      ring += this.#ringBytes[i]!
      this.#data[i] = undefined
    }
    this.#head += n
    this.#bytes -= bytes
    if (this.#head === this.#tail) {
      this.#head = this.#tail = 0
    } else if (this.#head > 4096 && this.#head * 2 > this.#tail) {
      const head = this.#head
      const tail = this.#tail
      this.#offsets.copyWithin(0, head, tail)
      this.#lengths.copyWithin(0, head, tail)
      this.#ringBytes.copyWithin(0, head, tail)
      this.#unchecked.copyWithin(0, head, tail)
      moveToFront(this.#data, head, tail)
      this.#data.fill(undefined, tail - head, tail) // the moved records' old places
      this.#tail = tail - head
      this.#head = 0
    }
    this.#reader.release(ring)
  }

  /**
   * The oldest records whose removal frees at least `budgetOver` queue-budget bytes and
   * `ringOver` ring bytes (as many as there are, if not enough).
   */
  oldest(budgetOver: number, ringOver: number): Taken {
    let count = 0
    let bytes = 0
    let framed = 0
    let ring = 0
    while ((framed < budgetOver || ring < ringOver) && count < this.count) {
      const len = this.length(count)
      framed += framedSize(len)
      ring += this.#ringBytes[this.#head + count]!
      bytes += len
      count++
    }
    return { count, bytes, framed }
  }

  /**
   * Shutdown: takes what exists in memory alone (ring records) off the queue and frees every
   * ring byte. Records read from the spill stay counted as pending: they are still on disk
   * (the cursor never passed them), and the next run ships them.
   */
  dropMemoryOnly(): Taken {
    this.markers = []
    let count = 0
    let bytes = 0
    let framed = 0
    for (let k = 0; k < this.count; k++) {
      if (this.data(k)) continue
      count++
      bytes += this.length(k)
      framed += framedSize(this.length(k))
    }
    if (count === 0) return { count, bytes, framed }
    if (count === this.count) {
      this.take(count, bytes)
    } else {
      let ring = 0
      for (let i = this.#head; i < this.#tail; i++) ring += this.#ringBytes[i]!
      this.#reader.release(ring)
    }
    return { count, bytes, framed }
  }
}
