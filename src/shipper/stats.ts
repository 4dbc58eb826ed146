import { Counter } from '../shared/layout.js'
import { LATENCY_BOUNDS_MS, LATENCY_SLOTS, latencyQuantile } from '../engine/latency.js'

export interface ShipperStats {
  /** Every call to write(), accepted or not. */
  readonly received: number
  readonly accepted: number
  /** Stored by the output. */
  readonly acked: number
  /** Lost on purpose, by reason (never silently). */
  readonly dropped: number
  readonly droppedByReason: {
    readonly queue_full: number
    readonly queue_full_oldest: number
    readonly block_timeout: number
    readonly too_large: number
    readonly invalid: number
    readonly closed: number
    readonly shutdown: number
    readonly spill_full: number
    /** Spilled records that could not be read back (damaged on disk). */
    readonly corrupt: number
  }
  readonly sampledOut: number
  /** Refused by the sink or out of retries: dead-lettered. */
  readonly failed: number
  /** Of the failed: dead letters discarded by the dead-letter file's caps (deadLetter.maxBytes / maxFiles, or a slow disk). */
  readonly deadLetterDiscarded: number
  /** Events sent again (each retry of each event counts). */
  readonly retried: number
  /** Accepted, not in a batch yet. */
  readonly queuedEvents: number
  /** Ring bytes of queued events (framing included). */
  readonly queuedBytes: number
  /** In a batch being sent or waiting to be retried. */
  readonly inFlightEvents: number
  readonly inFlightBatches: number
  /** Share of queue.maxBytes in use by accepted, unsettled events (0..1). */
  readonly queueFill: number
  /** Records in the spill not yet acknowledged, their bytes on disk, and segment files. */
  readonly spilledEvents: number
  readonly spilledBytes: number
  readonly spillSegments: number
  /** Damaged stretches of the spill skipped (bad checksum or header, torn write); the records lost in them are in droppedByReason.corrupt. */
  readonly corrupt: number
  /** The output as the engine sees it. */
  readonly output: {
    /** Its last answer was a failure (error, timeout, 5xx, refused credentials) and none succeeded since. */
    readonly failing: boolean
    /** Age in ms of the oldest send still waiting for the output's answer; 0 when none is. */
    readonly waitingMs: number
    /** Epoch ms of its last answer that was not a failure; 0: none yet. */
    readonly lastAnswerAt: number
  }
  /** How long sends (requests to the output, each retry counted) took. */
  readonly sendLatency: {
    readonly count: number
    readonly sumMs: number
    readonly p50Ms: number
    readonly p99Ms: number
    /** Upper bounds of `counts` (the last count is for everything above the largest bound). */
    readonly boundsMs: readonly number[]
    /** Sends per bucket (not cumulative). */
    readonly counts: readonly number[]
  }
}

export function toStats(c: Float64Array, ringFill: number, usedBytes: number, maxBytes: number, now = Date.now()): ShipperStats {
  const droppedByReason = {
    queue_full: c[Counter.DROPPED_QUEUE_FULL]!,
    queue_full_oldest: c[Counter.DROPPED_OLDEST]!,
    block_timeout: c[Counter.DROPPED_BLOCK_TIMEOUT]!,
    too_large: c[Counter.DROPPED_TOO_LARGE]!,
    invalid: c[Counter.DROPPED_INVALID]!,
    closed: c[Counter.DROPPED_CLOSED]!,
    shutdown: c[Counter.DROPPED_SHUTDOWN]!,
    spill_full: c[Counter.DROPPED_SPILL_FULL]!,
    corrupt: c[Counter.DROPPED_CORRUPT]!,
  }
  return {
    received: c[Counter.RECEIVED]!,
    accepted: c[Counter.ACCEPTED]!,
    acked: c[Counter.ACKED]!,
    dropped: Object.values(droppedByReason).reduce((a, b) => a + b, 0),
    droppedByReason,
    sampledOut: c[Counter.SAMPLED_OUT]!,
    failed: c[Counter.FAILED]!,
    deadLetterDiscarded: c[Counter.DEAD_LETTER_DISCARDED]!,
    retried: c[Counter.RETRIED]!,
    queuedEvents: c[Counter.ACCEPTED]! - c[Counter.DRAINED]! + c[Counter.PENDING]!,
    queuedBytes: ringFill,
    inFlightEvents: c[Counter.IN_FLIGHT_EVENTS]!,
    inFlightBatches: c[Counter.IN_FLIGHT_BATCHES]!,
    queueFill: usedBytes / maxBytes,
    spilledEvents: c[Counter.SPILLED_EVENTS]! - c[Counter.SPILL_ACKED_EVENTS]!,
    spilledBytes: c[Counter.SPILL_WRITTEN_POS]! - c[Counter.SPILL_ACKED_POS]!,
    spillSegments: c[Counter.SPILL_SEGMENTS]!,
    corrupt: c[Counter.SPILL_CORRUPT]! + c[Counter.ENGINE_CORRUPT]!,
    output: {
      failing: c[Counter.OUTPUT_FAILING]! > 0,
      waitingMs: c[Counter.SEND_OLDEST_AT]! > 0 ? Math.max(0, now - c[Counter.SEND_OLDEST_AT]!) : 0,
      lastAnswerAt: c[Counter.LAST_ACK_AT]!,
    },
    sendLatency: latencyOf(c),
  }
}

function latencyOf(c: Float64Array): ShipperStats['sendLatency'] {
  const counts = Array.from(c.subarray(Counter.SEND_LATENCY, Counter.SEND_LATENCY + LATENCY_SLOTS))
  return {
    count: counts.reduce((a, b) => a + b, 0),
    sumMs: c[Counter.SEND_MS_SUM]!,
    p50Ms: latencyQuantile(counts, 0.5),
    p99Ms: latencyQuantile(counts, 0.99),
    boundsMs: LATENCY_BOUNDS_MS,
    counts,
  }
}
