import type { ConnectionProblem } from './connect-errors.js'
import type { HostTally } from './host-tally.js'

/** How one window ended: `acked` events (a prefix) are taken; an error says why the rest were not. */
export interface WindowOutcome {
  readonly acked: number
  readonly error?: ConnectionProblem
  /**
   * Set when the server closed the connection on this window, sent alone on a fresh
   * connection: what a Lumberjack server does with an event it cannot decode (or a host that
   * is going down; the caller tells them apart, see RefusalMemory).
   */
  readonly refusedBy?: HostTally
  /** The server ended or reset the connection (rather than a timeout or a protocol error). */
  readonly closedByServer?: boolean
}

/**
 * Called with how a window ended. For a refused window, return true when the caller holds
 * the events to blame (poison): then the close is not counted against the host.
 */
export type WindowDone = (outcome: WindowOutcome) => boolean | undefined

export interface InFlightWindow {
  readonly count: number
  /** It had the whole window size when sent (a tail window says nothing about the size). */
  readonly full: boolean
  /** Sent alone, as the first window of its connection (see LumberjackConnection.canSendSolo). */
  readonly solo: boolean
  acked: number
  readonly done: WindowDone
}

/**
 * The windows written on one connection and not acknowledged in full, oldest first. A
 * Lumberjack ACK names how many events of the oldest window are taken (1..count), so ACKs
 * settle windows strictly in order; this is the accounting of which events are taken.
 */
export class InFlightWindows {
  #windows: InFlightWindow[] = []
  #unacked = 0

  get length(): number {
    return this.#windows.length
  }

  /** Events written and not acknowledged yet. */
  get unackedEvents(): number {
    return this.#unacked
  }

  add(count: number, full: boolean, solo: boolean, done: WindowDone): void {
    this.#windows.push({ count, full, solo, acked: 0, done })
    this.#unacked += count
  }

  /**
   * Applies `ACK seq` to the oldest window. Returns undefined when it takes nothing new (a
   * keep-alive repeats the last sequence number), else the window and whether it is now
   * acknowledged in full (then it is no longer in flight). Throws on a sequence number
   * beyond the window: the server and we disagree about what was sent.
   */
  ack(seq: number): { readonly window: InFlightWindow; readonly complete: boolean } | undefined {
    const head = this.#windows[0]
    if (!head || seq <= head.acked) return undefined
    if (seq > head.count) throw new Error(`protocol error: ACK for sequence ${seq} but the window has ${head.count} events`)
    this.#unacked -= seq - head.acked
    head.acked = seq
    if (seq < head.count) return { window: head, complete: false }
    this.#windows.shift()
    return { window: head, complete: true }
  }

  /** The one window in flight when it was sent alone and is not acknowledged in full: the server may have refused it. */
  soloNotAcked(): InFlightWindow | undefined {
    const only = this.#windows.length === 1 ? this.#windows[0]! : undefined
    return only?.solo && only.acked < only.count ? only : undefined
  }

  /** Takes every window out of flight (they are failed or refused by the caller). */
  takeAll(): InFlightWindow[] {
    const windows = this.#windows
    this.#windows = []
    this.#unacked = 0
    return windows
  }
}
