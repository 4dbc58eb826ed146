/**
 * Shared memory between the app thread (producer) and the engine (consumer).
 *
 *   control  Int32Array   positions, fill levels and wake-up words (below)
 *   counters Float64Array the stats ledger; each slot has exactly one writer thread
 *   data     Uint8Array   the ring of framed records
 *
 * A framed record is [int32 length][UTF-8 JSON bytes][0-3 pad bytes] starting on a 4-byte
 * boundary. A length of WRAP means "the rest of the ring is unused, continue at 0". Only
 * the producer knows the write position and only the consumer the read position; RING_FILL
 * (bytes in the ring, wrap waste included) is the one position word both change, with
 * Atomics.add/sub, which also publishes the record bytes written before it (JS atomics are
 * sequentially consistent). The consumer reads records in place and releases their bytes
 * once it has copied them into a batch, so the ring is also the engine's pending queue.
 *
 * USED_BYTES is the queue budget: framed bytes of every accepted event that is not yet
 * settled (acked, failed or dropped), whether it is still in the ring or in a batch in
 * flight. The producer adds on accept; the engine subtracts on settle.
 */
export const Control = {
  RING_FILL: 2,
  USED_BYTES: 3,
  /** 1 while the consumer sleeps on DOORBELL and wants to be woken. */
  CONSUMER_SLEEPING: 4,
  DOORBELL: 5,
  /** Bumped by the consumer whenever it frees ring space or budget. */
  SPACE_SEQ: 6,
  /** 1 while a producer waits on SPACE_SEQ (whenFull: block). */
  PRODUCER_WAITING: 7,
  /** Bumped by the consumer when the settled watermark advances. */
  SETTLE_SEQ: 8,
  /** 1 while the app thread waits on SETTLE_SEQ (flush). */
  FLUSH_WAITING: 9,
  /** Odd while the engine updates its ledger counters (a seqlock for consistent reads). */
  LEDGER_SEQ: 10,
  /** Ring bytes the consumer has read but not released: RING_FILL - HELD is unread. */
  HELD: 11,
  /**
   * drop-oldest: ring bytes a producer needs and could not find; set by the producer, cleared
   * (and notified) by the engine once it has evicted what it could of the oldest queued events.
   */
  EVICT_REQUEST: 12,
  /**
   * 1 (notified): the engine has closed and counted everything it held. 2: the worker is gone
   * without doing so (the app thread counts it as lost at exit).
   */
  ENGINE_CLOSED: 13,
  /** Set to 1 by the engine when it starts (a worker takes a moment to come up). */
  ENGINE_STARTED: 14,
  SIZE: 16,
} as const

export const WRAP = -1

/**
 * A flag in a frame's length word: the record is text that write() took without checking
 * that it is one JSON object (the engine checks it, off the app thread). Lengths stay below it.
 */
export const UNCHECKED = 1 << 30

/** Ledger slots. P: written by the producer (app thread); C: written by the consumer (engine). */
export const Counter = {
  // producer
  RECEIVED: 0,
  ACCEPTED: 1,
  DROPPED_QUEUE_FULL: 2,
  DROPPED_BLOCK_TIMEOUT: 3,
  DROPPED_TOO_LARGE: 4,
  DROPPED_INVALID: 5,
  SAMPLED_OUT: 6,
  DROPPED_CLOSED: 7,
  /** Accepted-count up to which the app asks for an immediate flush. */
  FLUSH_TARGET: 8,
  DROPPED_SPILL_FULL: 9,
  /** Spill: records appended, and the global byte position after the last complete frame. */
  SPILLED_EVENTS: 10,
  SPILL_WRITTEN_POS: 11,
  /** Spill frames found damaged (at recovery by the producer, later by the engine). */
  SPILL_CORRUPT: 12,
  // consumer (guarded by Control.LEDGER_SEQ)
  DRAINED: 17,
  PENDING: 18,
  PENDING_BYTES: 19,
  IN_FLIGHT_EVENTS: 20,
  IN_FLIGHT_BATCHES: 21,
  ACKED: 22,
  FAILED: 23,
  DROPPED_OLDEST: 24,
  DROPPED_SHUTDOWN: 25,
  RETRIED: 26,
  /** Events settled in order: every event with seq < SETTLED is acked, failed or dropped. */
  SETTLED: 27,
  /** Spill: records the engine has read (or passed as unreadable), and the acknowledged (cursor) position. */
  SPILL_READ_EVENTS: 28,
  SPILL_ACKED_EVENTS: 29,
  SPILL_ACKED_POS: 30,
  SPILL_READ_POS: 31,
  SPILL_SEGMENTS: 32,
  ENGINE_CORRUPT: 33,
  /** 1 while the output's last answer was a failure (retryable or fatal) and none succeeded since. */
  OUTPUT_FAILING: 34,
  /** Epoch ms at which the oldest send still waiting for the output's answer started; 0: none. */
  SEND_OLDEST_AT: 35,
  /** Epoch ms of the output's last answer that was not a failure (delivered or partial); 0: never. */
  LAST_ACK_AT: 36,
  /** Sum of the durations of every finished send, in ms. */
  SEND_MS_SUM: 37,
  /** Spilled records that could not be read back (damaged on disk): lost, counted once. */
  DROPPED_CORRUPT: 38,
  /** Dead-lettered events the dead-letter file's size cap discarded (oldest rotated file removed). */
  DEAD_LETTER_DISCARDED: 39,
  /** Finished sends per latency bucket (engine/latency.ts): LATENCY_SLOTS slots from here. */
  SEND_LATENCY: 40,
  SIZE: 56,
} as const

export const PRODUCER_DROP_REASONS = {
  queue_full: Counter.DROPPED_QUEUE_FULL,
  block_timeout: Counter.DROPPED_BLOCK_TIMEOUT,
  too_large: Counter.DROPPED_TOO_LARGE,
  invalid: Counter.DROPPED_INVALID,
  closed: Counter.DROPPED_CLOSED,
  spill_full: Counter.DROPPED_SPILL_FULL,
} as const

export interface SharedState {
  readonly control: SharedArrayBuffer
  readonly counters: SharedArrayBuffer
  readonly data: SharedArrayBuffer
}

/** The ring holds every queued event, so it is as large as the queue budget. */
export function ringCapacity(maxBytes: number): number {
  return Math.max(4096, maxBytes - (maxBytes % 4))
}

export function createSharedState(maxBytes: number): SharedState {
  return {
    control: new SharedArrayBuffer(Control.SIZE * 4),
    counters: new SharedArrayBuffer(Counter.SIZE * 8),
    data: new SharedArrayBuffer(ringCapacity(maxBytes)),
  }
}

export const framedSize = (len: number): number => 4 + ((len + 3) & ~3)

/**
 * The largest record the queue takes with this `queue.maxBytes`, whatever the ring's state:
 * half the ring (a record may have to wrap) and within the budget, less its frame header.
 */
export function maxRecordBytes(queueMaxBytes: number): number {
  return Math.min(queueMaxBytes, ringCapacity(queueMaxBytes) / 2) - 8
}
