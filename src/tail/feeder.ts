import type { FileState } from './file-state.js'
import { grown, moveToFront, putAt } from '../util/queue-arrays.js'

/** What the feeder needs from a shipper (the public Shipper has all of it). */
export interface RecordTarget {
  offerText(record: string): 'accepted' | 'full' | 'too_large'
  offerRecord(record: Uint8Array): 'accepted' | 'full' | 'too_large'
  writable(bytes?: number): Promise<void>
  progress(): { accepted: number; settled: number }
}

/** Room to wait for once the queue is full, so a full queue wakes the harvesters in bursts, not per event. */
const WAKE_ROOM = 256 * 1024

interface Checkpoint {
  readonly state: FileState
  readonly offset: number
}

/**
 * Read pointers waiting for acknowledgements: "once every record with seq below `seqEnd` is
 * settled, `state` is acknowledged up to `offset`". Seqs grow in acceptance order across all
 * files, so one FIFO serves every file.
 */
export class AckQueue {
  #seqs = new Float64Array(256)
  readonly #states: (FileState | undefined)[] = []
  #offsets = new Float64Array(256)
  /** The checkpoints are [#head, #tail) of the columns, which never shrink (see queue-arrays.ts). */
  #head = 0
  #tail = 0

  push(seqEnd: number, state: FileState, offset: number): void {
    const last = this.#tail - 1
    // Same file, no new record since its last checkpoint: move that checkpoint instead.
    if (last >= this.#head && this.#states[last] === state && this.#seqs[last] === seqEnd) {
      this.#offsets[last] = offset
      return
    }
    if (this.#tail === this.#seqs.length) {
      this.#seqs = grown(this.#seqs, 2 * this.#tail)
      this.#offsets = grown(this.#offsets, 2 * this.#tail)
    }
    this.#seqs[this.#tail] = seqEnd
    putAt(this.#states, this.#tail, state)
    this.#offsets[this.#tail] = offset
    this.#tail++
    state.pendingAcks++
  }

  /** Applies every checkpoint whose records are all settled. */
  advance(settled: number): void {
    while (this.#head < this.#tail && this.#seqs[this.#head]! <= settled) {
      const state = this.#states[this.#head]!
      state.acknowledge(this.#offsets[this.#head]!)
      state.pendingAcks--
      this.#states[this.#head++] = undefined // let a forgotten file's state be collected
    }
    if (this.#head === this.#tail) {
      this.#head = this.#tail = 0
    } else if (this.#head > 4096 && this.#head * 2 > this.#tail) {
      const size = this.size
      this.#seqs.copyWithin(0, this.#head, this.#tail)
      moveToFront(this.#states, this.#head, this.#tail)
      this.#offsets.copyWithin(0, this.#head, this.#tail)
      this.#states.fill(undefined, size, this.#tail) // the moved checkpoints' old places
      this.#head = 0
      this.#tail = size
    }
  }

  get size(): number {
    return this.#tail - this.#head
  }
}

/**
 * Hands records to the shipper without ever dropping one: when the queue is full, records
 * wait here (at most what the harvesters read before they noticed) and every harvester
 * pauses until they are in. Checkpoints ride in the same FIFO, so a read pointer is only
 * recorded after every record before it was accepted.
 */
export class Feeder {
  readonly #target: RecordTarget
  readonly #acks: AckQueue
  #queue: (string | Uint8Array | Checkpoint)[] = []
  #head = 0
  #queuedBytes = 0
  #draining: Promise<void> | undefined
  #closed = false
  /** Resolves when the feeder is closed: a reader waiting for room must not outlive a shutdown. */
  #closedSignal: Promise<void>
  #resolveClosed!: () => void
  /** The first record offered (the --once summary shows it). */
  first: string | undefined
  /** Records the shipper refused as too large for its queue (never expected: the config check prevents it). */
  tooLarge = 0
  onTooLarge: ((bytes: number) => void) | undefined

  constructor(target: RecordTarget, acks: AckQueue) {
    this.#target = target
    this.#acks = acks
    this.#closedSignal = new Promise((resolve) => (this.#resolveClosed = resolve))
  }

  /** True while records wait for room: readers should `await drained()` before reading more. */
  get backlogged(): boolean {
    return this.#head < this.#queue.length
  }

  get queuedBytes(): number {
    return this.#queuedBytes
  }

  /** One record as the bytes of a JSON object text; `record` may be reused by the caller after the call. */
  offerBytes(record: Uint8Array): void {
    if (this.#closed) return
    this.first ??= Buffer.from(record.buffer, record.byteOffset, record.byteLength).toString('utf8')
    if (this.#head === this.#queue.length) {
      const outcome = this.#target.offerRecord(record)
      if (outcome === 'accepted') return
      if (outcome === 'too_large') return this.#refused(record)
    }
    this.#enqueue(Uint8Array.prototype.slice.call(record))
  }

  /** One record: a JSON object text. */
  offer(record: string): void {
    if (this.#closed) return
    this.first ??= record
    if (this.#head === this.#queue.length) {
      const outcome = this.#target.offerText(record)
      if (outcome === 'accepted') return
      if (outcome === 'too_large') return this.#refused(record)
    }
    this.#enqueue(record)
  }

  #enqueue(record: string | Uint8Array): void {
    this.#queue.push(record)
    this.#queuedBytes += sizeOf(record)
    this.#draining ??= this.#drain()
  }

  /** Records that `state` may be acknowledged up to `offset` once everything offered so far is settled. */
  checkpoint(state: FileState, offset: number): void {
    if (this.#closed) return
    if (this.#head === this.#queue.length) this.#acks.push(this.#target.progress().accepted, state, offset)
    else this.#queue.push({ state, offset })
  }

  /** Resolves when nothing waits here any more, or when the feeder is closed. */
  drained(): Promise<void> {
    if (!this.#draining || this.#closed) return Promise.resolve()
    return Promise.race([this.#draining, this.#closedSignal])
  }

  /**
   * Stops feeding (shutdown): what still waits here was never accepted, so its read pointers
   * never moved (it is read again at the next start). Returns how many records that was.
   */
  close(): number {
    let left = 0
    for (let i = this.#head; i < this.#queue.length; i++) if (typeof this.#queue[i] === 'string' || this.#queue[i] instanceof Uint8Array) left++
    this.#closed = true
    this.#resolveClosed()
    this.#queue = []
    this.#head = 0
    this.#queuedBytes = 0
    return left
  }

  async #drain(): Promise<void> {
    // Yield first: if the loop could finish synchronously, its `finally` would run before the
    // caller stores this promise in #draining, leaving a stale one there and no drain running.
    await null
    try {
      while (!this.#closed && this.#head < this.#queue.length) {
        const item = this.#queue[this.#head]!
        if (typeof item !== 'string' && !(item instanceof Uint8Array)) {
          this.#acks.push(this.#target.progress().accepted, item.state, item.offset)
          this.#head++
          continue
        }
        const outcome = typeof item === 'string' ? this.#target.offerText(item) : this.#target.offerRecord(item)
        if (outcome === 'full') {
          await this.#target.writable(Math.max(sizeOf(item) * 3, WAKE_ROOM))
          continue
        }
        if (outcome === 'too_large') this.#refused(item)
        this.#head++
        this.#queuedBytes -= sizeOf(item)
      }
    } finally {
      this.#queue = []
      this.#head = 0
      this.#queuedBytes = 0
      this.#draining = undefined
    }
  }

  #refused(record: string | Uint8Array): void {
    this.tooLarge++
    this.onTooLarge?.(typeof record === 'string' ? Buffer.byteLength(record) : record.byteLength)
  }
}

function sizeOf(record: string | Uint8Array): number {
  return typeof record === 'string' ? record.length : record.byteLength
}
