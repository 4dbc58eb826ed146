import type { Socket } from 'node:net'
import { endSocket, hostLabel, openSocket } from './open-socket.js'
import { SoloSlot } from './solo-slot.js'
import { AckReader } from './ack-reader.js'
import { InFlightWindows, type WindowDone } from './in-flight-windows.js'
import { SlowStartWindow } from './window.js'
import { closedMessage, explainConnectionError, type ConnectionProblem } from './connect-errors.js'
import { ReconnectBackoff } from './reconnect-backoff.js'
import type { HostTally } from './host-tally.js'
import type { ConnectionSettings, ConnectionState } from './connection-settings.js'
import type { EncodedWindow } from './encode-window.js'
import { TIME_ZERO } from '../../util/time-zero.js'

export type { WindowDone, WindowOutcome } from './in-flight-windows.js'

/**
 * One Lumberjack v2 connection to one Logstash node: writes windows (pipelined up to
 * `pipelining`), matches ACKs to them in order, and fails them when the node goes away or
 * sends no ACK (not even a keep-alive) for `timeoutMs`. Reconnecting is left to the
 * balancer, which calls `connect()` once `retryAt` has passed.
 */
export class LumberjackConnection {
  readonly label: string
  readonly window: SlowStartWindow
  readonly #settings: ConnectionSettings
  #state: ConnectionState = 'idle'
  #socket: Socket | undefined
  #reader = new AckReader()
  readonly #inFlight = new InFlightWindows()
  /** Windows being encoded for this connection (pipeline slots taken before they are written). */
  #reserved = 0
  #reservedEvents = 0
  /** Windows written on the current socket. */
  #windowsSent = 0
  readonly #solo = new SoloSlot()
  #openedAt = TIME_ZERO
  readonly #backoff: ReconnectBackoff
  /** Bytes the server sent on the current connection (0: not even one ACK). */
  #bytesIn = 0
  #ackTimer: NodeJS.Timeout | undefined
  #retryTimer: NodeJS.Timeout | undefined
  /** Connections opened so far (for stats and tests of TTL). */
  opened = 0

  constructor(settings: ConnectionSettings) {
    this.#settings = settings
    this.label = hostLabel(settings.address)
    this.window = new SlowStartWindow(settings.bulkMaxSize)
    this.#backoff = new ReconnectBackoff(settings.backoff)
  }

  get state(): ConnectionState {
    return this.#state
  }

  /** Events written and not acknowledged yet: the load measure the balancer compares. */
  get unackedEvents(): number {
    return this.#inFlight.unackedEvents
  }

  get windowsInFlight(): number {
    return this.#inFlight.length
  }

  /** Events written and not acknowledged, plus those being encoded for it: what the balancer compares. */
  get load(): number {
    return this.#inFlight.unackedEvents + this.#reservedEvents
  }

  get retryAt(): number {
    return this.#backoff.retryAt
  }

  get lastProblem(): ConnectionProblem | undefined {
    return this.#backoff.lastProblem
  }

  /** Down: the last connection (or attempt) failed without delivering anything, and none has connected since. */
  get down(): boolean {
    return this.#backoff.down
  }

  /** Connection attempts in a row that delivered nothing. */
  get failures(): number {
    return this.#backoff.failures
  }

  get tally(): HostTally {
    return this.#settings.tally
  }

  /** Ready and below its pipelining limit (and not kept for a window sent alone). */
  canSend(): boolean {
    return this.#state === 'ready' && !this.#solo.held && !this.#solo.wanted && this.#inFlight.length + this.#reserved < this.#settings.pipelining
  }

  /** Ready, fresh (no window written on this connection yet) and idle: a window sent now is alone. */
  canSendSolo(): boolean {
    return this.#state === 'ready' && !this.#solo.held && this.#windowsSent === 0 && this.#inFlight.length === 0 && this.#reserved === 0
  }

