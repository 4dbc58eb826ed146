import type { HostTally } from './host-tally.js'

/** Refusals of the same events, with acknowledgements in between, that make them poison. */
export const POISON_STRIKES = 2

/** Closes of windows (in flight with others) holding an event before it is sent alone. */
const SUSPECT_CLOSES = 2

/** Records remembered at most (the oldest are forgotten first): a bound on memory, far above what a batch holds. */
const MAX_REMEMBERED = 50_000

interface Refusal {
  /** undefined: only a suspect (in a window that failed with others in flight), not refused alone yet. */
  readonly host: HostTally | undefined
  /** `host.downs` at the first refusal: a host that went down since starts the count again. */
  readonly downs: number
  /** `host.acks` at the last refusal that counted. */
  acksAt: number
  strikes: number
  /** Connections the server closed while a window holding it was in flight with others (before any refusal alone). */
  closes: number
  /** When it was last refused, in refusals seen by this memory (older first when sending again). */
  at: number
}

/**
 * Which records (by `batch.key(i)`, stable across retries and splits) a host refused by
 * closing the connection on a window sent alone, and how often *with evidence that the host
 * was otherwise working*: a refusal counts as a new strike only when the same host
 * acknowledged some other window since the record's previous strike, and has not been down
 * (a failed connect, an ACK timeout) since the first. A host that is down, restarting, or
 * closes on every window acknowledges nothing in between, so its refusals never add up.
 */
export class RefusalMemory {
  readonly #byKey = new Map<string, Refusal>()
  #refusals = 0

  get size(): number {
    return this.#byKey.size
  }

  /** When `key` was last refused (a count of refusals), or undefined when it is not a suspect. */
  refusedAt(key: string): number | undefined {
    const r = this.#byKey.get(key)
    return r && (r.strikes > 0 || r.closes >= SUSPECT_CLOSES) ? r.at : undefined
  }

  /** Records that `host` refused the window holding `keys`; returns the most strikes among them. */
  refused(keys: readonly string[], host: HostTally): number {
    let most = 0
    const at = ++this.#refusals
    for (const key of keys) {
      let r = this.#byKey.get(key)
      if (!r || r.host !== host || r.downs !== host.downs || r.strikes === 0) {
        r = { host, downs: host.downs, acksAt: host.acks, strikes: 1, closes: 0, at }
        this.#byKey.delete(key)
        this.#byKey.set(key, r)
      } else if (host.acks > r.acksAt) {
        r.strikes++
        r.acksAt = host.acks
      }
      r.at = at
      if (r.strikes > most) most = r.strikes
    }
    while (this.#byKey.size > MAX_REMEMBERED) this.#byKey.delete(this.#byKey.keys().next().value!)
    return most
  }

  /**
   * `keys` were in a window that failed when the server closed the connection while other
   * windows were in flight too. Returns true when they are suspects now: some of them were
   * refused alone before, or were in such a window SUSPECT_CLOSES times (a server that drops
   * connections now and then, whatever they carry, acknowledges the window sent again).
   */
  closedOn(keys: readonly string[]): boolean {
    const at = ++this.#refusals
    let suspect = false
    for (const key of keys) {
      let r = this.#byKey.get(key)
      if (!r) {
        r = { host: undefined, downs: 0, acksAt: 0, strikes: 0, closes: 0, at }
        this.#byKey.set(key, r)
      }
      r.closes++
      r.at = at
      if (r.strikes > 0 || r.closes >= SUSPECT_CLOSES) suspect = true
    }
    while (this.#byKey.size > MAX_REMEMBERED) this.#byKey.delete(this.#byKey.keys().next().value!)
    return suspect
  }

  /** Makes `keys` the most recently refused: they form their own group, sent after the others. */
  touch(keys: readonly string[]): void {
    const at = ++this.#refusals
    for (const key of keys) {
      const r = this.#byKey.get(key)
      if (r) r.at = at
    }
  }

  forget(key: string): void {
    this.#byKey.delete(key)
  }
}
