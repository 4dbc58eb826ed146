import { Control, WRAP, framedSize, type SharedState } from './layout.js'

/** The consumer side of the ring: copies records out and frees their ring space at once. */
export class RingReader {
  readonly #control: Int32Array
  readonly #buf: Buffer
  readonly #i32: Int32Array
  readonly #cap: number
  #pos: number

  constructor(state: SharedState) {
    this.#control = new Int32Array(state.control)
    this.#buf = Buffer.from(state.data)
    this.#i32 = new Int32Array(state.data)
    this.#cap = state.data.byteLength
    this.#pos = Atomics.load(this.#control, Control.READ_POS)
  }

  isEmpty(): boolean {
    return Atomics.load(this.#control, Control.RING_FILL) === 0
  }

  /**
   * Moves up to `limit` records out of the ring, calling `take(record, framedSize)` for each.
   * Returns how many were taken.
   */
  drain(take: (record: Buffer, framed: number) => void, limit = Infinity): number {
    let available = Atomics.load(this.#control, Control.RING_FILL)
    let freed = 0
    let count = 0
    while (available - freed > 0 && count < limit) {
      if (this.#pos === this.#cap) this.#pos = 0
      const len = this.#i32[this.#pos >> 2]!
      if (len === WRAP) {
        freed += this.#cap - this.#pos
        this.#pos = 0
        continue
      }
      const framed = framedSize(len)
      const record = Buffer.allocUnsafe(len)
      this.#buf.copy(record, 0, this.#pos + 4, this.#pos + 4 + len)
      this.#pos += framed
      freed += framed
      count++
      take(record, framed)
      if (available - freed === 0) available = Atomics.load(this.#control, Control.RING_FILL)
    }
    if (this.#pos === this.#cap) this.#pos = 0
    if (freed > 0) {
      Atomics.store(this.#control, Control.READ_POS, this.#pos)
      Atomics.sub(this.#control, Control.RING_FILL, freed)
    }
    return count
  }
}
