import type { Output, RejectedRecord } from '../outputs/output.js'
import { Control } from '../shared/layout.js'
import type { ConsumerLedger, SettleOutcome } from '../shared/ledger.js'
import type { SpillReader } from '../spill/spill-reader.js'
import { Fifo } from '../util/fifo.js'
import type { OrderedAcks } from '../util/ordered-acks.js'
import type { DeadLetterEntry, DeadLetterSink } from './dead-letter.js'
import type { EngineEvents } from './events.js'
import { MARKER, recordAt, type WorkBatch } from './work-batch.js'

/** What settling needs from the rest of the engine. */
export interface SettlerHost {
  /** Seq of the first record not in a batch yet (the watermark when no batch is open). */
  batchedSeq(): number
  /** After every settle: room may have appeared (loss markers, spill read-ahead). */
  afterSettle(): void
}

/**
 * Ends records' lives: moves the ledger (in flight → acked, failed or dropped), gives their
 * queue budget back, hands refused ones to the dead-letter sink, and moves the settled
 * watermark — in order, whatever order answers come in — which advances flush(), read
 * pointers in tail mode, and the spill cursor.
 */
export class Settler {
  readonly #ledger: ConsumerLedger
  readonly #control: Int32Array
  readonly #acks: OrderedAcks
  readonly #spill: SpillReader | undefined
  readonly #events: EngineEvents
  readonly #deadLetters: DeadLetterSink | undefined
  readonly #output: Output
  readonly #host: SettlerHost
  /** Seq and end position of each record read from the spill, until acknowledged. */
  readonly #spillMarks = new Fifo<{ seq: number; end: number }>()
  #settled = 0
  /** The engine was abandoned: the ledger is final, late answers from the output change nothing. */
  abandoned = false

  constructor(
    ledger: ConsumerLedger,
    control: Int32Array,
    acks: OrderedAcks,
    spill: SpillReader | undefined,
    events: EngineEvents,
    deadLetters: DeadLetterSink | undefined,
    output: Output,
    host: SettlerHost,
  ) {
    this.#ledger = ledger
    this.#control = control
    this.#acks = acks
    this.#spill = spill
    this.#events = events
    this.#deadLetters = deadLetters
    this.#output = output
    this.#host = host
  }

  /** A record read from the spill: the spill cursor passes `end` once `seq` is settled. */
  spilled(seq: number, end: number): void {
    this.#spillMarks.push({ seq, end })
  }

  /** Every record read from the spill is settled. */
  get spillSettled(): boolean {
    return this.#spillMarks.length === 0
  }

  settle(batch: WorkBatch, which: readonly number[], outcome: SettleOutcome): void {
    if (which.length === 0 || this.abandoned) return
    let user = 0
    let framed = 0
    for (const i of which) {
      if (batch.seqs[i] === MARKER) continue
      user++
      framed += batch.framed[i]!
    }
    this.#ledger.settled(outcome, user, batch.group.remaining === which.length)
    if (outcome === 'shutdown' && user > 0) this.#events.drop({ reason: 'shutdown', count: user })
    if (framed > 0) this.budgetFreed(framed)
    if (this.#acks.ack(batch.group, which.length)) this.publishWatermark()
    this.#host.afterSettle()
  }

  /** Settles `rejected` as failed and resolves once their dead letters are written (memory stays bounded on a slow disk). */
  async fail(batch: WorkBatch, rejected: readonly RejectedRecord[], onError: (message: string) => void): Promise<void> {
    const entries: DeadLetterEntry[] = rejected
      .filter((r) => batch.seqs[r.index] !== MARKER)
      .map((r) => (r.status === undefined ? { record: recordAt(batch, r.index), reason: r.reason } : { record: recordAt(batch, r.index), reason: r.reason, status: r.status }))
    this.settle(
      batch,
      rejected.map((r) => r.index),
      'failed',
    )
    if (entries.length === 0) return
    const written = this.#deadLetters?.append(this.#output.name, entries, onError)
    const reason = entries[0]!.reason
    this.#events.deadLetter({ reason, count: entries.length, events: entries.slice(0, 100).map((e) => Buffer.from(e.record).toString('utf8')) })
    await written
  }

  /** Gives `framed` bytes of queue budget back. */
  budgetFreed(framed: number): void {
    Atomics.sub(this.#control, Control.USED_BYTES, framed)
    this.spaceFreed()
  }

  /** Wakes a producer waiting for ring space, budget or spill room. */
  spaceFreed(): void {
    Atomics.add(this.#control, Control.SPACE_SEQ, 1)
    if (Atomics.load(this.#control, Control.PRODUCER_WAITING) === 1) Atomics.notify(this.#control, Control.SPACE_SEQ)
  }

  /** Moves SETTLED to the lowest seq not settled, and wakes flush() waiters. */
  publishWatermark(): void {
    const watermark = this.#acks.watermark(this.#host.batchedSeq())
    if (watermark === this.#settled) return
    this.#ledger.settledUpTo(watermark)
    this.#settled = watermark
    this.#advanceSpillCursor(watermark)
    Atomics.add(this.#control, Control.SETTLE_SEQ, 1)
    if (Atomics.load(this.#control, Control.FLUSH_WAITING) === 1) Atomics.notify(this.#control, Control.SETTLE_SEQ)
  }

  /** Spilled records below the watermark are settled: the spill cursor may pass them. */
  #advanceSpillCursor(watermark: number): void {
    if (!this.#spill) return
    let count = 0
    let end = -1
    while (this.#spillMarks.length > 0 && this.#spillMarks.peek()!.seq < watermark) {
      end = this.#spillMarks.shift()!.end
      count++
    }
    if (count > 0) {
      this.#spill.ack(end, count)
      this.spaceFreed() // a producer may wait for spill space
    }
  }
}
