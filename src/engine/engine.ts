import type { Batch, HostHealth, Output, RejectedRecord, SendResult } from '../outputs/output.js'
import type { ResolvedOptions } from '../options/schema.js'
import { Control, Counter, framedSize, type SharedState } from '../shared/layout.js'
import { RingReader } from '../ring/ring-reader.js'
import { ConsumerLedger } from '../shared/ledger.js'
import { OrderedAcks, type AckGroup as Group } from '../util/ordered-acks.js'
import { backoffDelay } from '../util/backoff.js'
import { DEFAULT_DEAD_LETTER_LIMITS, DeadLetterFile, DeadLetterIndex, type DeadLetterEntry, type DeadLetterSink } from './dead-letter.js'
import { Stamper } from './stamp.js'
import { lossMarker, LossCounter } from './loss-marker.js'
import { describeError } from '../errors.js'
import { SpillReader } from '../spill/spill-reader.js'
import { latencyBucket } from './latency.js'
import { isJsonObjectText } from '../record/json-object-check.js'
import { stringRecord } from '../record/to-record.js'

/** While the output fails, one batch tries again at least this often (see Engine#backoff). */
const PROBE_MS = 2000

/** What the engine tells the shipper (in worker mode, these cross the thread boundary). */
export interface EngineEvents {
  error(info: { code: string; message: string }): void
  deadLetter(info: { reason: string; count: number; events: string[] }): void
  drop(info: { reason: string; count: number }): void
}

/** How the engine sleeps until the producer has written something (or it is kicked). */
export interface Wakeup {
  /**
   * Resolves when `hasWork()` is true, the producer rang, or `kick` was called. With
   * `producerMayWake` false the producer is not asked to ring (the engine could not take
   * more anyway): it sleeps until kicked or its poll interval passes.
   */
  wait(hasWork: () => boolean, producerMayWake?: boolean): Promise<void>
  kick(): void
}

interface WorkBatch {
  /** Views into `arena`, each followed there by a newline. */
  readonly records: Buffer[]
  readonly arena: Buffer
  /** The records sit back to back in `arena` (a batch as cut, or a split half of one). */
  readonly contiguous: boolean
  /** User seq per record; -1 for loss markers. */
  readonly seqs: number[]
  /** Queue-budget bytes per record (0 for loss markers). */
  readonly framed: number[]
  readonly group: Group
}

const MARKER = -1
const NEWLINE = 0x0a

/**
 * The shipping engine: drains the ring into a pending queue, cuts batches (by events,
 * bytes and linger time), keeps up to `output.maxInFlight` of them in flight, interprets
 * every SendResult (retry with backoff, split, dead-letter, ack) and moves the ledger.
 * It runs on the worker thread by default, or on the app thread with `thread: 'main'`.
 */
export class Engine {
  readonly #options: ResolvedOptions
  readonly #output: Output
  readonly #events: EngineEvents
  readonly #wakeup: Wakeup
  readonly #control: Int32Array
  readonly #counters: Float64Array
  readonly #reader: RingReader
  readonly #ledger: ConsumerLedger
  readonly #tracker = new OrderedAcks()
  readonly #stamper: Stamper
  readonly #deadLetters: DeadLetterSink | undefined
  readonly #loss: LossCounter
  readonly #abort = new AbortController()
  readonly #streamId = Math.random().toString(36).slice(2, 10)

  // pending: records read from the ring and not in a batch yet. They stay in the ring (read
  // in place); these arrays only hold where. Loss markers wait apart and ride the next batch.
  #offsets: number[] = []
  #lengths: number[] = []
  #ringBytes: number[] = []
  /** For records read from the spill: their bytes (ring records have none here). */
  #data: (Buffer | undefined)[] = []
  /** Text written by write() that was not checked on the app thread (see RingWriter). */
  #unchecked: boolean[] = []
  #head = 0
  #pendingBytes = 0
  #markers: Buffer[] = []
  #oldestAt = 0
  #arenas: Buffer[] = []
  readonly #spill: SpillReader | undefined
  /** Seq and end position of each record read from the spill, until acknowledged. */
  #spillMarks: { seq: number; end: number }[] = []
  #spillMarksHead = 0

