import { Control, Counter, PRODUCER_DROP_REASONS, type SharedState } from './layout.js'

export type ProducerDropReason = keyof typeof PRODUCER_DROP_REASONS

/** How a record in flight ends: stored by the output, refused (dead-lettered), or lost at shutdown. */
export type SettleOutcome = 'acked' | 'failed' | 'shutdown'

const SETTLE_SLOT = { acked: Counter.ACKED, failed: Counter.FAILED, shutdown: Counter.DROPPED_SHUTDOWN } as const

/**
 * The engine's half of the stats ledger. Each change is a group of counter moves made
 * inside a seqlock, so the app thread (another thread, in worker mode) always reads a
 * consistent snapshot and `received = acked + dropped + sampledOut + failed + queued +
 * inFlight` holds at every instant. The named methods are the engine's moves; `move` is
 * the primitive they (and the spill reader) use.
 */
export class ConsumerLedger {
  readonly #c: Float64Array
  readonly #control: Int32Array
  constructor(counters: Float64Array, control: Int32Array) {
    this.#c = counters
    this.#control = control
  }

  static of(state: SharedState): ConsumerLedger {
    return new ConsumerLedger(new Float64Array(state.counters), new Int32Array(state.control))
  }

  /** Applies `moves` (slot, delta pairs) as one update readers see whole or not at all. */
  move(...moves: number[]): void {
    const c = this.#c
    Atomics.add(this.#control, Control.LEDGER_SEQ, 1)
    for (let i = 0; i < moves.length; i += 2) c[moves[i]!]! += moves[i + 1]!
    Atomics.add(this.#control, Control.LEDGER_SEQ, 1)
  }

  /** The current value of a slot (the engine's own slots, or the producer's for reading). */
  value(slot: number): number {
    return this.#c[slot]!
  }

  /** Sets a slot to `to` (as a move, inside the seqlock). */
  set(slot: number, to: number): void {
    this.move(slot, to - this.#c[slot]!)
  }

  /** Records read from the ring or the spill into the pending queue. */
  drained(count: number, bytes: number): void {
    this.move(Counter.DRAINED, count, Counter.PENDING, count, Counter.PENDING_BYTES, bytes)
  }

  /** Spilled records that could not be read back: drained and lost in one step. */
  drainedCorrupt(count: number): void {
    this.move(Counter.DRAINED, count, Counter.DROPPED_CORRUPT, count)
  }

  /** Pending records cut into one batch. */
  batched(count: number, bytes: number): void {
    this.move(Counter.PENDING, -count, Counter.PENDING_BYTES, -bytes, Counter.IN_FLIGHT_EVENTS, count, Counter.IN_FLIGHT_BATCHES, 1)
  }

  /** Pending records lost before they were batched: evicted by drop-oldest, or left at shutdown. */
  droppedPending(reason: 'queue_full_oldest' | 'shutdown', count: number, bytes: number): void {
    this.move(Counter.PENDING, -count, Counter.PENDING_BYTES, -bytes, reason === 'shutdown' ? Counter.DROPPED_SHUTDOWN : Counter.DROPPED_OLDEST, count)
  }

  /** `count` user records of a batch in flight settled; `lastOfBatch` when the batch is done with. */
  settled(outcome: SettleOutcome, count: number, lastOfBatch: boolean): void {
    this.move(Counter.IN_FLIGHT_EVENTS, -count, SETTLE_SLOT[outcome], count, Counter.IN_FLIGHT_BATCHES, lastOfBatch ? -1 : 0)
  }

  /** Everything in flight is lost now (the process ends). Returns how many events. */
  droppedInFlight(): number {
    const events = this.#c[Counter.IN_FLIGHT_EVENTS]!
    if (events > 0) this.move(Counter.IN_FLIGHT_EVENTS, -events, Counter.IN_FLIGHT_BATCHES, -this.#c[Counter.IN_FLIGHT_BATCHES]!, Counter.DROPPED_SHUTDOWN, events)
    return events
  }

  /**
   * The worker died without counting (called from the app thread): every event it had not
   * settled — unread in the ring, pending, in flight — is lost. Returns how many.
   */
  droppedByDeadWorker(): number {
    const c = this.#c
    const unread = c[Counter.ACCEPTED]! - c[Counter.DRAINED]!
    const lost = unread + c[Counter.PENDING]! + c[Counter.IN_FLIGHT_EVENTS]!
    if (lost <= 0) return 0
    this.move(
      Counter.DRAINED,
      unread,
      Counter.PENDING,
      -c[Counter.PENDING]!,
      Counter.PENDING_BYTES,
      -c[Counter.PENDING_BYTES]!,
      Counter.IN_FLIGHT_EVENTS,
      -c[Counter.IN_FLIGHT_EVENTS]!,
      Counter.IN_FLIGHT_BATCHES,
      -c[Counter.IN_FLIGHT_BATCHES]!,
      Counter.DROPPED_SHUTDOWN,
      lost,
    )
    return lost
  }

  retried(count: number): void {
    this.move(Counter.RETRIED, count)
  }

  deadLettersDiscarded(count: number): void {
    this.move(Counter.DEAD_LETTER_DISCARDED, count)
  }

  /** Every event with seq below `watermark` is settled. */
  settledUpTo(watermark: number): void {
    this.set(Counter.SETTLED, watermark)
  }

  get flushTarget(): number {
    return this.#c[Counter.FLUSH_TARGET]!
  }

  get inFlightEvents(): number {
    return this.#c[Counter.IN_FLIGHT_EVENTS]!
  }

  /** The oldest unanswered send started at `at` (epoch ms; 0: none). */
  oldestSendAt(at: number): void {
    this.set(Counter.SEND_OLDEST_AT, at)
  }

  /** One send finished after `ms`, in latency bucket `bucket`; `oldestAt` as in oldestSendAt. */
  sendFinished(bucket: number, ms: number, oldestAt: number): void {
    this.move(Counter.SEND_LATENCY + bucket, 1, Counter.SEND_MS_SUM, ms, Counter.SEND_OLDEST_AT, oldestAt - this.#c[Counter.SEND_OLDEST_AT]!)
  }

  /** The output's answer was not a failure, at `now`. */
  outputAnswered(now: number): void {
    this.move(Counter.LAST_ACK_AT, now - this.#c[Counter.LAST_ACK_AT]!, Counter.OUTPUT_FAILING, -this.#c[Counter.OUTPUT_FAILING]!)
  }

  outputFailing(): void {
    this.set(Counter.OUTPUT_FAILING, 1)
  }
}

/**
 * The app thread's half of the ledger: the producer's slots have one writer (this thread),
 * so they are plain writes; readers tolerate a count that is one behind.
 */
export class ProducerLedger {
  readonly #c: Float64Array
  constructor(counters: Float64Array) {
    this.#c = counters
  }

  static of(state: SharedState): ProducerLedger {
    return new ProducerLedger(new Float64Array(state.counters))
  }

  received(): void {
    this.#c[Counter.RECEIVED]! += 1
  }

  accepted(): void {
    this.#c[Counter.ACCEPTED]! += 1
  }

  /** One event turned away (or sampled out) before it reached the queue. */
  lost(reason: ProducerDropReason | 'sampled'): void {
    if (reason === 'sampled') this.#c[Counter.SAMPLED_OUT]! += 1
    else this.#c[PRODUCER_DROP_REASONS[reason]]! += 1
  }

  /** Records a previous run left in the spill: received, accepted and spilled, shipped first. */
  adoptSpilled(count: number): void {
    this.#c[Counter.RECEIVED]! += count
    this.#c[Counter.ACCEPTED]! += count
    this.#c[Counter.SPILLED_EVENTS]! += count
  }

  /** Asks the engine to ship everything accepted so far now; returns that target. */
  requestFlush(): number {
    const target = this.#c[Counter.ACCEPTED]!
    if (this.#c[Counter.FLUSH_TARGET]! < target) this.#c[Counter.FLUSH_TARGET] = target
    return target
  }

  get acceptedCount(): number {
    return this.#c[Counter.ACCEPTED]!
  }

  /** Every event with seq below this is settled. */
  get settled(): number {
    return this.#c[Counter.SETTLED]!
  }

  /** Events the output has acknowledged or refused: moves whenever the output makes progress. */
  get answered(): number {
    return this.#c[Counter.ACKED]! + this.#c[Counter.FAILED]!
  }

  get droppedOldest(): number {
    return this.#c[Counter.DROPPED_OLDEST]!
  }

  get droppedShutdown(): number {
    return this.#c[Counter.DROPPED_SHUTDOWN]!
  }

  /** Every spilled record has been read by the engine (the producer may use the ring again). */
  spillDrained(): boolean {
    return this.#c[Counter.SPILL_READ_EVENTS]! >= this.#c[Counter.SPILLED_EVENTS]!
  }

  /** Spill bytes written and not yet read by the engine. */
  spillUnreadBytes(): number {
    return this.#c[Counter.SPILL_WRITTEN_POS]! - this.#c[Counter.SPILL_READ_POS]!
  }
}

/** A consistent copy of every counter (retries while the engine is mid-update). */
export function readCounters(counters: Float64Array, control: Int32Array): Float64Array {
  for (;;) {
    const before = Atomics.load(control, Control.LEDGER_SEQ)
    if ((before & 1) === 1) continue
    const copy = counters.slice()
    if (Atomics.load(control, Control.LEDGER_SEQ) === before) return copy
  }
}
