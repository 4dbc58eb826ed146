import { Fifo } from './fifo.js'

/**
 * One range of sequence numbers acknowledged as a unit: open until all `remaining` items of
 * it are acknowledged, in whatever order and however many pieces.
 */
export interface AckGroup {
  readonly start: number
  readonly end: number
  /** Items of the group not yet acknowledged. */
  remaining: number
}

/**
 * Acknowledgements that arrive out of order, turned into an in-order watermark (Vector's
 * OrderedAcknowledgements is the model). Items are numbered (seq) in the order they were
 * taken; a group is a seq range opened in that order (in the engine: one batch as first cut,
 * which stays open until every record of it, retried subsets and split halves included, is
 * settled). The watermark is the lowest seq not yet acknowledged: read pointers, spill
 * cursors and flush() advance on it.
 */
export class OrderedAcks {
  readonly #open = new Fifo<AckGroup>()

  open(start: number, end: number, items: number): AckGroup {
    const group = { start, end, remaining: items }
    this.#open.push(group)
    return group
  }

  /** Acknowledges `count` items of `group`; returns true when the watermark may have moved. */
  ack(group: AckGroup, count: number): boolean {
    group.remaining -= count
    if (group.remaining > 0 || this.#open.peek() !== group) return false
    while (this.#open.length > 0 && this.#open.peek()!.remaining === 0) this.#open.shift()
    return true
  }

  /** Lowest seq still open in a group, or `fallback` (the first seq not yet in a group). */
  watermark(fallback: number): number {
    const first = this.#open.peek()
    return first === undefined ? fallback : first.start
  }

  get openGroups(): number {
    return this.#open.length
  }
}
