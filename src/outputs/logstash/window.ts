/** Where Filebeat's slow start begins: a window of 10 events. */
export const START_WINDOW = 10

/**
 * The number of events sent as one window on a connection, sized like Filebeat's slow
 * start: begin at 10, grow by half after every fully acknowledged window that used the whole
 * size (up to `bulkMaxSize`), halve on an error or timeout. After a shrink it grows back
 * quickly to the largest size that worked, and only then probes further.
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

  /** A window of `sent` events was acknowledged in full. */
  acked(sent: number): void {
    // a short tail window says nothing about whether a larger one would work
    if (sent < this.#size) return
    const grown = Math.min(Math.ceil(this.#size * 1.5), this.#max)
    if (this.#size >= this.#largestOk) {
      this.#largestOk = this.#size
      this.#size = grown
    } else {
      this.#size = Math.min(grown, this.#largestOk)
    }
  }

  /** The connection failed or timed out while windows were in flight. */
  failed(): void {
    this.#size = Math.max(1, Math.floor(this.#size / 2))
  }
}
