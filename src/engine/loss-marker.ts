import { Counter, PRODUCER_DROP_REASONS } from '../shared/layout.js'

const SLOTS: Record<string, number> = { ...PRODUCER_DROP_REASONS, queue_full_oldest: Counter.DROPPED_OLDEST, sampled: Counter.SAMPLED_OUT }

export type LossCounts = Record<string, number>

/** Tracks losses (drops and sampling) not yet reported to the sink by a marker event. */
export class LossCounter {
  readonly #counters: Float64Array
  readonly #reported: Record<string, number> = {}

  constructor(counters: Float64Array) {
    this.#counters = counters
    for (const key of Object.keys(SLOTS)) this.#reported[key] = 0
  }

  hasUnreported(): boolean {
    for (const [key, slot] of Object.entries(SLOTS)) if (this.#counters[slot]! > this.#reported[key]!) return true
    return false
  }

  takeUnreported(): LossCounts {
    const out: LossCounts = {}
    for (const [key, slot] of Object.entries(SLOTS)) {
      const now = this.#counters[slot]!
      const delta = now - this.#reported[key]!
      if (delta > 0) out[key] = delta
      this.#reported[key] = now
    }
    return out
  }
}

/**
 * The event that tells the sink how many events logship lost since the last one, and why:
 * `{"@timestamp", "message": "logship dropped 1234 events", "event": {"kind": "metric"},
 *   "logship": {"dropped": 1234, "reasons": {"queue_full": 1200, "sampled": 34}}}`.
 */
export function lossMarker(counts: LossCounts, now: number): Buffer {
  const total = Object.values(counts).reduce((a, b) => a + b, 0)
  const sampled = counts.sampled ?? 0
  const dropped = total - sampled
  const parts = Object.entries(counts)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')
  return Buffer.from(
    JSON.stringify({
      '@timestamp': new Date(now).toISOString(),
      message: `logship dropped ${total} events (${parts})`,
      event: { kind: 'metric' },
      logship: { dropped, sampledOut: sampled, reasons: counts },
    }),
  )
}
