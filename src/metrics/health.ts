import type { Snapshot } from './snapshot.js'
import { replyExcerpt } from '../redact.js'

export interface HealthLimits {
  /** Queue fill ratio (0..1) at and above which the shipper reports itself unhealthy. */
  readonly maxQueueFill: number
  /** A send waiting this long for the output's answer makes the shipper unhealthy. */
  readonly stallMs: number
}

export interface HealthVerdict {
  readonly healthy: boolean
  /** Why it is unhealthy, in plain words (empty when healthy). */
  readonly reasons: readonly string[]
  /** Worth knowing, not unhealthy: e.g. one host of several down while the others take the load. */
  readonly warnings: readonly string[]
}

const percent = (ratio: number): string => `${Math.round(ratio * 1000) / 10}%`

/**
 * `/healthz`: healthy while the output answers (its last answer was not a failure and no
 * send has waited `stallMs` for one) and the queue is below `maxQueueFill`. Pure.
 */
export function judgeHealth(s: Snapshot, limits: HealthLimits): HealthVerdict {
  const reasons: string[] = []
  const warnings: string[] = []
  const { output, queueFill } = s.stats
  const down = s.hosts.filter((h) => !h.up)
  // a host's last error may quote the server's reply: republish only a short, masked excerpt
  const downText = down.map((h) => (h.lastError ? `${h.host}: ${replyExcerpt(h.lastError, 160)}` : `${h.host} is down`)).join('; ')
  if (output.failing) {
    reasons.push(`the output ${s.outputName} is failing${downText ? ` (${downText})` : ''}; events stay queued and are retried`)
  } else if (down.length > 0) {
    warnings.push(`${down.length} of ${s.hosts.length} hosts are down, the others take the load (${downText})`)
  }
  if (output.waitingMs >= limits.stallMs) {
    reasons.push(`the output ${s.outputName} has not answered a request for ${(output.waitingMs / 1000).toFixed(1)} s`)
  }
  if (s.engineSilentMs !== undefined) {
    reasons.push(`the shipping engine did not answer within ${s.engineSilentMs} ms (busy or stuck on its thread); the counters shown are the last it published`)
  }
  if (queueFill >= limits.maxQueueFill) {
    reasons.push(`the queue is ${percent(queueFill)} full (unhealthy from ${percent(limits.maxQueueFill)}, http.maxQueueFill)`)
  }
  return { healthy: reasons.length === 0, reasons, warnings }
}
