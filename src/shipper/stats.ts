import { Counter } from '../ring/layout.js'

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
  }
  readonly sampledOut: number
  /** Refused by the sink or out of retries: dead-lettered. */
  readonly failed: number
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
  /** Damaged spill frames skipped (bad checksum, torn write). */
  readonly corrupt: number
}

export function toStats(c: Float64Array, ringFill: number, usedBytes: number, maxBytes: number): ShipperStats {
  const droppedByReason = {
    queue_full: c[Counter.DROPPED_QUEUE_FULL]!,
    queue_full_oldest: c[Counter.DROPPED_OLDEST]!,
    block_timeout: c[Counter.DROPPED_BLOCK_TIMEOUT]!,
    too_large: c[Counter.DROPPED_TOO_LARGE]!,
    invalid: c[Counter.DROPPED_INVALID]!,
    closed: c[Counter.DROPPED_CLOSED]!,
    shutdown: c[Counter.DROPPED_SHUTDOWN]!,
    spill_full: c[Counter.DROPPED_SPILL_FULL]!,
  }
  return {
    received: c[Counter.RECEIVED]!,
    accepted: c[Counter.ACCEPTED]!,
    acked: c[Counter.ACKED]!,
    dropped: Object.values(droppedByReason).reduce((a, b) => a + b, 0),
    droppedByReason,
    sampledOut: c[Counter.SAMPLED_OUT]!,
    failed: c[Counter.FAILED]!,
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
  }
}
