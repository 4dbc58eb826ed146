import { describeError, type LogshipErrorCode } from '../errors.js'
import type { ResolvedOptions } from '../options/schema.js'
import type { HostHealth, Output } from '../outputs/output.js'
import { RingReader } from '../ring/ring-reader.js'
import { RingPrefault } from '../ring/ring-prefault.js'
import { Control, type SharedState } from '../shared/layout.js'
import { ConsumerLedger } from '../shared/ledger.js'
import { SpillReader } from '../spill/spill-reader.js'
import { OrderedAcks } from '../util/ordered-acks.js'
import { Batcher } from './batcher.js'
import { deadLetterSink, type DeadLetterSink } from './dead-letter.js'
import { OldestEvictor } from './drop-oldest.js'
import { deliver, type DeliveryParts } from './delivery.js'
import type { EngineEvents, Wakeup } from './events.js'
import { LossCounter, lossMarker } from './loss-marker.js'
import { PendingQueue } from './pending-queue.js'
import { Sender } from './sender.js'
import { Settler } from './settler.js'
import { Stamper } from './stamp.js'

/** Batches waiting for others' acknowledgements may run beside the output's slots, up to this many per slot. */
const WAITING_PER_SLOT = 4

export type { EngineEvents, Wakeup } from './events.js'

/**
 * The shipping engine: drains the ring (or the spill) into the pending queue, has the
 * batcher cut batches, keeps up to `output.maxInFlight` of them in delivery, and stops
 * cleanly. Each stage has its own file: pending-queue, batcher, delivery (the retry
 * decision), sender (the output link), settler (ledger, watermark, spill cursor).
 * It runs on the worker thread by default, or on the app thread with `thread: 'main'`.
 */
export class Engine {
  readonly #options: ResolvedOptions
  readonly #output: Output
  readonly #events: EngineEvents
  readonly #wakeup: Wakeup
  readonly #control: Int32Array
  readonly #reader: RingReader
  /** On a worker: maps the ring's pages before the app thread writes there (see RingPrefault). */
  readonly #prefault: RingPrefault | undefined
  readonly #ledger: ConsumerLedger
  readonly #queue: PendingQueue
  readonly #batcher: Batcher
  readonly #settler: Settler
  readonly #sender: Sender
  readonly #delivery: DeliveryParts
  readonly #stamper: Stamper
  readonly #loss: LossCounter
  readonly #spill: SpillReader | undefined
  readonly #deadLetters: DeadLetterSink | undefined
  readonly #abort = new AbortController()
  #closing = false
  #stopped = false
  #evicting = false
  readonly #evictor: OldestEvictor | undefined
  /**
   * Ring records are read only this many ahead of the batches: the others wait where they
   * already are, in the ring, and the queue's arrays stay small whatever the backlog. Growing
   * them to a full ring's worth of records (a hundred thousand and more) cost the engine large
   * fresh allocations, and their first-touch page faults, every time the sink fell behind.
   * drop-oldest reads everything: it evicts from what has been read.
   */
  readonly #readAheadEvents: number
  #slots: Promise<void>[] = []
  /** Batches that wait for others' acknowledgements beside the output's slots (see #slotLoop). */
  #waiting = 0
  #pump: Promise<void> | undefined

