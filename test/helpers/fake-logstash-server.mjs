// A Lumberjack v2 server (what Logstash's beats input speaks) for tests, written from the
// protocol description, not from logship's client code, so that it can catch the client's
// mistakes. Plain TCP or TLS, plain (2J) and compressed (2C) frames. It records every event
// and can misbehave on request (see `mode`). Runs in the test process, or as a child process
// driven over IPC (`node fake-logstash-server.mjs '<json options>'`) for tests whose own
// thread blocks.
import net from 'node:net'
import tls from 'node:tls'
import { inflateSync } from 'node:zlib'

/**
 * @typedef {object} Mode
 * @property {number} [ackDelayMs]      wait this long before acknowledging each window (windows are
 *                                       processed one after another per connection, like Logstash)
 * @property {number} [ackInParts]      acknowledge each window in this many partial ACKs
 * @property {number} [keepAliveMs]     while a window waits for its ACK, repeat the last ACK
 *                                       (0 before the first) every this many ms
 * @property {boolean} [stopAcking]     never acknowledge (keep-alives still go out if keepAliveMs)
 * @property {{ afterEvents: number, ackFirst?: number, times?: number }} [closeMidWindow]
 *                                       after `afterEvents` events of a window, ACK `ackFirst` of them
 *                                       (optional) and close the socket; `times` connections (default 1)
 * @property {number} [closeAfterWindows] drop every Nth window: on each connection, acknowledge N-1
 *                                       windows, then close the connection when the Nth is complete,
 *                                       without acknowledging it (the way a node that keeps failing
 *                                       mid-stream looks to the client)
 * @property {boolean} [refuse]         stop listening: connections are refused until set back to false
 * @property {string} [closeOnEventContaining] an event whose JSON text contains this string cannot be
 *                                       decoded: the connection is closed without acknowledging its
 *                                       window, the way Elastic's go-lumber server closes on an event it
 *                                       cannot decode (the event itself is not recorded)
 * @property {{ afterWindows: number, downMs: number }} [restartEvery] crash and restart: after every
 *                                       `afterWindows` complete windows (counted over all connections),
 *                                       cut every connection without acknowledging, refuse connections
 *                                       for `downMs`, then listen again (a Logstash in a restart loop)
 */

const MAX_WINDOW = 10_000

export async function startFakeLogstash({ port = 0, tls: tlsOptions, mode = {} } = {}) {
  const state = {
    events: [],
    connections: 0,
    openConnections: 0,
    windows: [],
    compressedFrames: 0,
    jsonFrames: 0,
    protocolErrors: [],
    acksSent: 0,
    maxOutstanding: 0,
    outstanding: 0,
    closedMidWindow: 0,
    /** Windows dropped by closeAfterWindows. */
    droppedWindows: 0,
    /** Events the server had received but not acknowledged when a connection closed: the most duplicates a client may cause. */
    receivedUnacked: 0,
    tlsErrors: [],
    /** Connections closed by closeOnEventContaining. */
    poisonCloses: 0,
    /** Restarts done by restartEvery. */
    restarts: 0,
  }
  let current = { ...mode }
  const sockets = new Set()

  const onConnection = (socket) => {
    state.connections++
    state.openConnections++
    sockets.add(socket)
    socket.on('close', () => {
      state.openConnections--
      sockets.delete(socket)
    })
    socket.on('error', () => {})
    serve(socket, state, () => current, onWindowComplete)
  }

  const server = tlsOptions
    ? tls.createServer(
        {
          key: tlsOptions.key,
          cert: tlsOptions.cert,
          ...(tlsOptions.ca ? { ca: tlsOptions.ca } : {}),
          requestCert: Boolean(tlsOptions.requireClientCert),
          rejectUnauthorized: Boolean(tlsOptions.requireClientCert),
        },
        onConnection,
      )
    : net.createServer(onConnection)
  server.on('tlsClientError', (err) => state.tlsErrors.push(err.message))

  const listen = (p) =>
    new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject)
        resolve(server.address().port)
      })
    })
  const stopListening = () => new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))

  const boundPort = await listen(port)
  let killed = false
  let restarting = false
  let windowsSinceRestart = 0

  /** restartEvery: cut everything, refuse for downMs, listen again. */
  const onWindowComplete = () => {
    const every = current.restartEvery
    if (!every || restarting || killed) return
    if (++windowsSinceRestart < every.afterWindows) return
    windowsSinceRestart = 0
    restarting = true
    state.restarts++
    for (const s of sockets) s.destroy()
    void stopListening()
      .then(() => new Promise((r) => setTimeout(r, every.downMs)))
      .then(() => (killed || current.refuse ? undefined : listen(boundPort)))
      .catch(() => {})
      .finally(() => {
        restarting = false
      })
  }

  return {
    port: boundPort,
    address: `127.0.0.1:${boundPort}`,
    state,
    async setMode(next) {
      const wasRefusing = Boolean(current.refuse)
      current = { ...current, ...next }
      if (current.refuse && !wasRefusing) await stopListening()
      if (!current.refuse && wasRefusing && !killed) await listen(boundPort)
    },
    /** Like a node dying: every connection is cut and nothing listens any more. */
    async kill() {
      killed = true
      for (const s of sockets) s.destroy()
      await stopListening()
    },
    async close() {
      killed = true
      for (const s of sockets) s.destroy()
      await stopListening()
    },
  }
}

