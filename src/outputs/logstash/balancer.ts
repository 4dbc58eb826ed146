import type { LumberjackConnection } from './connection.js'
import type { ConnectionProblem } from './connect-errors.js'
import { onAbort } from './abort-hub.js'

/** No connection can take a window now: every candidate is waiting to reconnect. */
export interface Unavailable {
  readonly unavailable: true
  /** When the first candidate may reconnect. */
  readonly retryAfterMs: number
  /** The latest problem of each failed candidate. */
  readonly problems: readonly ConnectionProblem[]
  readonly aborted: boolean
}

/**
 * Chooses the connection for the next window.
 *
 * - Load balancing: every connection of every host is a candidate, and the window goes to
 *   the ready one with the fewest unacknowledged events (counting windows being encoded for
 *   it). A slow node keeps its windows in flight longer, so it is chosen less often instead
 *   of holding the others back.
 * - Failover: only the active host's connections are candidates; when all of them have
 *   failed, the next host becomes active (hosts are tried in order, from a random start).
 *
 * The connection comes with a pipeline slot taken for the window (see
 * LumberjackConnection.reserve): the caller gives it back with `release`.
 *
 * A batch waits while a candidate is connecting or busy; it does not wait for backoffs:
 * then it hears `Unavailable` and the engine retries later.
 *
 * `solo`: the window must go alone, as the first window of a fresh connection (events a
 * server may have refused: see RefusalMemory). Such a batch takes a fresh idle connection,
 * or asks the least loaded one to finish its windows and reconnect, and waits for it.
 */
export class Balancer {
  readonly #hosts: readonly (readonly LumberjackConnection[])[]
  readonly #loadBalance: boolean
  #active: number
  #waiters: (() => void)[] = []

  constructor(hosts: readonly (readonly LumberjackConnection[])[], loadBalance: boolean, random: () => number = Math.random) {
    this.#hosts = hosts
    this.#loadBalance = loadBalance
    this.#active = Math.floor(random() * hosts.length)
  }

  get all(): readonly LumberjackConnection[] {
    return this.#hosts.flat()
  }

  /** Wakes every batch waiting for a connection; connections call it on every change. */
  changed(): void {
    const waiters = this.#waiters
    this.#waiters = []
    for (const wake of waiters) wake()
  }

  async acquire(signal: AbortSignal, solo = false): Promise<LumberjackConnection | Unavailable> {
    let asked: { connection: LumberjackConnection; withdraw: () => void } | undefined
    try {
      return await this.#acquire(signal, solo, (c) => {
        if (asked?.connection === c) return false
        asked?.withdraw()
        asked = { connection: c, withdraw: c.wantSolo() }
        return true
      })
    } finally {
      asked?.withdraw()
    }
  }

  async #acquire(signal: AbortSignal, solo: boolean, askFresh: (c: LumberjackConnection) => boolean): Promise<LumberjackConnection | Unavailable> {
    let switches = 0
    for (;;) {
      if (signal.aborted) return { unavailable: true, retryAfterMs: 0, problems: [], aborted: true }
      const now = Date.now()
      const candidates = this.#loadBalance ? this.all : this.#hosts[this.#active]!
      let best: LumberjackConnection | undefined
      let alive = false
      let leastLoaded: LumberjackConnection | undefined
      for (const c of candidates) {
        c.checkTtl(now)
        c.connectIfDue(now)
        if (c.state !== 'backoff' && c.state !== 'closed') alive = true
        if (solo) {
          if (c.canSendSolo() && (!best || c.load < best.load)) best = c
          if ((c.state === 'ready' || c.state === 'draining' || c.state === 'connecting') && (!leastLoaded || c.load < leastLoaded.load)) leastLoaded = c
        } else if (c.canSend() && (!best || c.load < best.load || (c.load === best.load && c.windowsInFlight < best.windowsInFlight))) best = c
      }
      if (best) {
        // its pipeline slot is taken at once: batches woken by the same change must not all
        // pick it in the ticks before they encode (the window would be encoded for nothing),
        // nor put a window next to one sent alone
        best.reserve(solo)
        return best
      }
      if (alive) {
        // asking may change the connection at once (an idle one reconnects): look again before waiting
        if (solo && leastLoaded && (askFresh(leastLoaded) || leastLoaded.renewForSolo())) continue
        await this.#nextChange(signal)
        continue
      }
      if (!this.#loadBalance && switches < this.#hosts.length - 1) {
        this.#active = (this.#active + 1) % this.#hosts.length
        switches++
        continue
      }
      const retryAt = Math.min(...candidates.map((c) => c.retryAt))
      const problems = candidates.map((c) => c.lastProblem).filter((p): p is ConnectionProblem => p !== undefined)
      return { unavailable: true, retryAfterMs: Math.max(0, retryAt - now), problems, aborted: false }
    }
  }

  #nextChange(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const cancel = onAbort(signal, () => done())
      const done = (): void => {
        cancel()
        resolve()
      }
      this.#waiters.push(done)
    })
  }
}
