import { isUtf8 } from 'node:buffer'
import { Control, framedSize, type SharedState } from '../shared/layout.js'
import { ProducerLedger, type ProducerDropReason } from '../shared/ledger.js'
import { waitOnWordSync } from '../shared/wait.js'
import { RingWriter, type WriteOutcome } from '../ring/ring-writer.js'
import { BlockBudget } from './block-budget.js'
import { toRecordText, stringRecord } from '../record/to-record.js'
import { isJsonObjectText } from '../record/json-object-check.js'
import type { SpillOutcome, SpillWriter } from '../spill/spill-writer.js'
import { rankOfEvent, levelRank } from '../record/level.js'
import type { ResolvedOptions } from '../options/schema.js'

export type { ProducerDropReason, WriteOutcome }

/** drop-oldest: how often a write asks the engine to evict, and how long it waits for each answer. */
const EVICT_ROUNDS = 4
const EVICT_WAIT_MS = 200
const WORKER_START_WAIT_MS = 5000

/**
 * The producer's door: encodes an event once, applies the whenFull policy, counts every
 * outcome in the ledger. `write` never throws.
 */
export class Intake {
  readonly #writer: RingWriter
  readonly #control: Int32Array
  readonly #ledger: ProducerLedger
  readonly #policy: ResolvedOptions['queue']['whenFull']
  readonly #maxBlockMs: number
  readonly #block: BlockBudget
  readonly #canBlock: boolean
  readonly #watermark: number
  readonly #keepRank: number
  readonly #keepOneIn: number
  readonly #onLoss: (reason: ProducerDropReason | 'sampled') => void
  readonly #onError: (message: string) => void
  readonly #spill: SpillWriter | undefined
  readonly #durable: boolean
  readonly #spillBlocks: boolean
  /** drop-oldest with the engine on this thread: evicts right away (see Engine.evictNow). */
  readonly #evictNow: (() => void) | undefined
  readonly #wakeBytes: number
  /** whenFull: spill — new records go to the spill until the engine has read it all. */
  #spilling: boolean
  #sampleCounter = 0

  constructor(
    state: SharedState,
    options: ResolvedOptions,
    wake: () => void,
    onLoss: (reason: ProducerDropReason | 'sampled') => void,
    canBlock: boolean,
    wakeBytes = 0,
    spill?: { writer: SpillWriter; onError: (message: string) => void },
    evictNow?: () => void,
  ) {
    this.#evictNow = evictNow
    this.#writer = new RingWriter(state, options.queue.maxBytes, wake, wakeBytes)
    this.#wakeBytes = wakeBytes
    this.#control = new Int32Array(state.control)
    this.#ledger = ProducerLedger.of(state)
    this.#policy = options.queue.whenFull
    this.#maxBlockMs = options.queue.maxBlockMs
    this.#block = new BlockBudget(options.queue.blockBudgetMs)
    this.#canBlock = canBlock
    this.#watermark = options.sample.watermark
    this.#keepRank = levelRank(options.sample.keepLevelsAtOrAbove)
    this.#keepOneIn = options.sample.keepOneIn
    this.#onLoss = onLoss
    this.#spill = spill?.writer
    this.#onError = spill?.onError ?? (() => {})
    this.#durable = options.queue.durable
    this.#spillBlocks = options.queue.spill.whenFull === 'block'
    this.#spilling = (spill?.writer.leftover ?? 0) > 0
  }

  get maxRecordBytes(): number {
    return this.#writer.maxRecordBytes
  }

  /** Whether an event of `len` bytes fits in the queue budget right now. */
  hasRoom(len = 0): boolean {
    return this.#writer.hasRoom(len, this.#policy === 'drop-oldest')
  }

  write(event: unknown): boolean {
    this.#ledger.received()
    if (this.#policy === 'sample' && this.#writer.fill() >= this.#watermark && rankOfEvent(event) < this.#keepRank) {
      if (this.#sampleCounter++ % this.#keepOneIn !== 0) return this.#lose('sampled')
    }
    if (typeof event === 'string' && looksLikeJsonObject(event)) return this.#writeText(event, true)
    const text = toRecordText(event, this.#writer.maxRecordBytes)
    if (text === undefined) return this.#lose('invalid')
    return this.#writeText(text)
  }

  #spills(): boolean {
    return this.#spill !== undefined && (this.#durable || this.#policy === 'spill')
  }

  /**
   * `unchecked`: text shaped like a JSON object goes to the ring as it is and the engine checks
   * it (off this thread; a text that is not one JSON object is wrapped there as a message).
   * The spill keeps the same flag in its frame header (UNCHECKED_FRAME), so durable writes skip
   * the check too.
   */
  #writeText(text: string, unchecked = false): boolean {
    if (this.#spills()) return this.#place(text, unchecked)
    const oldest = this.#policy === 'drop-oldest'
    const outcome = this.#writer.writeString(text, oldest, unchecked)
    // the retry closure only for a write that was not taken: most writes are, and allocate nothing
    return outcome === 'accepted' || this.#settleOutcome(outcome, () => this.#writer.writeString(text, oldest, unchecked), text.length * 3)
  }

  /**
   * Durable: every record goes to the spill. Spill: to the ring while it has room, then to
   * the spill until the engine has read everything spilled, so that order is kept.
   */
  #place(record: Uint8Array | string, unchecked = false): boolean {
    if (this.#tooLarge(record)) return this.#lose('too_large')
    return this.#toRing(record, unchecked) || this.#appendToSpill(record, unchecked)
  }

  #tooLarge(record: Uint8Array | string): boolean {
    const max = this.#writer.maxRecordBytes
    return typeof record === 'string' ? record.length * 3 > max && Buffer.byteLength(record) > max : record.byteLength > max
  }

