import { connect as connectTcp, isIP, type Socket } from 'node:net'
import { connect as connectTls, type ConnectionOptions } from 'node:tls'
import { AckReader } from './ack-reader.js'
import { SlowStartWindow } from './window.js'
import { explainConnectionError, type ConnectionProblem } from './connect-errors.js'
import type { HostAddress } from './options.js'
import { backoffDelay } from '../../util/backoff.js'
import type { HostTally } from './host-tally.js'
import type { EncodedWindow } from './encode-window.js'

export interface ConnectionSettings {
  readonly address: HostAddress
  /** Node TLS options when the beats input speaks TLS. */
  readonly tls: ConnectionOptions | undefined
  readonly timeoutMs: number
  readonly ttlMs: number
  /** Windows on the wire before the oldest is acknowledged (at least 1). */
  readonly pipelining: number
  readonly bulkMaxSize: number
  readonly backoff: { readonly initialDelayMs: number; readonly maxDelayMs: number }
  /** Shared by the connections to the same host. */
  readonly tally: HostTally
  /** Called whenever the connection may have become usable or unusable (the balancer re-checks). */
  readonly onChange: () => void
  /** Called when the connection goes down (failed without delivering anything) or connects again. */
  readonly onHealthChange?: () => void
}

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

export type ConnectionState =
  /** Not connected; connects when asked. */
  | 'idle'
  | 'connecting'
  | 'ready'
  /** Past its TTL: takes no new windows, reconnects once its windows are acknowledged. */
  | 'draining'
  /** Failed; may reconnect from `retryAt` on. */
  | 'backoff'
  | 'closed'

