import type { SharedState } from '../shared/layout.js'

/** How far ahead of the producer the ring's pages are touched. */
const AHEAD_BYTES = 4 * 1024 * 1024
const PAGE_BYTES = 4096

/**
 * Touches the ring's pages a little ahead of the producer, from the engine's thread, so that
 * the app thread's `write()` does not pay for them. A SharedArrayBuffer's memory is mapped
 * on first write, one page fault per 4 KiB: for a 32 MiB ring that is 8,192 faults, ~10 µs
 * each in a paravirtualized VM (84 ms measured on the project's machine), all of them on the
 * app thread during the ring's first lap. Only pages up to AHEAD_BYTES past the producer are
 * touched, so a quiet app's memory grows as it logs, as before.
 *
 * The touch is `Atomics.compareExchange(word, 0, 0)`: it writes only a zero over a zero, as
 * one indivisible operation, so a record the producer is writing into the same word at that
 * moment is never overwritten (a plain store could write 0 over it).
 */
export class RingPrefault {
  readonly #i32: Int32Array
  readonly #cap: number
  /** Every page below this has been touched (by us or the producer). */
  #touchedTo = 0

  constructor(state: SharedState) {
    this.#i32 = new Int32Array(state.data)
    this.#cap = state.data.byteLength
  }

  /** `writeAt`: about where the producer writes now (a byte offset in the ring). */
  ahead(writeAt: number): void {
    if (this.#touchedTo >= this.#cap) return
    const until = Math.min(this.#cap, writeAt + AHEAD_BYTES)
    const i32 = this.#i32
    let at = this.#touchedTo
    for (; at < until; at += PAGE_BYTES) Atomics.compareExchange(i32, at >> 2, 0, 0)
    this.#touchedTo = at
  }
}
