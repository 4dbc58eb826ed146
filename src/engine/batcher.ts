import type { ResolvedOptions } from '../options/schema.js'
import { isJsonObjectText } from '../record/json-object-check.js'
import { stringRecord } from '../record/to-record.js'
import { framedSize } from '../shared/layout.js'
import type { ConsumerLedger } from '../shared/ledger.js'
import type { OrderedAcks } from '../util/ordered-acks.js'
import type { PendingQueue } from './pending-queue.js'
import type { Stamper } from './stamp.js'
import { MARKER, type WorkBatch } from './work-batch.js'
import { BatchBuilder } from './batch-builder.js'
import { BufferPool } from '../util/buffer-pool.js'

/** framedSize(len) - (len + 1) is at most this: what a run copied from the ring needs beyond its records and newlines. */
const RUN_SLACK = 6

/** What the batcher asks the engine about its state. */
export interface BatcherHost {
  stopped(): boolean
  closing(): boolean
  /** The ring has records the engine has not read yet (close waits for them). */
  ringHasUnread(): boolean
  /** On the app's own thread timers must not keep the app alive (see Engine#unrefIfShared). */
  unrefIfShared(timer: NodeJS.Timeout): NodeJS.Timeout
  /** Records left the queue for a batch, freeing ring space (a producer may wait for it) and room to read further ahead. */
  spaceFreed(): void
}

/**
 * Cuts batches from the pending queue — by events, bytes and linger time, or at once for a
 * flush or close — stamping each record and copying it into the batch's arena, the only copy
 * a record gets on the engine's side. Slots wait here for their next batch.
 */
export class Batcher {
  readonly #options: ResolvedOptions['batch']
  readonly #queue: PendingQueue
  readonly #stamper: Stamper
  readonly #acks: OrderedAcks
  readonly #ledger: ConsumerLedger
  readonly #host: BatcherHost
  readonly #arenas: BufferPool
  /** What #pick planned for each record of the batch being cut (see Stamper.plan), and each unchecked text's wrapped form. */
  readonly #plans: (string | Buffer | undefined)[] = []
  readonly #replaced: (Buffer | undefined)[] = []
  /** Record k of the batch being cut ships exactly as it sits in the queue. */
  readonly #asIs = (k: number): boolean => this.#plans[k] === undefined && this.#replaced[k] === undefined
  #waiter: (() => void) | undefined
  #lingerTimer: NodeJS.Timeout | undefined

  constructor(options: ResolvedOptions['batch'], queue: PendingQueue, stamper: Stamper, acks: OrderedAcks, ledger: ConsumerLedger, maxInFlight: number, host: BatcherHost) {
    this.#options = options
    this.#queue = queue
    this.#stamper = stamper
    this.#acks = acks
    this.#ledger = ledger
    this.#host = host
    // one arena per batch in delivery, plus the one being cut; a full batch's (see #cut) is the largest kept
    this.#arenas = new BufferPool({ keep: maxInFlight + 1, largest: options.maxBytes + options.maxEvents * (1 + RUN_SLACK) + 64 * 1024 })
  }