interface InFlightWindow {
  readonly count: number
  /** It had the whole window size when sent (a tail window says nothing about the size). */
  readonly full: boolean
  /** Sent alone, as the first window of its connection (see sendSolo). */
  readonly solo: boolean
  acked: number
  readonly done: WindowDone
}

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
  #inFlight: InFlightWindow[] = []
  #unacked = 0
  /** Windows being encoded for this connection (pipeline slots taken before they are written). */
  #reserved = 0
  #reservedEvents = 0
  /** Windows written on the current socket. */
  #windowsSent = 0
  /** A window sent alone is in flight or being encoded: no other window may join it. */
  #soloHeld = false
  /** Batches waiting to send a window alone on a fresh connection: no new windows meanwhile. */
  #soloWanted = 0
  #openedAt = 0
  /** Connection attempts in a row that delivered nothing (the backoff grows with them). */
  #failures = 0
  /** The last connection failed without delivering anything and none has connected since. */
  #down = false
  /** Some ACK advanced a window on the current connection. */
  #progressed = false
  /** Bytes the server sent on the current connection (0: not even one ACK). */
  #bytesIn = 0
  #retryAt = 0
  #lastProblem: ConnectionProblem | undefined
  #ackTimer: NodeJS.Timeout | undefined
  #retryTimer: NodeJS.Timeout | undefined
  /** Connections opened so far (for stats and tests of TTL). */
  opened = 0

  constructor(settings: ConnectionSettings) {
    this.#settings = settings
    this.label = hostLabel(settings.address)
    this.window = new SlowStartWindow(settings.bulkMaxSize)
  }

  get state(): ConnectionState {
    return this.#state
  }

  /** Events written and not acknowledged yet: the load measure the balancer compares. */
  get unackedEvents(): number {
    return this.#unacked
  }

  get windowsInFlight(): number {
    return this.#inFlight.length
  }

  /** Events written and not acknowledged, plus those being encoded for it: what the balancer compares. */
  get load(): number {
    return this.#unacked + this.#reservedEvents
  }

  get retryAt(): number {
    return this.#retryAt
  }

  get lastProblem(): ConnectionProblem | undefined {
    return this.#lastProblem
  }

  /** Down: the last connection (or attempt) failed without delivering anything, and none has connected since. */
  get down(): boolean {
    return this.#down
  }

  /** Connection attempts in a row that delivered nothing. */
  get failures(): number {
    return this.#failures
  }

  get tally(): HostTally {
    return this.#settings.tally
  }

  /** Ready and below its pipelining limit (and not kept for a window sent alone). */
  canSend(): boolean {
    return this.#state === 'ready' && !this.#soloHeld && this.#soloWanted === 0 && this.#inFlight.length + this.#reserved < this.#settings.pipelining
  }

  /** Ready, fresh (no window written on this connection yet) and idle: a window sent now is alone. */
  canSendSolo(): boolean {
    return this.#state === 'ready' && !this.#soloHeld && this.#windowsSent === 0 && this.#inFlight.length === 0 && this.#reserved === 0
  }

  /** Keeps this fresh connection for one window sent alone (release it with `release(n, true)` or `send`). */
  holdSolo(): void {
    this.#soloHeld = true
  }

  /**
   * While a batch wants a fresh connection here: once this one has carried a window (and no
   * window sent alone is pending on it), stop taking windows and reconnect when drained.
   * Returns true when it changed anything.
   */
  renewForSolo(): boolean {
    if (this.#soloWanted === 0 || this.#state !== 'ready' || this.#windowsSent === 0 || this.#soloHeld) return false
    this.#state = 'draining'
    if (this.#inFlight.length === 0 && this.#reserved === 0) this.#retire()
    return true
  }

  /** Gives back a connection held with `holdSolo` without sending on it. */
  unholdSolo(): void {
    this.#soloHeld = false
    this.#settings.onChange()
  }

  /**
   * A batch wants to send a window alone on a fresh connection: this one takes no new windows,
   * and once its windows are acknowledged it reconnects (unless it is fresh already). Returns
   * the function that withdraws the wish (call it once, whatever happens).
   */
  wantSolo(): () => void {
    this.#soloWanted++
    this.renewForSolo()
    let withdrawn = false
    return () => {
      if (withdrawn) return
      withdrawn = true
      this.#soloWanted--
      if (this.#soloWanted === 0) this.#settings.onChange()
    }
  }

  /**
   * Takes a pipeline slot for a window of `count` events while it is encoded (compressed),
   * so that other batches do not encode windows for a connection that will be full by then.
   * Give it back with `release` before `send`, whatever happens.
   */
  reserve(count: number, solo = false): void {
    this.#reserved++
    this.#reservedEvents += count
    if (solo) this.#soloHeld = true
  }

  release(count: number, solo = false): void {
    this.#reserved--
    this.#reservedEvents -= count
    if (solo) this.#soloHeld = false
    if (this.#state === 'draining' && this.#reserved === 0 && this.#inFlight.length === 0) this.#retire()
  }

  /** Starts connecting when idle, or when in backoff and the wait is over. */
  connectIfDue(now: number): void {
    if (this.#state === 'idle' || (this.#state === 'backoff' && now >= this.#retryAt)) this.#connect()
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
    this.#inFlight.push({ count, full, solo, acked: 0, done })
    if (solo) this.#soloHeld = true
    this.#windowsSent++
    this.#unacked += count
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
    if (!socket || socket.destroyed) return
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 1000)
      socket.once('close', () => {
        clearTimeout(timer)
        resolve()
      })
      socket.end()
    })
  }

  #connect(): void {
    const { address, tls, timeoutMs } = this.#settings
    this.#state = 'connecting'
    this.#reader = new AckReader()
    this.#windowsSent = 0
    this.#progressed = false
    this.#bytesIn = 0
    const options = { host: address.host, port: address.port }
    // net/tls resolve the host name on every connect: a new node behind a DNS name gets traffic
    const socket = tls ? connectTls({ ...tls, ...options, ...(tls.servername === undefined && isIP(address.host) === 0 ? { servername: address.host } : {}) }) : connectTcp(options)
    this.#socket = socket
    socket.setNoDelay(true)
    const connectTimer = setTimeout(() => this.#fail(socket, new Error(`no connection within timeoutMs (${timeoutMs} ms)`)), timeoutMs)
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(connectTimer)
      if (this.#socket !== socket) return
      this.#state = 'ready'
      this.#openedAt = Date.now()
      this.opened++
      const wasDown = this.#down
      this.#down = false
      this.#settings.onChange()
      // last: the report may run an app's 'error' listener (in thread: 'main')
      if (wasDown) this.#settings.onHealthChange?.()
    })
    socket.on('data', (chunk: Buffer) => this.#onData(socket, chunk))
    socket.on('error', (err) => {
      clearTimeout(connectTimer)
      const code = (err as { code?: unknown }).code
      this.#fail(socket, err, code === 'ECONNRESET' || code === 'EPIPE')
    })
    socket.on('close', () => {
      clearTimeout(connectTimer)
      if (this.#socket !== socket) return
      if (this.#inFlight.length > 0 || this.#state === 'connecting') {
        this.#fail(socket, new Error(closedMessage(this.#unacked, this.#bytesIn, this.#settings.tls !== undefined)), true)
      } else {
        // an idle connection closed by the server (Logstash drops idle clients): reconnect when needed
        this.#socket = undefined
        this.#state = this.#state === 'closed' ? 'closed' : 'idle'
        this.#settings.onChange()
      }
    })
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
    if (this.#socket !== socket) return
    const head = this.#inFlight[0]
    if (!head) return
    // any ACK, a keep-alive included, shows the node is alive and working on our window
    this.#armAckTimer()
    if (seq <= head.acked) return
    if (seq > head.count) {
      this.#fail(socket, new Error(`protocol error: ACK for sequence ${seq} but the window has ${head.count} events`))
      return
    }
    this.#unacked -= seq - head.acked
    head.acked = seq
    this.#progressed = true
    this.#failures = 0
    if (seq < head.count) return
    this.#inFlight.shift()
    this.#settings.tally.acks++
    if (head.solo) this.#soloHeld = false
    this.window.acked(head.count, head.full)
    if (this.#inFlight.length === 0) {
      clearTimeout(this.#ackTimer)
      this.#ackTimer = undefined
      if (this.#state === 'draining' && this.#reserved === 0) this.#retire()
    }
    head.done({ acked: head.count })
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
    socket?.end()
    setTimeout(() => socket?.destroy(), 1000).unref()
    this.#settings.onChange()
  }

  /** `serverClosed`: the server ended or reset the connection (not a timeout or a protocol error of ours). */
  #fail(socket: Socket, err: unknown, serverClosed = false): void {
    if (this.#socket !== socket || this.#state === 'closed') return
    const tally = this.#settings.tally
    if (this.#state === 'connecting') tally.downs++
    const only = this.#inFlight.length === 1 ? this.#inFlight[0]! : undefined
    const refused = serverClosed && this.#state !== 'connecting' && only !== undefined && only.solo && only.acked < only.count
    this.#socket = undefined
    this.#soloHeld = false
    socket.destroy()
    clearTimeout(this.#ackTimer)
    this.#ackTimer = undefined
    const problem = explainConnectionError(err, this.label)
    this.#lastProblem = problem
    // A window sent alone that the server closed on: when the caller holds the events to
    // blame, or the host acknowledged other windows since it last did this, the host works
    // and refuses those events (a Lumberjack server closes on an event it cannot decode):
    // reconnect at once, as after a connection that delivered something. Otherwise it is a
    // failure like any other (a host that closes on everything is not working).
    let excused = false
    if (refused) {
      this.#inFlight = []
      this.#unacked = 0
      const poison = only.done({ acked: only.acked, error: problem, refusedBy: tally }) === true
      excused = poison || tally.acks > tally.acksAtLastRefusal
      tally.acksAtLastRefusal = tally.acks
      if (excused) this.#progressed = true
    }
    // A connection that delivered anything before it dropped did not fail: reconnect at once
    // with the same window size (a node that drops the connection every few windows stays
    // useful, and windows of this size just worked). One that delivered nothing counts as a
    // failure: the window halves (it may be too large to be acknowledged in time), the host
    // is down, and the wait before reconnecting doubles each time.
    if (this.#inFlight.length > 0 && !this.#progressed) this.window.failed()
    let delay = 0
    if (!this.#progressed) {
      this.#failures++
      const { initialDelayMs, maxDelayMs } = this.#settings.backoff
      delay = backoffDelay(this.#failures, initialDelayMs, maxDelayMs)
    }
    this.#retryAt = Date.now() + delay
    this.#state = 'backoff'
    clearTimeout(this.#retryTimer)
    // reconnect when the wait is over, with or without a batch waiting, so that a host that
    // comes back is seen up (and a batch waiting for this node is woken)
    this.#retryTimer = setTimeout(() => {
      if (this.#state === 'backoff') this.#connect()
      this.#settings.onChange()
    }, delay)
    this.#retryTimer.unref()
    this.#failWindows(problem, serverClosed)
    const wentDown = !this.#progressed && !this.#down
    if (wentDown) this.#down = true
    this.#settings.onChange()
    // last: the report may run an app's 'error' listener (in thread: 'main')
    if (wentDown) this.#settings.onHealthChange?.()
  }

  #failWindows(problem: ConnectionProblem, closedByServer = false): void {
    const windows = this.#inFlight
    this.#inFlight = []
    this.#unacked = 0
    this.#soloHeld = false
    for (const w of windows) w.done({ acked: w.acked, error: problem, closedByServer })
  }
}

/** `host:port`, IPv6 in brackets. */
export function hostLabel({ host, port }: HostAddress): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`
}

/**
 * Why a connection with windows in flight was closed by the server. A server that closes
 * before sending a single byte is often a TLS beats input hearing plain TCP (it cannot
 * answer in Lumberjack, and TLS servers close without a word on a non-TLS first record).
 */
function closedMessage(unacked: number, bytesIn: number, usingTls: boolean): string {
  const base = `the server closed the connection with ${unacked} events unacknowledged`
  if (bytesIn > 0 || usingTls) return base
  return `${base}, before sending a single byte: if this beats input has ssl enabled (ssl_enabled => true), set the tls option (e.g. tls: { ca: '/path/to/ca.pem' })`
}