  #nextSeq = 0
  #settled = 0
  #closing = false
  #stopped = false
  #failing = false
  /** A retrying slot is the probe of a failing output (see #backoff). */
  #probing = false
  readonly #backoffWaiters = new Set<() => void>()
  #failures = 0
  #lastError = ''
  /** Start times (epoch ms) of sends waiting for the output's answer, oldest first. */
  #sendsOpen: number[] = []
  #batchWaiter: (() => void) | undefined
  #lingerTimer: NodeJS.Timeout | undefined
  #slots: Promise<void>[] = []
  #pump: Promise<void> | undefined
  #evicting = false
  /** abandonNow ran: the ledger is final, late answers from the output change nothing. */
  #abandoned = false

  constructor(options: ResolvedOptions, state: SharedState, output: Output, events: EngineEvents, wakeup: Wakeup) {
    this.#options = options
    this.#output = output
    this.#events = events
    this.#wakeup = wakeup
    this.#control = new Int32Array(state.control)
    this.#counters = new Float64Array(state.counters)
    this.#reader = new RingReader(state)
    this.#ledger = new ConsumerLedger(this.#counters, this.#control)
    this.#stamper = new Stamper(options.fields)
    this.#deadLetters = deadLetterSink(options, output, (count, why) => {
      this.#ledger.move(Counter.DEAD_LETTER_DISCARDED, count)
      this.#error(
        'LOGSHIP_ERR_DEAD_LETTER',
        `discarded ${count} dead-lettered events: ${why}; they stay counted as failed (raise deadLetter.maxBytes or deadLetter.maxFiles to keep more)`,
      )
    })
    this.#loss = new LossCounter(this.#counters)
    output.reportTo?.((message) => this.#error('LOGSHIP_ERR_OUTPUT', message))
    const { durable, whenFull, spill } = options.queue
    this.#spill = durable || whenFull === 'spill' ? new SpillReader(spill.dir!, this.#counters, this.#ledger, (m) => this.#error('LOGSHIP_ERR_SPILL', m)) : undefined
  }

  get outputName(): string {
    return this.#output.name
  }

  /** Per-host health from the output, or the engine's own view of it as one host. */
  health(): readonly HostHealth[] {
    if (this.#output.health) return this.#output.health()
    const self = { host: this.#output.name, up: !this.#failing, failures: this.#failures }
    return this.#failing ? [{ ...self, lastError: this.#lastError }] : [self]
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
    this.#wakeBatchWaiter()
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs)
    })
    await Promise.race([Promise.all(this.#slots), deadline])
    clearTimeout(timer)
    this.#stopped = true
    this.#abort.abort()
    this.#wakeup.kick()
    this.#wakeBatchWaiter()
    await Promise.all(this.#slots)
    await this.#pump
    this.#dropEverythingLeft()
    clearTimeout(this.#lingerTimer)
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
    if (this.#abandoned) return
    this.#closing = true
    this.#stopped = true
    this.#abort.abort()
    this.#dropEverythingLeft()
    const inFlight = this.#counters[Counter.IN_FLIGHT_EVENTS]!
    if (!this.#spill && inFlight > 0) {
      // records read from a spill stay on disk for the next run; the others are lost
      this.#ledger.move(Counter.IN_FLIGHT_EVENTS, -inFlight, Counter.IN_FLIGHT_BATCHES, -this.#counters[Counter.IN_FLIGHT_BATCHES]!, Counter.DROPPED_SHUTDOWN, inFlight)
      this.#events.drop({ reason: 'shutdown', count: inFlight })
    }
    this.#abandoned = true
    this.#announceClosed()
  }

  #announceClosed(): void {
    Atomics.store(this.#control, Control.ENGINE_CLOSED, 1)
    Atomics.notify(this.#control, Control.ENGINE_CLOSED)
  }

  // ---- intake side -------------------------------------------------------------------

  async #pumpLoop(): Promise<void> {
    while (!this.#stopped) {
      this.#drainRing()
      if (this.#closing && !this.#reader.hasUnread()) this.#wakeBatchWaiter()
      // With the spill read ahead as far as it may go, only acknowledgements (which kick)
      // can give the engine more to do: don't let every spilled write ring for nothing.
      const saturated = this.#spill !== undefined && this.#spillReadAhead() <= 0
      await this.#wakeup.wait(() => this.#hasReadableWork(), !saturated)
    }
  }

  #pendingCount(): number {
    return this.#offsets.length - this.#head
  }

  /** Spill records are read ahead only this far: they wait on disk, not in memory. */
  #spillReadAhead(): number {
    return 2 * this.#options.batch.maxBytes - this.#pendingBytes
  }

  #hasReadableWork(): boolean {
    return this.#reader.hasUnread() || (this.#spill !== undefined && this.#spill.hasUnread() && this.#spillReadAhead() > 0)
  }

  #drainRing(): void {
    let count = 0
    let bytes = 0
    const wasEmpty = this.#pendingCount() === 0 && this.#markers.length === 0
    this.#reader.read((offset, length, ringBytes, unchecked) => {
      this.#offsets.push(offset)
      this.#lengths.push(length)
      this.#ringBytes.push(ringBytes)
      this.#data.push(undefined)
      this.#unchecked.push(unchecked)
      bytes += length
      count++
    })
    // The ring first, then the spill: the producer only spills once the ring is full, and
    // goes back to the ring only after everything spilled has been read.
    if (count === 0 && this.#spill && this.#spillReadAhead() > 0) {
      this.#spill.read(this.#spillReadAhead(), (payload, end) => {
        this.#offsets.push(-1)
        this.#lengths.push(payload.byteLength)
        this.#ringBytes.push(0)
        this.#data.push(payload)
        this.#unchecked.push(false)
        this.#spillMarks.push({ seq: this.#nextSeq + count, end })
        bytes += payload.byteLength
        count++
      })
    }
    if (count === 0 && this.#spill && this.#pendingCount() === 0) this.#settleSpillLosses()
    if (count > 0) {
      if (wasEmpty) this.#oldestAt = Date.now()
      this.#nextSeq += count
      this.#pendingBytes += bytes
      this.#ledger.move(Counter.DRAINED, count, Counter.PENDING, count, Counter.PENDING_BYTES, bytes)
      this.#wakeBatchWaiter()
    }
    if (this.#options.queue.whenFull === 'drop-oldest') this.#evictOldest()
    this.#maybeMarkLoss()
    if (this.#flushTarget() > this.#batchedSeq()) this.#wakeBatchWaiter()
  }

  /**
   * Records the spill could not read back (damaged on disk) are lost: they take the next seqs
   * and are settled at once as dropped.corrupt (only while nothing is pending, so seqs stay
   * in queue order).
   */
  #settleSpillLosses(): void {
    const spill = this.#spill!
    const lost = spill.takeLost()
    if (lost > 0) {
      this.#nextSeq += lost
      this.#ledger.move(Counter.DRAINED, lost, Counter.DROPPED_CORRUPT, lost)
      this.#events.drop({ reason: 'corrupt', count: lost })
      this.#publishWatermark()
    }
    if (this.#spillMarksHead === this.#spillMarks.length) spill.passDamage()
  }

  /** Takes the first `n` pending records off the queue; returns the ring bytes they held. */
  #shiftPending(n: number, bytes: number): number {
    let ring = 0
    for (let i = this.#head; i < this.#head + n; i++) ring += this.#ringBytes[i]!
    this.#head += n
    this.#pendingBytes -= bytes
    if (this.#head > 4096 && this.#head * 2 > this.#offsets.length) {
      this.#offsets = this.#offsets.slice(this.#head)
      this.#lengths = this.#lengths.slice(this.#head)
      this.#ringBytes = this.#ringBytes.slice(this.#head)
      this.#data = this.#data.slice(this.#head)
      this.#unchecked = this.#unchecked.slice(this.#head)
      this.#head = 0
    } else {
      for (let i = this.#head - n; i < this.#head; i++) this.#data[i] = undefined
    }
    return ring
  }

  /**
   * drop-oldest: the producer writes past the budget; evict queued (never in-flight) events
   * until the budget has some slack again, so the next writes find ring space. When a
   * producer found no ring space at all (EVICT_REQUEST), evict until the ring has that slack
   * too, then answer it: it waits for this (or, on the engine's own thread, called it).
   */
  #evictOldest(): void {
    const { maxBytes } = this.#options.queue
    const slack = Math.min(maxBytes >> 3, 1024 * 1024)
    const requested = Atomics.load(this.#control, Control.EVICT_REQUEST)
    const over = Atomics.load(this.#control, Control.USED_BYTES) - (maxBytes - slack)
    const ringOver = requested > 0 ? Atomics.load(this.#control, Control.RING_FILL) - (this.#reader.capacity - Math.max(slack, requested)) : 0
    let count = 0
    let bytes = 0
    let freed = 0
    let ring = 0
    while ((freed < over || ring < ringOver) && this.#head + count < this.#offsets.length) {
      const len = this.#lengths[this.#head + count]!
      freed += framedSize(len)
      ring += this.#ringBytes[this.#head + count]!
      bytes += len
      count++
    }
    if (count > 0) this.#evict(count, bytes, freed)
    if (requested > 0) {
      Atomics.store(this.#control, Control.EVICT_REQUEST, 0)
      Atomics.notify(this.#control, Control.EVICT_REQUEST)
    }
  }

  /** drop-oldest on the engine's own thread (thread: 'main'): the producer asks right here. */
  evictNow(): void {
    if (this.#evicting) return // a 'drop' listener that writes: the outer call is still at it
    this.#evicting = true
    try {
      this.#drainRing()
    } finally {
      this.#evicting = false
    }
  }

  #evict(count: number, bytes: number, freed: number): void {
    this.#reader.release(this.#shiftPending(count, bytes))
    this.#ledger.move(Counter.PENDING, -count, Counter.PENDING_BYTES, -bytes, Counter.DROPPED_OLDEST, count)
    Atomics.sub(this.#control, Control.USED_BYTES, freed)
    this.#spaceFreed()
    this.#events.drop({ reason: 'queue_full_oldest', count })
    this.#publishWatermark()
  }

  /** Once the queue has room again, tell the sink how many events were lost and why. */
  #maybeMarkLoss(): void {
    if (!this.#loss.hasUnreported()) return
    if (Atomics.load(this.#control, Control.USED_BYTES) > this.#options.queue.maxBytes * 0.9) return
    if (this.#pendingCount() === 0 && this.#markers.length === 0) this.#oldestAt = Date.now()
    // stamped like any event, so that filtering by the configured fields still shows the loss
    const now = Date.now()
    this.#markers.push(this.#stamper.stamp(lossMarker(this.#loss.takeUnreported(), now), now))
    this.#wakeBatchWaiter()
  }

  // ---- batching ----------------------------------------------------------------------

  #flushTarget(): number {
    return this.#counters[Counter.FLUSH_TARGET]!
  }

  /** Seq of the first drained event that is not in a batch yet. */
  #batchedSeq(): number {
    return this.#nextSeq - this.#pendingCount()
  }

  async #nextBatch(): Promise<WorkBatch | undefined> {
    for (;;) {
      if (this.#stopped) return undefined
      const batch = this.#cutBatch()
      if (batch) return batch
      if (this.#closing && this.#pendingCount() === 0 && this.#markers.length === 0 && !this.#reader.hasUnread()) return undefined
      await new Promise<void>((resolve) => {
        const previous = this.#batchWaiter
        this.#batchWaiter = () => {
          previous?.()
          resolve()
        }
      })
    }
  }

  #wakeBatchWaiter(): void {
    const waiter = this.#batchWaiter
    this.#batchWaiter = undefined
    waiter?.()
  }

  #cutBatch(): WorkBatch | undefined {
    const available = this.#pendingCount()
    if (available === 0 && this.#markers.length === 0) return undefined
    const { maxEvents, maxBytes, flushMs } = this.#options.batch
    const full = available >= maxEvents || this.#pendingBytes >= maxBytes
    const age = Date.now() - this.#oldestAt
    if (!full && !this.#closing && age < flushMs && this.#flushTarget() <= this.#batchedSeq()) {
      this.#lingerTimer ??= this.#unrefIfShared(
        setTimeout(() => {
          this.#lingerTimer = undefined
          this.#wakeBatchWaiter()
        }, flushMs - age),
      )
      return undefined
    }
    // Pick records (by count and bytes), plan their stamps, then copy them out of the ring
    // into one buffer for the whole batch: the only copy a record gets on this side.
    const now = Date.now()
    const plans: (string | Buffer | undefined)[] = []
    let n = 0
    let userBytes = 0
    let size = 0
    // Text that write() queued unchecked (to keep the app thread fast) is checked here: one
    // that is not one JSON object on one line is replaced by its wrapped form.
    const replaced: (Buffer | undefined)[] = []
    while (n < available && n < maxEvents) {
      const i = this.#head + n
      const len = this.#lengths[i]!
      const fixed = this.#unchecked[i] ? recordOrWrapped(this.#reader.view(this.#offsets[i]!, len)) : undefined
      const source = fixed ?? this.#data[i]
      const sourceLen = source ? source.byteLength : len
      const plan = this.#stamper.plan(source ?? this.#reader.view(this.#offsets[i]!, len), now)
      const outLen = plan === undefined ? sourceLen : typeof plan === 'string' ? Buffer.byteLength(plan) + sourceLen - 1 : plan.byteLength
      if (n > 0 && size + outLen > maxBytes) break
      replaced.push(fixed)
      plans.push(plan)
      size += outLen
      userBytes += len
      n++
    }
    // Each record is followed by a newline in the arena, so NDJSON outputs send it as is.
    const markers = this.#markers.splice(0)
    const arena = this.#takeArena(size + n + markers.reduce((sum, m) => sum + m.byteLength + 1, 0))
    const records: Buffer[] = []
    const seqs: number[] = []
    const framed: number[] = []
    const firstSeq = this.#batchedSeq()
    let at = 0
    for (const marker of markers) {
      marker.copy(arena, at)
      records.push(arena.subarray(at, at + marker.byteLength))
      at += marker.byteLength
      arena[at++] = NEWLINE
      seqs.push(MARKER)
      framed.push(0)
    }
    for (let k = 0; k < n; k++) {
      const i = this.#head + k
      const offset = this.#offsets[i]!
      const len = this.#lengths[i]!
      const data = replaced[k] ?? this.#data[i]
      const dataLen = data ? data.byteLength : len
      const plan = plans[k]
      const start = at
      if (plan === undefined) {
        if (data) data.copy(arena, at)
        else this.#reader.copy(arena, at, offset, len)
        at += dataLen
      } else if (typeof plan === 'string') {
        at += arena.write(plan, at, 'utf8')
        if (data) data.copy(arena, at, 1)
        else this.#reader.copy(arena, at, offset + 1, len - 1)
        at += dataLen - 1
      } else {
        plan.copy(arena, at)
        at += plan.byteLength
      }
      records.push(arena.subarray(start, at))
      arena[at++] = NEWLINE
      seqs.push(firstSeq + k)
      framed.push(this.#data[i] ? 0 : framedSize(len)) // spilled records hold no memory budget
    }
    this.#reader.release(this.#shiftPending(n, userBytes))
    this.#spaceFreed()
    if (this.#pendingCount() > 0) this.#oldestAt = now
    const group = this.#tracker.open(firstSeq, firstSeq + n, records.length)
    this.#ledger.move(Counter.PENDING, -n, Counter.PENDING_BYTES, -userBytes, Counter.IN_FLIGHT_EVENTS, n, Counter.IN_FLIGHT_BATCHES, 1)
    return { records, arena, contiguous: true, seqs, framed, group }
  }

  /** Batch buffers are reused: a steady flow of batches allocates nothing new. */
  #takeArena(size: number): Buffer {
    const i = this.#arenas.findIndex((a) => a.byteLength >= size)
    if (i >= 0) return this.#arenas.splice(i, 1)[0]!
    return Buffer.allocUnsafeSlow(Math.max(size, Math.min(this.#options.batch.maxBytes + 64 * 1024, size * 2)))
  }

  #returnArena(arena: Buffer): void {
    if (this.#arenas.length <= this.#output.maxInFlight) this.#arenas.push(arena)
  }

  // ---- sending -----------------------------------------------------------------------

  async #slotLoop(): Promise<void> {
    for (;;) {
      const batch = await this.#nextBatch()
      if (!batch) return
      await this.#deliver(batch)
      this.#returnArena(batch.arena)
    }
  }

  async #deliver(batch: WorkBatch): Promise<void> {
    const work: WorkBatch[] = [batch]
    while (work.length > 0) {
      let current = work.shift()!
      let attempt = 0
      for (;;) {
        if (this.#stopped) {
          // Records that came from the spill stay there (the cursor does not pass them): the
          // next run ships them. Only records that exist in memory alone are lost.
          this.#settle(
            current,
            indexes(current).filter((i) => current.framed[i]! > 0 || current.seqs[i] === MARKER),
            'shutdown',
          )
          break
        }
        const result = await this.#send(current)
        if (result.status === 'delivered') {
          this.#outputRecovered()
          this.#settle(current, indexes(current), 'acked')
          break
        }
        if (result.status === 'too-large') {
          if (current.records.length === 1) {
            await this.#fail(current, [{ index: 0, reason: `the event is too large for ${this.#output.name}` }])
          } else {
            const half = current.records.length >> 1
            work.unshift(slice(current, 0, half), slice(current, half, current.records.length))
          }
          break
        }
        if (result.status === 'malformed') {
          // Poison isolation: the sink answered, so it is up; halve until the records to blame
          // stand alone, dead-letter those and deliver the rest. Never the same poison again.
          this.#outputRecovered()
          if (current.records.length === 1) {
            const why = `${result.reason} (${this.#output.name} refused this event on its own as malformed: isolated by splitting its batch)`
            this.#fail(current, [result.sinkStatus === undefined ? { index: 0, reason: why } : { index: 0, reason: why, status: result.sinkStatus }])
          } else {
            const half = current.records.length >> 1
            work.unshift(slice(current, 0, half), slice(current, half, current.records.length))
          }
          break
        }
        if (result.status === 'partial') {
          this.#outputRecovered()
          const retry = new Set(result.retry)
          const rejected = new Set(result.rejected.map((r) => r.index))
          this.#settle(
            current,
            indexes(current).filter((i) => !retry.has(i) && !rejected.has(i)),
            'acked',
          )
          if (result.rejected.length > 0) await this.#fail(current, result.rejected)
          if (retry.size === 0) break
          if (madeProgress(current, retry, rejected)) attempt = -1 // becomes 0 below: see madeProgress
          current = pick(current, [...retry])
        } else {
          this.#outputFailing(result)
        }
        attempt++
        if (attempt > this.#options.retry.maxRetries) {
          const reason = result.status === 'partial' ? 'retries exhausted' : `retries exhausted: ${result.error.message}`
          await this.#fail(
            current,
            indexes(current).map((index) => ({ index, reason })),
          )
          break
        }
        this.#ledger.move(Counter.RETRIED, userCount(current))
        const { initialDelayMs, maxDelayMs } = this.#options.retry
        let delay = result.status === 'fatal' ? maxDelayMs : backoffDelay(Math.max(1, attempt), initialDelayMs, maxDelayMs)
        if (result.status === 'retryable' && result.retryAfterMs !== undefined) delay = Math.min(maxDelayMs, Math.max(delay, result.retryAfterMs))
        await this.#backoff(delay)
      }
    }
  }

  /**
   * Waits out a retry backoff. While the output fails, one retrying slot at a time is the
   * probe: it tries again after at most PROBE_MS, so a sink that comes back is noticed within
   * seconds (one request per PROBE_MS while it is down); the other slots sleep their full
   * backoff, and every sleeper is woken as soon as a send succeeds.
   */
  async #backoff(delay: number): Promise<void> {
    const probe = this.#failing && !this.#probing && delay > PROBE_MS
    if (probe) this.#probing = true
    try {
      await this.#sleep(probe ? PROBE_MS : delay, this.#backoffWaiters)
    } finally {
      if (probe) this.#probing = false
    }
  }

  #send(batch: WorkBatch): Promise<SendResult> {
    const key = (i: number): string => `${this.#streamId}-${batch.seqs[i] === MARKER ? `m${i}` : batch.seqs[i]}`
    const ndjson = contiguousNdjson(batch)
    const view: Batch = ndjson ? { records: batch.records, ndjson, key } : { records: batch.records, key }
    const startedAt = Date.now()
    const started = performance.now()
    this.#sendsOpen.push(startedAt)
    if (this.#sendsOpen.length === 1) this.#ledger.move(Counter.SEND_OLDEST_AT, startedAt - this.#counters[Counter.SEND_OLDEST_AT]!)
    return this.#output
      .send(view, this.#abort.signal)
      .catch((err: unknown) => ({ status: 'retryable' as const, error: err instanceof Error ? err : new Error(String(err)) }))
      .then((result) => {
        this.#sendFinished(startedAt, performance.now() - started)
        return result
      })
  }

  /** Latency histogram and the age of the oldest unanswered send, for /metrics and /healthz. */
  #sendFinished(startedAt: number, ms: number): void {
    const open = this.#sendsOpen
    open.splice(open.indexOf(startedAt), 1)
    const oldest = open.length === 0 ? 0 : Math.min(...open)
    this.#ledger.move(Counter.SEND_LATENCY + latencyBucket(ms), 1, Counter.SEND_MS_SUM, ms, Counter.SEND_OLDEST_AT, oldest - this.#counters[Counter.SEND_OLDEST_AT]!)
  }

  #outputFailing(result: Extract<SendResult, { status: 'retryable' | 'fatal' }>): void {
    if (this.#abort.signal.aborted) return
    this.#failures++
    // health() shows it next to the output's name already: not a second time inside it
    const prefix = `${this.#output.name}: `
    this.#lastError = result.error.message.startsWith(prefix) ? result.error.message.slice(prefix.length) : result.error.message
    if (!this.#failing) this.#ledger.move(Counter.OUTPUT_FAILING, 1)
    if (result.status === 'fatal') {
      this.#error('LOGSHIP_ERR_OUTPUT_FATAL', `${result.error.message} (retrying every ${this.#options.retry.maxDelayMs} ms)`)
    } else if (!this.#failing) {
      this.#error('LOGSHIP_ERR_OUTPUT', `${result.error.message}; retrying with backoff, events stay queued`)
    }
    this.#failing = true
  }

  #outputRecovered(): void {
    this.#ledger.move(Counter.LAST_ACK_AT, Date.now() - this.#counters[Counter.LAST_ACK_AT]!, Counter.OUTPUT_FAILING, this.#failing ? -1 : 0)
    this.#failing = false
    this.#failures = 0
    // the sink answers again: batches sleeping in backoff go now
    for (const wake of [...this.#backoffWaiters]) wake()
  }

  #sleep(ms: number, wakers?: Set<() => void>): Promise<void> {
    return new Promise((resolve) => {
      if (this.#abort.signal.aborted) return resolve()
      const done = (): void => {
        clearTimeout(timer)
        this.#abort.signal.removeEventListener('abort', done)
        wakers?.delete(done)
        resolve()
      }
      wakers?.add(done)
      const timer = this.#unrefIfShared(setTimeout(done, ms))
      this.#abort.signal.addEventListener('abort', done)
    })
  }

  /**
   * On the app's own thread (thread: 'main') the engine's timers must not keep the app
   * alive: an app whose sink is down could never exit. In the worker they must.
   */
  #unrefIfShared(timer: NodeJS.Timeout): NodeJS.Timeout {
    if (this.#options.thread === 'main') timer.unref()
    return timer
  }

  // ---- settling ----------------------------------------------------------------------

  #settle(batch: WorkBatch, which: number[], outcome: 'acked' | 'failed' | 'shutdown'): void {
    if (which.length === 0 || this.#abandoned) return
    let user = 0
    let framed = 0
    for (const i of which) {
      if (batch.seqs[i] === MARKER) continue
      user++
      framed += batch.framed[i]!
    }
    const slot = outcome === 'acked' ? Counter.ACKED : outcome === 'failed' ? Counter.FAILED : Counter.DROPPED_SHUTDOWN
    const lastOfBatch = batch.group.remaining === which.length ? 1 : 0
    this.#ledger.move(Counter.IN_FLIGHT_EVENTS, -user, slot, user, Counter.IN_FLIGHT_BATCHES, -lastOfBatch)
    if (outcome === 'shutdown' && user > 0) this.#events.drop({ reason: 'shutdown', count: user })
    if (framed > 0) {
      Atomics.sub(this.#control, Control.USED_BYTES, framed)
      this.#spaceFreed()
    }
    if (this.#tracker.ack(batch.group, which.length)) this.#publishWatermark()
    this.#maybeMarkLoss()
    if (this.#spill?.hasUnread()) this.#wakeup.kick() // room to read more of the spill
  }

  /** Settles `rejected` as failed and resolves once their dead letters are written (memory stays bounded on a slow disk). */
  async #fail(batch: WorkBatch, rejected: readonly RejectedRecord[]): Promise<void> {
    const entries: DeadLetterEntry[] = rejected
      .filter((r) => batch.seqs[r.index] !== MARKER)
      .map((r) => (r.status === undefined ? { record: batch.records[r.index]!, reason: r.reason } : { record: batch.records[r.index]!, reason: r.reason, status: r.status }))
    this.#settle(
      batch,
      rejected.map((r) => r.index),
      'failed',
    )
    if (entries.length === 0) return
    const written = this.#deadLetters?.append(this.#output.name, entries, (message) => this.#error('LOGSHIP_ERR_DEAD_LETTER', message))
    const reason = entries[0]!.reason
    this.#events.deadLetter({ reason, count: entries.length, events: entries.slice(0, 100).map((e) => Buffer.from(e.record).toString('utf8')) })
    await written
  }

  #spaceFreed(): void {
    Atomics.add(this.#control, Control.SPACE_SEQ, 1)
    if (Atomics.load(this.#control, Control.PRODUCER_WAITING) === 1) Atomics.notify(this.#control, Control.SPACE_SEQ)
  }

  #publishWatermark(): void {
    const watermark = this.#tracker.watermark(this.#batchedSeq())
    if (watermark === this.#settled) return
    this.#ledger.move(Counter.SETTLED, watermark - this.#settled)
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
    while (this.#spillMarksHead < this.#spillMarks.length && this.#spillMarks[this.#spillMarksHead]!.seq < watermark) {
      end = this.#spillMarks[this.#spillMarksHead++]!.end
      count++
    }
    if (this.#spillMarksHead > 4096 && this.#spillMarksHead * 2 > this.#spillMarks.length) {
      this.#spillMarks = this.#spillMarks.slice(this.#spillMarksHead)
      this.#spillMarksHead = 0
    }
    if (count > 0) {
      this.#spill.ack(end, count)
      this.#spaceFreed() // a producer may wait for spill space
    }
  }

  /** After the close deadline: whatever is still queued is lost, and said so. */
  #dropEverythingLeft(): void {
    this.#drainRing()
    this.#markers = []
    // Records read from the spill are still on disk (the cursor never passed them): the next
    // run ships them. Only what exists in memory alone is lost.
    let user = 0
    let bytes = 0
    let framed = 0
    for (let i = this.#head; i < this.#offsets.length; i++) {
      if (this.#data[i]) continue
      user++
      bytes += this.#lengths[i]!
      framed += framedSize(this.#lengths[i]!)
    }
    if (user > 0) {
      if (this.#spill) {
        let ring = 0
        for (let i = this.#head; i < this.#offsets.length; i++) ring += this.#ringBytes[i]!
        this.#reader.release(ring)
      } else {
        this.#reader.release(this.#shiftPending(user, bytes))
      }
      this.#ledger.move(Counter.PENDING, -user, Counter.PENDING_BYTES, -bytes, Counter.DROPPED_SHUTDOWN, user)
      Atomics.sub(this.#control, Control.USED_BYTES, framed)
      // said once, with the in-flight ones, by the shipper (Shipper.#reportShutdownLoss)
      this.#events.drop({ reason: 'shutdown', count: user })
    }
    if (!this.#spill) this.#publishWatermark()
    this.#spill?.close()
  }

  #error(code: string, message: string): void {
    this.#events.error({ code, message })
  }
}

/** undefined when `record` is one JSON object on one line (ship it as is), else its wrapped form. */
function recordOrWrapped(record: Buffer): Buffer | undefined {
  if (record[0] === 0x7b && isJsonObjectText(record.toString('latin1'))) return undefined
  return Buffer.from(stringRecord(record.toString('utf8')))
}

function deadLetterSink(options: ResolvedOptions, output: Output, onDiscarded: (count: number, why: string) => void): DeadLetterSink | undefined {
  const target = options.deadLetter
  if (target?.index !== undefined) return new DeadLetterIndex(output, target.index)
  if (target?.path !== undefined)
    return new DeadLetterFile(target.path, { ...DEFAULT_DEAD_LETTER_LIMITS, maxBytes: target.maxBytes, maxFiles: target.maxFiles }, onDiscarded, options.strictPerms)
  return undefined
}

/**
 * An attempt that delivered anything is not a failed attempt: it resets the retry count and
 * the backoff, so `maxRetries` counts attempts in a row without progress. (A sink that drops
 * the connection every few windows progresses on every attempt and must not be dead-lettered
 * or slowed to `retry.maxDelayMs` for it.)
 */
/** Indexes in neither list were delivered. */
function madeProgress(batch: WorkBatch, retry: ReadonlySet<number>, rejected: ReadonlySet<number>): boolean {
  return retry.size + rejected.size < batch.records.length
}

function indexes(batch: WorkBatch): number[] {
  return batch.records.map((_, i) => i)
}

function userCount(batch: WorkBatch): number {
  let n = 0
  for (const s of batch.seqs) if (s !== MARKER) n++
  return n
}

function slice(batch: WorkBatch, from: number, to: number): WorkBatch {
  return { ...batch, records: batch.records.slice(from, to), seqs: batch.seqs.slice(from, to), framed: batch.framed.slice(from, to) }
}

/** The records' NDJSON, straight from the arena, when they sit back to back there. */
function contiguousNdjson(batch: WorkBatch): Buffer | undefined {
  const { records, arena } = batch
  const first = records[0]
  const last = records[records.length - 1]
  if (!batch.contiguous || !first || !last) return undefined
  const start = first.byteOffset - arena.byteOffset
  return arena.subarray(start, last.byteOffset - arena.byteOffset + last.byteLength + 1)
}

function pick(batch: WorkBatch, which: number[]): WorkBatch {
  which.sort((a, b) => a - b)
  return {
    ...batch,
    contiguous: false, // a retried subset has gaps
    records: which.map((i) => batch.records[i]!),
    seqs: which.map((i) => batch.seqs[i]!),
    framed: which.map((i) => batch.framed[i]!),
  }
}
