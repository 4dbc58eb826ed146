/**
 * The text of the `error` event a multi-host output raises when one of its hosts goes down or
 * comes back, the same for every output: which host, why, and how many are still up.
 */
export function hostChangeMessage(host: string, up: boolean, reason: string | undefined, downCount: number, total: number): string {
  const others = downCount === 0 ? `all ${total} hosts are up` : `${downCount} of ${total} hosts are down`
  if (up) return `host ${host} is up again; ${others}`
  const load = downCount < total ? ', the others take the load' : ''
  return `host ${host} is down (${reason ?? 'it failed'}); ${others}${load}; it is retried with backoff`
}
