import { Control, UNCHECKED, WRAP, framedSize, type SharedState } from '../shared/layout.js'

/**
 * The consumer side of the ring. Reading does not free: a record stays in shared memory,
 * readable in place, until the engine has copied it into a batch (or evicted it) and calls
 * `release` for it. Records are released in the order they were read, so the ring itself is
 * the engine's pending queue and holds no second copy of anything.
 */
export class RingReader {
  readonly #control: Int32Array
  readonly #buf: Buffer
  readonly #i32: Int32Array
  readonly #cap: number
  #pos = 0
  /** Bytes read (framing and wrap waste included) but not released yet. */
  #held = 0

  constructor(state: SharedState) {
    this.#control = new Int32Array(state.control)
    this.#buf = Buffer.from(state.data)
    this.#i32 = new Int32Array(state.data)
    this.#cap = state.data.byteLength
  }

  /** Size of the ring in bytes. */
  get capacity(): number {
    return this.#cap
  }

  /** Whether the producer has published records not read yet. */
  hasUnread(): boolean {
    return Atomics.load(this.#control, Control.RING_FILL) - this.#held > 0
  }

  /**
   * Reads up to `limit` unread records in order, calling `take(offset, length, ringBytes,
   * unchecked)` for each, where `ringBytes` is what releasing it frees (its frame plus any wrap
   * waste before it) and `unchecked` says the engine must check it (see UNCHECKED). Returns
   * how many were read.
   */
  read(take: (offset: number, length: number, ringBytes: number, unchecked: boolean) => void, limit = Infinity): number {
    let available = Atomics.load(this.#control, Control.RING_FILL) - this.#held
    let count = 0
    let waste = 0
    while (available > 0 && count < limit) {
      if (this.#pos === this.#cap) this.#pos = 0
      const word = this.#i32[this.#pos >> 2]!
      if (word === WRAP) {
        const skipped = this.#cap - this.#pos
        waste += skipped
        available -= skipped
        this.#held += skipped
        this.#pos = 0
        continue
      }
      const len = word & ~UNCHECKED
      const framed = framedSize(len)
      take(this.#pos + 4, len, framed + waste, (word & UNCHECKED) !== 0)
      waste = 0
      this.#pos += framed
      this.#held += framed
      available -= framed
      count++
      if (available === 0) available = Atomics.load(this.#control, Control.RING_FILL) - this.#held
    }
    if (this.#pos === this.#cap) this.#pos = 0
    Atomics.store(this.#control, Control.HELD, this.#held)
    return count
  }

  /** About where the producer writes now: past the last record read, by the bytes not read yet. */
  writeNear(): number {
    return this.#pos + Atomics.load(this.#control, Control.RING_FILL) - this.#held
  }

  /** The ring's shared memory (records at the offsets `read` reports; valid until released). */
  get bytes(): Buffer {
    return this.#buf
  }

  /** A view of a record in shared memory; valid until the record is released. */
  view(offset: number, length: number): Buffer {
    return this.#buf.subarray(offset, offset + length)
  }

  copy(target: Buffer, targetStart: number, offset: number, length: number): void {
    this.#buf.copy(target, targetStart, offset, offset + length)
  }

  /** Frees ring bytes of records read earliest (in read order). */
  release(ringBytes: number): void {
    if (ringBytes === 0) return
    this.#held -= ringBytes
    Atomics.store(this.#control, Control.HELD, this.#held)
    Atomics.sub(this.#control, Control.RING_FILL, ringBytes)
  }
}