  constructor(options: ResolvedOptions, state: SharedState, output: Output, events: EngineEvents, wakeup: Wakeup) {
    this.#options = options
    this.#output = output
    this.#events = events
    this.#wakeup = wakeup
    this.#control = new Int32Array(state.control)
    const counters = new Float64Array(state.counters)
    this.#reader = new RingReader(state)
    this.#prefault = options.thread === 'worker' ? new RingPrefault(state) : undefined
    this.#ledger = new ConsumerLedger(counters, this.#control)
    this.#stamper = new Stamper(options.fields)
    this.#loss = new LossCounter(counters)
    const deadLetters = (this.#deadLetters = deadLetterSink(options, output, (count, why) => {
      this.#ledger.deadLettersDiscarded(count)
      const hint = 'they stay counted as failed (raise deadLetter.maxBytes or deadLetter.maxFiles to keep more)'
      this.#error('LOGSHIP_ERR_DEAD_LETTER', `discarded ${count} dead-lettered events: ${why}; ${hint}`)
    }))
    output.reportTo?.((message) => this.#error('LOGSHIP_ERR_OUTPUT', message))
    const { durable, whenFull, spill } = options.queue
    if (durable || whenFull === 'spill') this.#spill = new SpillReader(spill.dir!, counters, this.#ledger, (m) => this.#error('LOGSHIP_ERR_SPILL', m))
    this.#readAheadEvents = whenFull === 'drop-oldest' ? Number.POSITIVE_INFINITY : Math.max(2, output.maxInFlight + 1) * options.batch.maxEvents
    this.#queue = new PendingQueue(this.#reader, this.#readAheadEvents)
    const acks = new OrderedAcks()
    this.#settler = new Settler(this.#ledger, this.#control, acks, this.#spill, events, deadLetters, output, {
      batchedSeq: () => this.#queue.batchedSeq,
      afterSettle: () => {
        this.#maybeMarkLoss()
        if (this.#spill?.hasUnread()) this.#wakeup.kick() // room to read more of the spill
      },
    })
    if (whenFull === 'drop-oldest')
      this.#evictor = new OldestEvictor(this.#control, this.#queue, this.#reader.capacity, options.queue.maxBytes, this.#ledger, this.#settler, events)
    const unref = options.thread === 'main' // the engine's timers must not keep the app alive on its own thread
    this.#batcher = new Batcher(options.batch, this.#queue, this.#stamper, acks, this.#ledger, output.maxInFlight, {
      stopped: () => this.#stopped,
      closing: () => this.#closing,
      ringHasUnread: () => this.#reader.hasUnread(),
      unrefIfShared: (timer) => (unref ? timer.unref() : timer),
      spaceFreed: () => {
        this.#settler.spaceFreed()
        if (this.#reader.hasUnread()) this.#wakeup.kick() // the pump may read further ahead now
      },
    })
    this.#sender = new Sender(output, this.#ledger, this.#abort.signal, unref, options.retry.maxDelayMs, (code, m) => this.#error(code, m))
    this.#delivery = {
      sender: this.#sender,
      settler: this.#settler,
      ledger: this.#ledger,
      policy: { ...options.retry, outputName: output.name },
      stopped: () => this.#stopped,
      onError: (message) => this.#error('LOGSHIP_ERR_DEAD_LETTER', message),
    }
  }

  get outputName(): string {
    return this.#output.name
  }

  health(): readonly HostHealth[] {
    return this.#sender.health()
  }

  start(): void {
    Atomics.store(this.#control, Control.ENGINE_STARTED, 1)
    this.#pump = this.#pumpLoop()
    for (let i = 0; i < Math.max(1, this.#output.maxInFlight); i++) this.#slots.push(this.#slotLoop())
  }

  /** Ships what is queued (bounded by `timeoutMs`), counts the rest as dropped, closes the output. */
  async close(timeoutMs: number): Promise<void> {
    if (this.#closing) return
    this.#closing = true
    this.#wakeup.kick()
    this.#batcher.wake()
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs)
    })
    await Promise.race([this.#slotsDone(), deadline])
    clearTimeout(timer)
    this.#stopped = true
    this.#abort.abort()
    this.#wakeup.kick()
    this.#batcher.wake()
    await this.#slotsDone()
    await this.#pump
    this.#dropEverythingLeft()
    this.#batcher.stop()
    await this.#deadLetters?.flushed()
    this.#announceClosed()
    await this.#output.close().catch((err: unknown) => this.#error('LOGSHIP_ERR_OUTPUT', `closing ${this.#output.name}: ${describeError(err)}`))
  }

  /**
   * The process is ending right now (an 'exit' listener on the engine's own thread): nothing
   * can be shipped any more. Everything queued or in flight is counted as dropped.shutdown,
   * synchronously, so that stats() read afterwards adds up. Nothing settles after this.
   */
  abandonNow(): void {
    if (this.#settler.abandoned) return
    this.#closing = true
    this.#stopped = true
    this.#abort.abort()
    this.#dropEverythingLeft()
    // records read from a spill stay on disk for the next run; the others are lost
    const inFlight = this.#spill ? 0 : this.#ledger.droppedInFlight()
    if (inFlight > 0) this.#events.drop({ reason: 'shutdown', count: inFlight })
    this.#settler.abandoned = true
    this.#announceClosed()
  }

  #announceClosed(): void {
    Atomics.store(this.#control, Control.ENGINE_CLOSED, 1)
    Atomics.notify(this.#control, Control.ENGINE_CLOSED)
  }

  async #pumpLoop(): Promise<void> {
    while (!this.#stopped) {
      this.#drain()
      if (this.#closing && !this.#reader.hasUnread()) this.#batcher.wake()
      // With the spill read ahead as far as it may go, only acknowledgements (which kick)
      // can give the engine more to do: don't let every spilled write ring for nothing.
      // Nor while the queue holds all the ring records it may: only a batch cut (which kicks) makes room.
      const readAheadFull = this.#ringReadAhead() <= 0
      const saturated = readAheadFull || (this.#spill !== undefined && this.#spillReadAhead() <= 0)
      await this.#wakeup.wait(() => (!readAheadFull && this.#reader.hasUnread()) || (this.#spill?.hasUnread() === true && this.#spillReadAhead() > 0), !saturated)
    }
  }

  async #slotLoop(): Promise<void> {
    for (;;) {
      const batch = await this.#batcher.next()
      if (!batch) return
      let waiting = false
      const waitsForOthers = (): void => {
        // Without this, batches that wait for others' acknowledgements could hold every slot
        // and wait for ever (Logstash: more refused events in a row than slots). A new slot
        // takes newer batches meanwhile; this one ends with its batch. Bounded: such batches
        // are at most WAITING_PER_SLOT times the output's slots.
        if (waiting || this.#waiting >= WAITING_PER_SLOT * Math.max(1, this.#output.maxInFlight)) return
        waiting = true
        this.#waiting++
        this.#slots.push(this.#slotLoop())
      }
      await deliver(batch, { ...this.#delivery, waitsForOthers })
      this.#batcher.returnArena(batch.arena)
      if (waiting) {
        this.#waiting--
        return
      }
    }
  }

  /** Every slot's end, including slots started while waiting (see #slotLoop). */
  async #slotsDone(): Promise<void> {
    let seen = -1
    while (seen !== this.#slots.length) {
      seen = this.#slots.length
      await Promise.all(this.#slots)
    }
  }

  /** Spill records are read ahead only this far: they wait on disk, not in memory. */
  #spillReadAhead(): number {
    return 2 * this.#options.batch.maxBytes - this.#queue.bytes
  }

  /** Room left in the queue for ring records (see #readAheadEvents). */
  #ringReadAhead(): number {
    return this.#readAheadEvents - this.#queue.count
  }

  /** `readAll`: the whole ring, past the read-ahead (at the end, to count what is left). */
  #drain(readAll = false): void {
    let { count, bytes } = this.#queue.drainRing(readAll ? Number.POSITIVE_INFINITY : this.#ringReadAhead())
    this.#prefault?.ahead(this.#reader.writeNear())
    // The ring first, then the spill: the producer only spills once the ring is full, and
    // goes back to the ring only after everything spilled has been read.
    if (count === 0 && !this.#reader.hasUnread() && this.#spill && this.#spillReadAhead() > 0) {
      ;({ count, bytes } = this.#queue.drainSpill(this.#spill, this.#spillReadAhead(), (seq, end) => this.#settler.spilled(seq, end)))
    }
    if (count === 0 && this.#spill && this.#queue.count === 0) this.#settleSpillLosses(this.#spill)
    if (count > 0) {
      this.#ledger.drained(count, bytes)
      this.#batcher.wake()
    }
    this.#evictor?.run()
    this.#maybeMarkLoss()
    if (this.#batcher.flushWanted()) this.#batcher.wake()
  }

  /**
   * Records the spill could not read back (damaged on disk) are lost: they take the next seqs
   * and are settled at once as dropped.corrupt (only while nothing is pending, so seqs stay
   * in queue order).
   */
  #settleSpillLosses(spill: SpillReader): void {
    const lost = spill.takeLost()
    if (lost > 0) {
      this.#queue.skipSeqs(lost)
      this.#ledger.drainedCorrupt(lost)
      this.#events.drop({ reason: 'corrupt', count: lost })
      this.#settler.publishWatermark()
    }
    if (this.#settler.spillSettled) spill.passDamage()
  }

  /** drop-oldest on the engine's own thread (thread: 'main'): the producer asks right here. */
  evictNow(): void {
    if (this.#evicting) return // a 'drop' listener that writes: the outer call is still at it
    this.#evicting = true
    try {
      this.#drain()
    } finally {
      this.#evicting = false
    }
  }

  /** Once the queue has room again, tell the sink how many events were lost and why. */
  #maybeMarkLoss(): void {
    if (!this.#loss.hasUnreported()) return
    if (Atomics.load(this.#control, Control.USED_BYTES) > this.#options.queue.maxBytes * 0.9) return
    const now = Date.now()
    if (this.#queue.empty) this.#queue.oldestAt = now
    // stamped like any event, so that filtering by the configured fields still shows the loss
    this.#queue.markers.push(this.#stamper.stamp(lossMarker(this.#loss.takeUnreported(), now), now))
    this.#batcher.wake()
  }

  /** After the close deadline: whatever exists in memory alone and is still queued is lost, and said so. */
  #dropEverythingLeft(): void {
    this.#drain(true)
    const lost = this.#queue.dropMemoryOnly()
    if (lost.count > 0) {
      this.#ledger.droppedPending('shutdown', lost.count, lost.bytes)
      Atomics.sub(this.#control, Control.USED_BYTES, lost.framed)
      // said once, with the in-flight ones, by the shipper (Shipper.#reportShutdownLoss)
      this.#events.drop({ reason: 'shutdown', count: lost.count })
    }
    if (!this.#spill) this.#settler.publishWatermark()
    this.#spill?.close()
  }

  #error(code: LogshipErrorCode, message: string): void {
    this.#events.error({ code, message })
  }
}
