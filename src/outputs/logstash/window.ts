/** Where Filebeat's slow start begins: a window of 10 events. */
const START_WINDOW = 10

/**
 * The number of events sent as one window on a connection, sized like Filebeat's slow
 * start (begin at 10, grow by half on success up to `bulkMaxSize`, halve on failure, grow
 * back quickly to the largest size that worked), with two changes that keep it steady when
 * connections keep dropping:
 *
 * - It grows on every fully acknowledged window that was full when sent, not once per round
 *   trip: with pipelining, two windows sent at the same size both count.
 * - A failure halves it at most down to an eighth of the largest size that worked (and never
 *   below 10): a connection that drops every few windows still moves useful windows, and
 *   the windows that did work show the server takes that size. (The size does not cause such
 *   drops; a server that only fails on large windows still gets windows 8 times smaller.)
 *
 * One window object lives as long as the connection slot, across reconnects: a new connection
 * to a host that was healthy starts at the size that worked there.
 */
export class SlowStartWindow {
  readonly #max: number
  #size: number
  #largestOk = 0

  constructor(bulkMaxSize: number) {
    this.#max = bulkMaxSize
    this.#size = Math.min(START_WINDOW, bulkMaxSize)
  }

  get size(): number {
    return this.#size
  }

  /** The largest window acknowledged in full so far. */
  get largestOk(): number {
    return this.#largestOk
  }

  /**
   * A window of `sent` events was acknowledged in full; `full` says whether it had the whole
   * window size when it was sent (a short tail window says nothing about larger ones).
   */
  acked(sent: number, full: boolean): void {
    if (!full) return
    if (sent > this.#largestOk) this.#largestOk = sent
    const grown = Math.min(Math.ceil(this.#size * 1.5), this.#max)
    // below the known-good size: recover to it quickly; at or above it: probe further
    this.#size = this.#size < this.#largestOk ? Math.min(grown, this.#largestOk) : grown
  }

  /** The connection failed or timed out while windows were in flight (once per connection). */
  failed(): void {
    const floor = Math.min(this.#max, Math.max(START_WINDOW, Math.ceil(this.#largestOk / 8)))
    this.#size = Math.min(this.#size, Math.max(floor, Math.floor(this.#size / 2)))
  }
}