function serve(socket, state, mode, onWindowComplete) {
  let buffer = Buffer.alloc(0)
  /** The window being received: its size and the events so far. */
  let window = null
  /** Complete windows waiting for their ACK, in order. */
  const toAck = []
  let acking = false
  let closed = false
  /** Complete windows on this connection, for closeAfterWindows. */
  let windowsDone = 0
  socket.on('close', () => {
    closed = true
    const unacked = toAck.reduce((n, w) => n + w.size - w.acked, 0) + (window ? window.received : 0)
    state.outstanding -= unacked
    state.receivedUnacked += unacked
  })

  const protocolError = (message) => {
    state.protocolErrors.push(message)
    closed = true
    socket.destroy()
  }

  const send = (seq) => {
    if (closed) return
    const frame = Buffer.alloc(6)
    frame.write('2A', 0, 'latin1')
    frame.writeUInt32BE(seq, 2)
    socket.write(frame)
    state.acksSent++
  }

  const onEvent = (seq, payload) => {
    if (!window) return protocolError(`data frame before a window frame`)
    if (seq !== window.received + 1) return protocolError(`sequence ${seq} where ${window.received + 1} was expected`)
    if (payload.length === 0) return protocolError('empty data frame')
    const raw = payload.toString('utf8')
    let event
    try {
      event = JSON.parse(raw)
    } catch {
      return protocolError(`data frame is not JSON: ${raw.slice(0, 80)}`)
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return protocolError('data frame is not a JSON object')
    const poison = mode().closeOnEventContaining
    if (poison && raw.includes(poison)) {
      // go-lumber: a decode error ends the connection; the window is never acknowledged
      state.poisonCloses++
      closed = true
      socket.destroy()
      return
    }
    state.events.push({ event, raw })
    state.outstanding++
    state.maxOutstanding = Math.max(state.maxOutstanding, state.outstanding)
    window.received++
    const close = mode().closeMidWindow
    if (close && window.received === close.afterEvents && state.closedMidWindow < (close.times ?? 1)) {
      state.closedMidWindow++
      if (close.ackFirst) {
        // the ACK must reach the client before the connection goes: end() flushes it first
        send(close.ackFirst)
        state.outstanding -= close.ackFirst
        window.received -= close.ackFirst
        closed = true
        socket.end()
      } else {
        closed = true
        socket.destroy()
      }
      return
    }
    if (window.received === window.size) {
      toAck.push({ size: window.size, acked: 0 })
      window = null
      windowsDone++
      const every = mode().closeAfterWindows
      // the ACK loop closes the connection when it reaches this window, after ACKing the ones before
      if (every > 0 && windowsDone % every === 0) toAck.at(-1).drop = true
      void ackLoop()
      onWindowComplete()
    }
  }

  /** Parses the frames in `bytes` from `at`; returns where the first incomplete frame starts. */
  const parse = (bytes, at, nested) => {
    while (!closed && bytes.length - at >= 6) {
      const version = bytes[at]
      const type = String.fromCharCode(bytes[at + 1])
      if (version !== 0x32) {
        protocolError(`version byte 0x${version.toString(16)}`)
        return bytes.length
      }
      const value = bytes.readUInt32BE(at + 2)
      if (type === 'W') {
        if (nested) return (protocolError('window frame inside a compressed frame'), bytes.length)
        if (window) return (protocolError(`window frame after ${window.received} of ${window.size} events`), bytes.length)
        if (value === 0 || value > MAX_WINDOW) return (protocolError(`window of ${value} events`), bytes.length)
        window = { size: value, received: 0 }
        state.windows.push(value)
        at += 6
      } else if (type === 'J') {
        if (bytes.length - at < 10) break
        const length = bytes.readUInt32BE(at + 6)
        if (bytes.length - at < 10 + length) break
        state.jsonFrames++
        onEvent(value, bytes.subarray(at + 10, at + 10 + length))
        at += 10 + length
      } else if (type === 'C') {
        if (bytes.length - at < 6 + value) break
        state.compressedFrames++
        let inflated
        try {
          inflated = inflateSync(bytes.subarray(at + 6, at + 6 + value))
        } catch (err) {
          return (protocolError(`compressed frame is not a zlib stream: ${err.message}`), bytes.length)
        }
        const end = parse(inflated, 0, true)
        if (end !== inflated.length && !closed) return (protocolError('compressed frame ends inside a frame'), bytes.length)
        at += 6 + value
      } else {
        return (protocolError(`frame type ${JSON.stringify(type)}`), bytes.length)
      }
    }
    return at
  }

  socket.on('data', (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk])
    const at = parse(buffer, 0, false)
    buffer = buffer.subarray(at)
  })

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

  const ackLoop = async () => {
    if (acking) return
    acking = true
    while (toAck.length > 0 && !closed) {
      const w = toAck[0]
      if (w.drop) {
        state.droppedWindows++
        closed = true
        socket.end() // after the ACKs already written
        break
      }
      let keepAlive
      if (mode().keepAliveMs > 0) keepAlive = setInterval(() => send(w.acked), mode().keepAliveMs)
      while (mode().stopAcking && !closed) await sleep(20)
      const parts = Math.max(1, Math.min(mode().ackInParts ?? 1, w.size))
      const delay = (mode().ackDelayMs ?? 0) / parts
      for (let p = 1; p <= parts && !closed; p++) {
        if (delay > 0) await sleep(delay)
        const seq = p === parts ? w.size : Math.floor((w.size * p) / parts)
        if (seq <= w.acked) continue
        state.outstanding -= seq - w.acked
        w.acked = seq
        send(seq)
      }
      clearInterval(keepAlive)
      if (w.acked === w.size) toAck.shift()
    }
    acking = false
  }
}

// As a child process: options as JSON in argv[2]; prints "PORT n"; answers IPC requests.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const options = JSON.parse(process.argv[2] ?? '{}')
  const server = await startFakeLogstash(options)
  process.on('message', async (message) => {
    if (message.cmd === 'state') process.send({ id: message.id, state: server.state })
    else if (message.cmd === 'mode') {
      await server.setMode(message.mode)
      process.send({ id: message.id })
    } else if (message.cmd === 'kill') {
      await server.kill()
      process.send({ id: message.id })
    }
  })
  process.stdout.write(`PORT ${server.port}\n`)
}
