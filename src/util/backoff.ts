/**
 * Delay before retry number `attempt` (1 = first retry): exponential growth from
 * `initialMs`, capped at `maxMs`, with full jitter over [initialMs, cap] so that many
 * shippers recovering at once do not retry in lockstep.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 40))
  return Math.round(initialMs + random() * (cap - initialMs))
}
