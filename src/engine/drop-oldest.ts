import { Control } from '../shared/layout.js'
import type { ConsumerLedger } from '../shared/ledger.js'
import type { EngineEvents } from './events.js'
import type { PendingQueue } from './pending-queue.js'
import type { Settler } from './settler.js'

/**
 * whenFull: drop-oldest. The producer writes past the budget; this evicts queued (never
 * in-flight) events until the budget has some slack again, so the next writes find ring
 * space. When a producer found no ring space at all (EVICT_REQUEST), it evicts until the
 * ring has that slack too, then answers it: the producer waits for this (or, on the
 * engine's own thread, called it).
 */
export class OldestEvictor {
  readonly #control: Int32Array
  readonly #queue: PendingQueue
  readonly #ringCapacity: number
  readonly #maxBytes: number
  readonly #ledger: ConsumerLedger
  readonly #settler: Settler
  readonly #events: EngineEvents

  constructor(control: Int32Array, queue: PendingQueue, ringCapacity: number, maxBytes: number, ledger: ConsumerLedger, settler: Settler, events: EngineEvents) {
    this.#control = control
    this.#queue = queue
    this.#ringCapacity = ringCapacity
    this.#maxBytes = maxBytes
    this.#ledger = ledger
    this.#settler = settler
    this.#events = events
  }

  run(): void {
    const maxBytes = this.#maxBytes
    const slack = Math.min(maxBytes >> 3, 1024 * 1024)
    const requested = Atomics.load(this.#control, Control.EVICT_REQUEST)
    const over = Atomics.load(this.#control, Control.USED_BYTES) - (maxBytes - slack)
    const ringOver = requested > 0 ? Atomics.load(this.#control, Control.RING_FILL) - (this.#ringCapacity - Math.max(slack, requested)) : 0
    const oldest = this.#queue.oldest(over, ringOver)
    if (oldest.count > 0) {
      this.#queue.take(oldest.count, oldest.bytes)
      this.#ledger.droppedPending('queue_full_oldest', oldest.count, oldest.bytes)
      this.#settler.budgetFreed(oldest.framed)
      this.#events.drop({ reason: 'queue_full_oldest', count: oldest.count })
      this.#settler.publishWatermark()
    }
    if (requested > 0) {
      Atomics.store(this.#control, Control.EVICT_REQUEST, 0)
      Atomics.notify(this.#control, Control.EVICT_REQUEST)
    }
  }
}