  /** Not durable: the ring takes the record while it has room and nothing spilled is unread (order). */
  #toRing(record: Uint8Array | string, unchecked: boolean): boolean {
    if (this.#durable) return false
    if (this.#spilling && this.#ledger.spillDrained()) this.#spilling = false
    if (this.#spilling) return false
    const outcome = typeof record === 'string' ? this.#writer.writeString(record, false, unchecked) : this.#writer.writeBytes(record, false)
    if (outcome === 'accepted') return true
    this.#spilling = true
    return false
  }

  #appendToSpill(record: Uint8Array | string, unchecked: boolean): boolean {
    const spill = this.#spill!
    let outcome = spill.append(record, unchecked)
    if (outcome === 'full' && this.#spillBlocks && this.#canBlock) {
      // wait for the engine to acknowledge (and so free) spilled records
      const done = (): boolean => (outcome = spill.append(record, unchecked)) !== 'full'
      waitOnWordSync({ control: this.#control, word: Control.SPACE_SEQ, waitingFlag: Control.PRODUCER_WAITING, done, pollMs: this.#maxBlockMs }, this.#maxBlockMs)
      Atomics.store(this.#control, Control.PRODUCER_WAITING, 0)
    }
    return this.#spilled(outcome)
  }

  #spilled(outcome: SpillOutcome): boolean {
    if (outcome === 'accepted') {
      this.#ledger.accepted()
      if (this.#ledger.spillUnreadBytes() >= this.#wakeBytes && Atomics.compareExchange(this.#control, Control.CONSUMER_SLEEPING, 1, 0) === 1) this.#writer.wakeConsumer()
      return true
    }
    if (outcome !== 'full') this.#onError(outcome.error)
    return this.#lose('spill_full')
  }

  /**
   * offerRecord/offerText with a spill (durable, or whenFull: spill): where `write()` would put
   * the record, but a full spill answers 'full' (the producer waits and offers it again)
   * instead of blocking or dropping, and nothing is counted until the record is taken.
   */
  #offerWithSpill(record: Uint8Array | string): WriteOutcome {
    if (this.#tooLarge(record)) {
      this.#ledger.received()
      this.#lose('too_large')
      return 'too_large'
    }
    if (!this.#toRing(record, false)) {
      const outcome = this.#spill!.append(record, false)
      if (outcome === 'full') return 'full'
      this.#ledger.received()
      this.#spilled(outcome)
      return 'accepted'
    }
    this.#ledger.received()
    return 'accepted'
  }

  /**
   * Bytes that should be one JSON object text (adapters that encode themselves). They are
   * checked: anything else is shipped as a message, so one bad record cannot spoil a batch.
   */
  writeRecord(bytes: Uint8Array): boolean {
    this.#ledger.received()
    if (bytes.byteLength === 0) return this.#lose('invalid')
    let record: Uint8Array | string = wellFormed(bytes)
    if (!isJsonObjectBytes(record)) record = stringRecord(Buffer.from(record.buffer, record.byteOffset, record.byteLength).toString('utf8'))
    if (typeof record === 'string') return this.#writeText(record)
    if (this.#spill && (this.#durable || this.#policy === 'spill')) return this.#place(record)
    const oldest = this.#policy === 'drop-oldest'
    const outcome = this.#writer.writeBytes(record, oldest)
    return outcome === 'accepted' || this.#settleOutcome(outcome, () => this.#writer.writeBytes(record, oldest), record.byteLength)
  }

  /**
   * For producers that never drop (tail mode: the file is the buffer): 'full' is not
   * counted anywhere; the caller waits for `writable()` and offers the same record again.
   */
  offerRecord(bytes: Uint8Array): WriteOutcome {
    if (this.#spills()) return this.#offerWithSpill(wellFormed(bytes))
    const outcome = this.#writer.writeBytes(wellFormed(bytes), false)
    if (outcome === 'full') return outcome
    this.#ledger.received()
    if (outcome === 'too_large') this.#lose('too_large')
    return outcome
  }

  /** offerRecord for a record held as a string: encoded straight into the queue, no copy on the way. */
  offerText(text: string): WriteOutcome {
    if (this.#spills()) return this.#offerWithSpill(text)
    const outcome = this.#writer.writeString(text, false)
    if (outcome === 'full') return outcome
    this.#ledger.received()
    if (outcome === 'too_large') this.#lose('too_large')
    return outcome
  }

  /** `size`: at most this many bytes of record (for the room drop-oldest asks for). */
  #settleOutcome(outcome: WriteOutcome, retry: () => WriteOutcome, size: number): boolean {
    if (outcome === 'too_large') return this.#lose('too_large')
    if (this.#policy === 'block' && this.#canBlock) return this.#blockUntilRoom(retry)
    if (this.#policy === 'drop-oldest') return this.#evictForRoom(retry, size)
    return this.#lose('queue_full')
  }

  /**
   * drop-oldest with no ring space left: have the engine evict the oldest queued events now
   * (right here on the engine's own thread; otherwise by asking the worker, which answers in
   * microseconds) and write again. Refused only when the engine had nothing left to evict,
   * i.e. everything queued is in flight.
   */
  #evictForRoom(retry: () => WriteOutcome, size: number): boolean {
    for (let round = 0; round < EVICT_ROUNDS; round++) {
      // a record wrapping round the ring's end needs more than its size: ask for more each round
      const need = Math.min(framedSize(Math.min(size, this.#writer.maxRecordBytes)) << round, 1 << 30)
      const evictedBefore = this.#ledger.droppedOldest
      Atomics.store(this.#control, Control.EVICT_REQUEST, need)
      if (this.#evictNow) {
        this.#evictNow()
      } else if (Atomics.load(this.#control, Control.ENGINE_CLOSED) !== 0) {
        break // no engine any more (closed, or the worker died): nobody can evict
      } else {
        this.#writer.wakeConsumer()
        // a worker that is still starting answers as soon as it runs
        const started = Atomics.load(this.#control, Control.ENGINE_STARTED) === 1
        Atomics.wait(this.#control, Control.EVICT_REQUEST, need, started ? EVICT_WAIT_MS : WORKER_START_WAIT_MS)
      }
      if (retry() === 'accepted') return true
      if (this.#ledger.droppedOldest === evictedBefore) break // nothing left to evict
    }
    return this.#lose('queue_full')
  }

  /**
   * whenFull: block — the app thread really waits while the engine makes room: at most
   * maxBlockMs per write, and no longer than the block budget allows (see BlockBudget).
   */
  #blockUntilRoom(retry: () => WriteOutcome): boolean {
    const left = this.#block.left(this.#ledger.answered)
    if (left <= 0) return this.#lose('queue_full')
    const started = performance.now()
    try {
      return this.#waitForRoom(retry, Math.min(this.#maxBlockMs, left))
    } finally {
      this.#block.waited(performance.now() - started)
    }
  }

  #waitForRoom(retry: () => WriteOutcome, timeoutMs: number): boolean {
    const done = (): boolean => {
      if (retry() === 'accepted') return true
      this.#writer.wakeConsumer() // a producer about to wait wants the engine busy
      return false
    }
    const accepted = waitOnWordSync({ control: this.#control, word: Control.SPACE_SEQ, waitingFlag: Control.PRODUCER_WAITING, done, pollMs: timeoutMs }, timeoutMs)
    Atomics.store(this.#control, Control.PRODUCER_WAITING, 0)
    return accepted || this.#lose('block_timeout')
  }

  /** Counts an event turned away before it reached the queue (e.g. written after close). */
  refuse(reason: ProducerDropReason): false {
    this.#ledger.received()
    return this.#lose(reason)
  }

  #lose(reason: ProducerDropReason | 'sampled'): false {
    this.#ledger.lost(reason)
    this.#onLoss(reason)
    return false
  }
}

/** The shape of a JSON object text: worth sending to the engine for the full check. */
function looksLikeJsonObject(text: string): boolean {
  return text.charCodeAt(0) === 0x7b && text.charCodeAt(text.length - 1) === 0x7d
}

/** The grammar check on bytes: latin1 maps each byte to one code unit (UTF-8 validity is wellFormed's job). */
function isJsonObjectBytes(bytes: Uint8Array): boolean {
  return bytes[0] === 0x7b && isJsonObjectText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'))
}

/** Invalid UTF-8 would make the record unparseable at the sink: replace bad sequences with U+FFFD. */
function wellFormed(bytes: Uint8Array): Uint8Array {
  return isUtf8(bytes) ? bytes : Buffer.from(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))
}
