import { backoffDelay } from '../../util/backoff.js'
import type { ConnectionProblem } from './connect-errors.js'
import { TIME_ZERO } from '../../util/time-zero.js'

/**
 * Whether one connection slot to a host is failing, and when it may reconnect. A connection
 * that delivered anything before it ended (an ACK advanced a window) did not fail: it
 * reconnects at once (a node that drops the connection every few windows stays useful). One
 * that delivered nothing is a failure: the slot is down until it connects again, and the
 * wait before reconnecting doubles with each failure in a row, up to `maxDelayMs`.
 */
export class ReconnectBackoff {
  readonly #initialDelayMs: number
  readonly #maxDelayMs: number
  /** Connection attempts in a row that delivered nothing. */
  #failures = 0
  /** The last connection failed without delivering anything and none has connected since. */
  #down = false
  /** The current connection delivered something (or is excused, see `excuse`). */
  #delivered = false
  #retryAt = TIME_ZERO
  #lastProblem: ConnectionProblem | undefined

  constructor(backoff: { readonly initialDelayMs: number; readonly maxDelayMs: number }) {
    this.#initialDelayMs = backoff.initialDelayMs
    this.#maxDelayMs = backoff.maxDelayMs
  }

  get failures(): number {
    return this.#failures
  }

  get down(): boolean {
    return this.#down
  }

  /** When the slot may reconnect (ms since the epoch). */
  get retryAt(): number {
    return this.#retryAt
  }

  /** Why the last connection (or attempt) ended. */
  get lastProblem(): ConnectionProblem | undefined {
    return this.#lastProblem
  }

  /** The current connection delivered something (or is excused). */
  get delivered(): boolean {
    return this.#delivered
  }

  /** A new connection attempt starts: it has delivered nothing yet. */
  attempting(): void {
    this.#delivered = false
  }

  /** The attempt connected; returns true when the slot was down until now. */
  connected(): boolean {
    const wasDown = this.#down
    this.#down = false
    return wasDown
  }

  /** An ACK advanced a window: the connection works, the failure streak is over. */
  acked(): void {
    this.#delivered = true
    this.#failures = 0
  }

  /** The connection ends for a reason that is not the host's fault (it refused poison): not a failure, though the streak stays. */
  excuse(): void {
    this.#delivered = true
  }

  /** The connection ended with `problem`: returns the wait before reconnecting and whether the slot just went down. */
  ended(problem: ConnectionProblem): { readonly delayMs: number; readonly wentDown: boolean } {
    this.#lastProblem = problem
    let delayMs = 0
    if (!this.#delivered) {
      this.#failures++
      delayMs = backoffDelay(this.#failures, this.#initialDelayMs, this.#maxDelayMs)
    }
    this.#retryAt = Date.now() + delayMs
    const wentDown = !this.#delivered && !this.#down
    if (wentDown) this.#down = true
    return { delayMs, wentDown }
  }
}
