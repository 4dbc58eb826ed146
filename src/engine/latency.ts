/**
 * Send latency buckets (upper bounds in ms, each bucket counted on its own; the last slot
 * counts everything above the largest bound). Fixed, so the engine can count into shared
 * memory and any thread can read a histogram without talking to the engine.
 */
export const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000] as const

/** Slots: one per bound plus one for "above the largest bound". */
export const LATENCY_SLOTS = LATENCY_BOUNDS_MS.length + 1

export function latencyBucket(ms: number): number {
  for (let i = 0; i < LATENCY_BOUNDS_MS.length; i++) if (ms <= LATENCY_BOUNDS_MS[i]!) return i
  return LATENCY_BOUNDS_MS.length
}

/**
 * The q-quantile (0..1) of a histogram of per-bucket counts, interpolated linearly inside
 * the bucket it falls in (as Prometheus' histogram_quantile does). 0 when there is nothing;
 * the largest bound when it falls above it.
 */
export function latencyQuantile(counts: readonly number[], q: number): number {
  const total = counts.reduce((a, b) => a + b, 0)
  if (total === 0) return 0
  const rank = q * total
  let below = 0
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!
    if (n > 0 && below + n >= rank) {
      const upper = LATENCY_BOUNDS_MS[i]
      if (upper === undefined) return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!
      return lower + (upper - lower) * ((rank - below) / n)
    }
    below += n
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!
}