  /**
   * While a batch wants a fresh connection here: once this one has carried a window (and no
   * window sent alone is pending on it), stop taking windows and reconnect when drained.
   * Returns true when it changed anything.
   */
  renewForSolo(): boolean {
    if (!this.#solo.wanted || this.#state !== 'ready' || this.#windowsSent === 0 || this.#solo.held) return false
    this.#state = 'draining'
    if (this.#inFlight.length === 0 && this.#reserved === 0) this.#retire()
    return true
  }

  /**
   * A batch wants to send a window alone on a fresh connection: this one takes no new windows,
   * and once its windows are acknowledged it reconnects (unless it is fresh already). Returns
   * the function that withdraws the wish (call it once, whatever happens).
   */
  wantSolo(): () => void {
    const withdraw = this.#solo.want(() => this.#settings.onChange())
    this.renewForSolo()
    return withdraw
  }

  /**
   * Takes a pipeline slot for a window (`solo`: one sent alone, which keeps this fresh
   * connection to itself) from the moment the balancer hands the connection out until the
   * window is encoded (compressed), so that other batches neither pick nor encode windows for
   * a connection that will be full by then. Give it back with `release` before `send`,
   * whatever happens.
   */
  reserve(solo = false): void {
    this.#reserved++
    if (solo) this.#solo.held = true
  }

  /** The window being encoded for a slot taken with `reserve` holds `count` events (load the balancer compares). */
  reserveEvents(count: number): void {
    this.#reservedEvents += count
  }

  /** Gives back a slot taken with `reserve` (`count`: the events given to `reserveEvents`). */
  release(count: number, solo = false): void {
    this.#reserved--
    this.#reservedEvents -= count
    if (solo) this.#solo.held = false
    if (this.#state === 'draining' && this.#reserved === 0 && this.#inFlight.length === 0) this.#retire()
  }

  /** Starts connecting when idle, or when in backoff and the wait is over. */
  connectIfDue(now: number): void {
    if (this.#state === 'idle' || (this.#state === 'backoff' && now >= this.#backoff.retryAt)) this.#connect()
  }

  /** Stops taking windows once the connection is older than `ttlMs`; reconnects when drained. */
  checkTtl(now: number): void {
    if (this.#settings.ttlMs <= 0 || this.#state !== 'ready' || now - this.#openedAt < this.#settings.ttlMs) return
    this.#state = 'draining'
    if (this.#inFlight.length === 0) this.#retire()
  }

  /**
   * Writes one window (the `2W` frame and its `2J`/`2C` frames) of `count` events; calls
   * `window.written` once the socket is done with its bytes. Calls `done` when the window is
   * acknowledged in full, or with the acknowledged prefix and the reason when the connection
   * fails first. Call only when `canSend()`.
   */
  send(window: EncodedWindow, count: number, full: boolean, done: WindowDone, solo = false): void {
    const socket = this.#socket!
    this.#inFlight.add(count, full, solo, done)
    if (solo) this.#solo.held = true
    this.#windowsSent++
    if (this.#ackTimer === undefined) this.#armAckTimer()
    const { frames, written } = window
    socket.cork()
    // the last write's callback runs once the whole corked write is done (or failed: destroyed)
    for (let i = 0; i < frames.length; i++) socket.write(frames[i]!, i === frames.length - 1 ? written : undefined)
    socket.uncork()
  }

  /** Closes for good: windows still in flight fail (the output is closing). */
  async close(): Promise<void> {
    const socket = this.#socket
    this.#failWindows({ message: `${this.label}: the output was closed before the window was acknowledged`, config: false })
    this.#state = 'closed'
    this.#socket = undefined
    clearTimeout(this.#ackTimer)
    clearTimeout(this.#retryTimer)
    if (socket) await endSocket(socket)
  }

  #connect(): void {
    const { address, tls, timeoutMs } = this.#settings
    this.#state = 'connecting'
    this.#reader = new AckReader()
    this.#windowsSent = 0
    this.#backoff.attempting()
    this.#bytesIn = 0
    const socket: Socket = openSocket(address, tls, timeoutMs, {
      connected: () => {
        if (this.#socket !== socket) return
        this.#state = 'ready'
        this.#openedAt = Date.now()
        this.opened++
        const wasDown = this.#backoff.connected()
        this.#settings.onChange()
        // last: the report may run an app's 'error' listener (in thread: 'main')
        if (wasDown) this.#settings.onHealthChange?.()
      },
      data: (chunk) => this.#onData(socket, chunk),
      failed: (err, serverClosed) => this.#fail(socket, err, serverClosed),
      closed: () => {
        if (this.#socket !== socket) return
        if (this.#inFlight.length > 0 || this.#state === 'connecting') {
          this.#fail(socket, new Error(closedMessage(this.#inFlight.unackedEvents, this.#bytesIn, tls !== undefined)), true)
        } else {
          // an idle connection closed by the server (Logstash drops idle clients): reconnect when needed
          this.#socket = undefined
          this.#state = this.#state === 'closed' ? 'closed' : 'idle'
          this.#settings.onChange()
        }
      },
    })
    this.#socket = socket
  }

  #onData(socket: Socket, chunk: Buffer): void {
    if (this.#socket !== socket) return
    this.#bytesIn += chunk.length
    try {
      this.#reader.push(chunk, (seq) => this.#onAck(socket, seq))
    } catch (err) {
      this.#fail(socket, err)
    }
  }

  #onAck(socket: Socket, seq: number): void {
    if (this.#socket !== socket || this.#inFlight.length === 0) return
    // any ACK, a keep-alive included, shows the node is alive and working on our window
    this.#armAckTimer()
    let settled: ReturnType<InFlightWindows['ack']>
    try {
      settled = this.#inFlight.ack(seq)
    } catch (err) {
      this.#fail(socket, err)
      return
    }
    if (!settled) return
    this.#backoff.acked()
    if (!settled.complete) return
    const { window } = settled
    this.#settings.tally.acks++
    if (window.solo) this.#solo.held = false
    this.window.acked(window.count, window.full)
    if (this.#inFlight.length === 0) {
      clearTimeout(this.#ackTimer)
      this.#ackTimer = undefined
      if (this.#state === 'draining' && this.#reserved === 0) this.#retire()
    }
    window.done({ acked: window.count })
    this.#settings.onChange()
  }

  #armAckTimer(): void {
    clearTimeout(this.#ackTimer)
    const socket = this.#socket
    this.#ackTimer = setTimeout(() => {
      this.#ackTimer = undefined
      if (socket && this.#inFlight.length > 0) {
        this.#settings.tally.downs++
        this.#fail(socket, new Error(`no ACK (not even a keep-alive) for timeoutMs (${this.#settings.timeoutMs} ms)`))
      }
    }, this.#settings.timeoutMs)
  }

  /** TTL reached and nothing in flight: close politely; the next window opens a fresh connection. */
  #retire(): void {
    const socket = this.#socket
    this.#socket = undefined
    this.#state = 'idle'
    if (socket) void endSocket(socket, true)
    this.#settings.onChange()
  }

  /** `serverClosed`: the server ended or reset the connection (not a timeout or a protocol error of ours). */
  #fail(socket: Socket, err: unknown, serverClosed = false): void {
    if (this.#socket !== socket || this.#state === 'closed') return
    const tally = this.#settings.tally
    if (this.#state === 'connecting') tally.downs++
    const refused = serverClosed && this.#state !== 'connecting' ? this.#inFlight.soloNotAcked() : undefined
    this.#socket = undefined
    this.#solo.held = false
    socket.destroy()
    clearTimeout(this.#ackTimer)
    this.#ackTimer = undefined
    const problem = explainConnectionError(err, this.label)
    // A window sent alone that the server closed on: when the caller holds the events to
    // blame, or the host acknowledged other windows since it last did this, the host works
    // and refuses those events (a Lumberjack server closes on an event it cannot decode):
    // reconnect at once, as after a connection that delivered something. Otherwise it is a
    // failure like any other (a host that closes on everything is not working).
    let excused = false
    if (refused) {
      this.#inFlight.takeAll()
      const poison = refused.done({ acked: refused.acked, error: problem, refusedBy: tally }) === true
      excused = poison || tally.acks > tally.acksAtLastRefusal
      tally.acksAtLastRefusal = tally.acks
      if (excused) this.#backoff.excuse()
    }
    // One that delivered nothing is a failure (see ReconnectBackoff): the window halves too,
    // as it may be too large to be acknowledged in time.
    if (this.#inFlight.length > 0 && !this.#backoff.delivered) this.window.failed()
    const { delayMs, wentDown } = this.#backoff.ended(problem)
    this.#state = 'backoff'
    clearTimeout(this.#retryTimer)
    // reconnect when the wait is over, with or without a batch waiting, so that a host that
    // comes back is seen up (and a batch waiting for this node is woken)
    this.#retryTimer = setTimeout(() => {
      if (this.#state === 'backoff') this.#connect()
      this.#settings.onChange()
    }, delayMs)
    this.#retryTimer.unref()
    this.#failWindows(problem, serverClosed)
    this.#settings.onChange()
    // last: the report may run an app's 'error' listener (in thread: 'main')
    if (wentDown) this.#settings.onHealthChange?.()
  }

  #failWindows(problem: ConnectionProblem, closedByServer = false): void {
    const windows = this.#inFlight.takeAll()
    this.#solo.held = false
    for (const w of windows) w.done({ acked: w.acked, error: problem, closedByServer })
  }
}
