import { Control, UNCHECKED, WRAP, framedSize, maxRecordBytes, type SharedState } from '../shared/layout.js'
import { ProducerLedger } from '../shared/ledger.js'

export type WriteOutcome = 'accepted' | 'full' | 'too_large'

/**
 * The producer side of the ring: encodes a string (or copies bytes) straight into shared
 * memory. It only checks room; policies live in the Intake above it.
 */
export class RingWriter {
  readonly #control: Int32Array
  readonly #ledger: ProducerLedger
  readonly #buf: Buffer
  readonly #i32: Int32Array
  readonly #cap: number
  readonly #maxBytes: number
  /** Largest record the ring can take whatever its state (see ringCapacity). */
  readonly maxRecordBytes: number
  #pos: number
  readonly #notify: () => void
  readonly #wakeBytes: number
  /**
   * Upper bounds of RING_FILL and USED_BYTES: exact after each of our own adds, and only the
   * consumer lowers them. The fast path checks room against these instead of loading the
   * shared words (which the worker keeps changing: each load could miss the cache), and
   * loads the exact values only when the bounds say no.
   */
  #fillBound = 0
  #usedBound = 0

  /**
   * `notify` wakes a sleeping consumer. It is called only once `wakeBytes` are unread:
   * waking another thread costs a system call, so a consumer that sleeps with a timeout
   * (the worker) collects small amounts on its own schedule.
   */
  constructor(state: SharedState, maxBytes: number, notify: () => void, wakeBytes = 0) {
    this.#control = new Int32Array(state.control)
    this.#ledger = ProducerLedger.of(state)
    this.#buf = Buffer.from(state.data)
    this.#i32 = new Int32Array(state.data)
    this.#cap = state.data.byteLength
    this.#maxBytes = maxBytes
    this.maxRecordBytes = maxRecordBytes(maxBytes)
    this.#pos = 0
    this.#notify = notify
    this.#wakeBytes = wakeBytes
  }

  /** Wakes the consumer now (a producer about to wait for room wants it busy). */
  wakeConsumer(): void {
    this.#notify()
  }

  /** Fraction of the queue budget in use (0..1). */
  fill(): number {
    return Atomics.load(this.#control, Control.USED_BYTES) / this.#maxBytes
  }

  /** Whether a record of `len` bytes would be accepted now (budget checked unless `ignoreBudget`). */
  hasRoom(len: number, ignoreBudget = false): boolean {
    const framed = framedSize(len)
    if (!ignoreBudget && Atomics.load(this.#control, Control.USED_BYTES) + framed > this.#maxBytes) return false
    return this.#physicalNeed(framed) <= this.#cap - Atomics.load(this.#control, Control.RING_FILL)
  }

  #physicalNeed(framed: number): number {
    const tail = this.#cap - this.#pos
    return tail >= framed ? framed : tail + framed
  }

  /**
   * Writes one record. `ignoreBudget` (drop-oldest) only needs physical room: the engine
   * evicts the oldest queued events to get back under budget.
   */
  writeString(text: string, ignoreBudget: boolean, unchecked = false): WriteOutcome {
    // Fast path: room for the worst case (3 bytes per UTF-16 unit) right here, no wrap.
    const worst = framedSize(text.length * 3)
    if (worst <= this.#cap - this.#pos && text.length * 3 <= this.maxRecordBytes && (worst <= this.#cap - this.#fillBound || worst <= this.#cap - this.#loadFill())) {
      const len = this.#buf.write(text, this.#pos + 4, 'utf8')
      return this.#commit(len, ignoreBudget, 0, unchecked)
    }
    const len = Buffer.byteLength(text, 'utf8')
    if (len > this.maxRecordBytes) return 'too_large'
    const wrap = this.#reserve(len, ignoreBudget)
    if (wrap < 0) return 'full'
    this.#buf.write(text, this.#pos + 4, len, 'utf8')
    return this.#commit(len, ignoreBudget, wrap, unchecked)
  }

  writeBytes(bytes: Uint8Array, ignoreBudget: boolean): WriteOutcome {
    const len = bytes.byteLength
    if (len > this.maxRecordBytes) return 'too_large'
    const wrap = this.#reserve(len, ignoreBudget)
    if (wrap < 0) return 'full'
    this.#buf.set(bytes, this.#pos + 4)
    return this.#commit(len, ignoreBudget, wrap)
  }

  /** Checks room; when the record must wrap, writes the WRAP marker and moves to 0. Returns wasted bytes or -1. */
  #reserve(len: number, ignoreBudget: boolean): number {
    if (!this.hasRoom(len, ignoreBudget)) return -1
    const tail = this.#cap - this.#pos
    if (tail >= framedSize(len)) return 0
    if (tail >= 4) this.#i32[this.#pos >> 2] = WRAP
    this.#pos = 0
    return tail
  }

  #loadFill(): number {
    this.#fillBound = Atomics.load(this.#control, Control.RING_FILL)
    return this.#fillBound
  }

  #overBudget(framed: number): boolean {
    if (this.#usedBound + framed <= this.#maxBytes) return false
    this.#usedBound = Atomics.load(this.#control, Control.USED_BYTES)
    return this.#usedBound + framed > this.#maxBytes
  }

  /** The bytes are in place at #pos+4: re-check room with the exact size, then publish. */
  #commit(len: number, ignoreBudget: boolean, wrapWaste: number, unchecked = false): WriteOutcome {
    const framed = framedSize(len)
    if (wrapWaste === 0 && !ignoreBudget && this.#overBudget(framed)) return 'full'
    if (len > this.maxRecordBytes) return 'too_large'
    this.#i32[this.#pos >> 2] = unchecked ? len | UNCHECKED : len
    const at = this.#pos
    this.#pos = at + framed === this.#cap ? 0 : at + framed
    this.#usedBound = Atomics.add(this.#control, Control.USED_BYTES, framed) + framed
    const fill = Atomics.add(this.#control, Control.RING_FILL, framed + wrapWaste) + framed + wrapWaste
    this.#fillBound = fill
    this.#ledger.accepted()
    if (Atomics.load(this.#control, Control.CONSUMER_SLEEPING) === 1 && fill - Atomics.load(this.#control, Control.HELD) >= this.#wakeBytes) {
      // Only the write that flips the flag rings: the consumer takes a while to wake up.
      if (Atomics.compareExchange(this.#control, Control.CONSUMER_SLEEPING, 1, 0) === 1) this.#notify()
    }
    return 'accepted'
  }
}