  /** The next batch to send, or undefined once the engine stops (or closes with nothing left). */
  async next(): Promise<WorkBatch | undefined> {
    for (;;) {
      if (this.#host.stopped()) return undefined
      const batch = this.#cut()
      if (batch) return batch
      if (this.#host.closing() && this.#queue.empty && !this.#host.ringHasUnread()) return undefined
      await new Promise<void>((resolve) => {
        const previous = this.#waiter
        this.#waiter = () => {
          previous?.()
          resolve()
        }
      })
    }
  }

  /** Something changed (records queued, flush asked, closing): waiting slots look again. */
  wake(): void {
    const waiter = this.#waiter
    this.#waiter = undefined
    waiter?.()
  }

  /** A flush asks for records not batched yet. */
  flushWanted(): boolean {
    return this.#ledger.flushTarget > this.#queue.batchedSeq
  }

  stop(): void {
    clearTimeout(this.#lingerTimer)
  }

  /** Batch buffers are reused: a steady flow of batches allocates nothing new. */
  returnArena(arena: Buffer): void {
    this.#arenas.give(arena)
  }

  #cut(): WorkBatch | undefined {
    const queue = this.#queue
    if (queue.empty || !this.#due()) return undefined
    const now = Date.now()
    const { n, size, userBytes } = this.#pick(now)
    const markers = queue.markers.splice(0)
    // + RUN_SLACK per record: a run copied from the ring holds its frame headers (see #copyRun)
    const arena = this.#arenas.take(size + n * (1 + RUN_SLACK) + markers.reduce((sum, m) => sum + m.byteLength + 1, 0))
    const builder = new BatchBuilder(arena, markers.length + n)
    for (const marker of markers) builder.add(marker, MARKER, 0)
    const firstSeq = queue.batchedSeq
    for (let k = 0; k < n; ) {
      const run = this.#asIs(k) ? queue.ringRun(k, n - k, this.#asIs) : 0
      if (run > 1) {
        this.#copyRun(builder, k, run, firstSeq)
        k += run
      } else this.#copyOne(builder, k++, firstSeq)
    }
    // what the plans held (wrapped texts, stamps) is in the arena now: not kept alive by us
    this.#plans.fill(undefined, 0, n)
    this.#replaced.fill(undefined, 0, n)
    queue.take(n, userBytes)
    this.#host.spaceFreed()
    if (queue.count > 0) queue.oldestAt = now
    const group = this.#acks.open(firstSeq, firstSeq + n, markers.length + n)
    this.#ledger.batched(n, userBytes)
    return builder.batch(group)
  }

  /** Whether a batch should be cut now: full, old enough, or asked for; else the linger timer is set. */
  #due(): boolean {
    const queue = this.#queue
    const { maxEvents, maxBytes, flushMs } = this.#options
    if (queue.count >= maxEvents || queue.bytes >= maxBytes || this.#host.closing() || this.flushWanted()) return true
    const age = Date.now() - queue.oldestAt
    if (age >= flushMs) return true
    this.#lingerTimer ??= this.#host.unrefIfShared(
      setTimeout(() => {
        this.#lingerTimer = undefined
        this.wake()
      }, flushMs - age),
    )
    return false
  }

  /**
   * Picks the batch's records (by count and bytes) and plans their stamps into #plans and
   * #replaced. Text that write() queued unchecked (to keep the app thread fast) is checked
   * here: one that is not one JSON object on one line is replaced by its wrapped form.
   */
  #pick(now: number): { n: number; size: number; userBytes: number } {
    const queue = this.#queue
    const { maxEvents, maxBytes } = this.#options
    const available = queue.count
    let n = 0
    let size = 0
    let userBytes = 0
    while (n < available && n < maxEvents) {
      const fixed = queue.unchecked(n) ? recordOrWrapped(queue.view(n)) : undefined
      const sourceLength = fixed?.byteLength ?? queue.length(n)
      // a ring record is looked at where it is (a view only when its time key is not near its start)
      const offset = fixed === undefined && queue.data(n) === undefined ? queue.ringOffset(n) : -1
      const plan = offset >= 0 && this.#stamper.shipsAsIsAt(queue.ringBytes, offset, offset + sourceLength) ? undefined : this.#stamper.plan(fixed ?? queue.view(n), now)
      const outLen = plan === undefined ? sourceLength : typeof plan === 'string' ? Buffer.byteLength(plan) + sourceLength - 1 : plan.byteLength
      if (n > 0 && size + outLen > maxBytes) break
      // by index, never emptied: an array cut back to length 0 gives up its storage, and
      // pushing 2048 entries again would grow it a dozen times per batch
      this.#replaced[n] = fixed
      this.#plans[n] = plan
      size += outLen
      userBytes += queue.length(n)
      n++
    }
    return { n, size, userBytes }
  }

  /**
   * Records shipped as they are and back to back in the ring: one copy of them all, then each
   * moved down to its place (no view object per record). A record's ring frame is at least 3
   * bytes longer than it and its newline, so a move never reaches a record not moved yet.
   */
  #copyRun(builder: BatchBuilder, k: number, run: number, firstSeq: number): void {
    const queue = this.#queue
    const arena = builder.arena
    const base = queue.ringOffset(k)
    const spanAt = builder.at
    queue.copyRingSpan(k, run, arena, spanAt)
    for (let j = k; j < k + run; j++) {
      const from = spanAt + queue.ringOffset(j) - base
      const length = queue.length(j)
      const start = builder.at
      if (from !== start) arena.copyWithin(start, from, from + length)
      builder.at = start + length
      builder.close(start, firstSeq + j, framedSize(length))
    }
  }

  /** One record: as it is, behind its stamp prefix, or replaced by its plan or wrapped form. */
  #copyOne(builder: BatchBuilder, k: number, firstSeq: number): void {
    const queue = this.#queue
    const arena = builder.arena
    const fixed = this.#replaced[k]
    const plan = this.#plans[k]
    const start = builder.at
    if (plan === undefined) {
      builder.at += fixed ? fixed.copy(arena, start) : copied(queue, k, arena, start, 0)
    } else if (typeof plan === 'string') {
      builder.at += arena.write(plan, start, 'utf8')
      builder.at += fixed ? fixed.copy(arena, builder.at, 1) : copied(queue, k, arena, builder.at, 1)
    } else {
      builder.at += plan.copy(arena, start)
    }
    builder.close(start, firstSeq + k, queue.data(k) ? 0 : framedSize(queue.length(k))) // spilled records hold no memory budget
  }
}

/** Copies record k (from byte `skip`) into the arena; returns the bytes copied. */
function copied(queue: PendingQueue, k: number, arena: Buffer, at: number, skip: number): number {
  queue.copy(k, arena, at, skip)
  return (queue.data(k)?.byteLength ?? queue.length(k)) - skip
}

/** undefined when `record` is one JSON object on one line (ship it as is), else its wrapped form. */
function recordOrWrapped(record: Buffer): Buffer | undefined {
  if (record[0] === 0x7b && isJsonObjectText(record.toString('latin1'))) return undefined
  return Buffer.from(stringRecord(record.toString('utf8')))
}
