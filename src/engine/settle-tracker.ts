/**
 * Knows which accepted events are settled (acked, failed or dropped) in acceptance order.
 * Events are numbered (seq) in the order the engine read them. A group is the seq range of
 * one batch as first cut; it stays open until every record of it (including retried
 * subsets and split halves) is settled. The watermark is the lowest seq not yet settled:
 * read pointers, spill cursors and flush() advance on it.
 */
export interface Group {
  readonly start: number
  readonly end: number
  /** Records of the group (loss markers included) not yet settled. */
  remaining: number
}

export class SettleTracker {
  readonly #open: Group[] = []
  #head = 0

  open(start: number, end: number, records: number): Group {
    const group = { start, end, remaining: records }
    this.#open.push(group)
    return group
  }

  /** Settles `count` records of `group`; returns true when the watermark may have moved. */
  settle(group: Group, count: number): boolean {
    group.remaining -= count
    if (group.remaining > 0 || this.#open[this.#head] !== group) return false
    while (this.#head < this.#open.length && this.#open[this.#head]!.remaining === 0) this.#head++
    if (this.#head > 1024 && this.#head * 2 > this.#open.length) {
      this.#open.splice(0, this.#head)
      this.#head = 0
    }
    return true
  }

  /** Lowest seq still open in a batch, or `fallback` (the first seq not yet batched). */
  watermark(fallback: number): number {
    const first = this.#open[this.#head]
    return first === undefined ? fallback : first.start
  }

  get openGroups(): number {
    return this.#open.length - this.#head
  }
}
