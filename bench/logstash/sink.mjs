// A counting Lumberjack sink for the benchmarks (its own process, so it does not share the
// client's CPU time). It acknowledges every window as soon as it is complete, like a Logstash
// whose queue has room, and counts events and payload bytes. Ports:
//   lumberjack  plain TCP, Lumberjack v2 (2W/2J/2C, ACK 2A per window)
//   tls         TLS, Lumberjack v2 or v1 (1W/1D/1C, ACK 1A every `window` frames) by first byte
//   lines       plain TCP, newline-delimited JSON (what winston-logstash sends), no ACKs
//   control     HTTP: GET /count -> {"events":n,"bytes":n,"badJson":n}, POST /reset
// Prints "PORTS {json}" on stdout when listening. argv[2]: optional JSON {"key","cert"} (PEM
// for the TLS port), "ackDelayMs" (hold every ACK this long: a slow node) and "closeAfterWindows"
// (a node that keeps dropping connections: on each connection, ACK N-1 windows and close the
// connection when the Nth is complete, without ACKing or counting it; whatever else arrives on
// that connection is not counted either, so `events` counts acknowledged events only).
import net from 'node:net'
import tls from 'node:tls'
import http from 'node:http'
import { inflateSync } from 'node:zlib'

const options = JSON.parse(process.argv[2] ?? '{}')
const count = { events: 0, bytes: 0, badJson: 0 }

/** Accumulates chunks and hands out whole frames without re-copying on every chunk. */
class Input {
  chunks = []
  length = 0
  push(chunk) {
    this.chunks.push(chunk)
    this.length += chunk.length
  }
  /** The first `n` bytes as one buffer (does not consume). */
  peek(n) {
    if (this.chunks[0].length < n) {
      const joined = Buffer.concat(this.chunks)
      this.chunks = [joined]
    }
    return this.chunks[0]
  }
  consume(n) {
    this.length -= n
    while (n > 0) {
      const first = this.chunks[0]
      if (first.length <= n) {
        this.chunks.shift()
        n -= first.length
      } else {
        this.chunks[0] = first.subarray(n)
        n = 0
      }
    }
  }
}

function ack(socket, version, seq) {
  const frame = Buffer.allocUnsafe(6)
  frame[0] = version
  frame[1] = 0x41
  frame.writeUInt32BE(seq, 2)
  // a slow node: every window waits the same time, so ACKs keep their order
  if (options.ackDelayMs > 0) setTimeout(() => socket.write(frame), options.ackDelayMs)
  else socket.write(frame)
}

/** Counts the data frames in `bytes` (the inside of a compressed frame); returns how many. */
function countInner(bytes) {
  let at = 0
  let n = 0
  while (at + 6 <= bytes.length) {
    const type = bytes[at + 1]
    if (type === 0x4a) {
      const len = bytes.readUInt32BE(at + 6)
      sample(bytes, at + 10, len)
      count.bytes += len
      at += 10 + len
    } else if (type === 0x44) {
      const frame = v1Data(bytes, at)
      count.bytes += frame.values
      at += frame.length
    } else {
      throw new Error(`unexpected frame 0x${type.toString(16)} inside a compressed frame`)
    }
    n++
  }
  return n
}

/** Checks one event in 1000 really is JSON (cheap insurance that the bytes are right). */
function sample(bytes, at, len) {
  if (count.events % 1000 !== 0) return
  try {
    JSON.parse(bytes.toString('utf8', at, at + len))
  } catch {
    count.badJson++
  }
}

/** Length of the v1 data frame at `at` and the bytes of its values; throws RangeError when incomplete. */
function v1Data(bytes, at) {
  const pairs = bytes.readUInt32BE(at + 6)
  let p = at + 10
  let values = 0
  for (let i = 0; i < pairs; i++) {
    p += 4 + bytes.readUInt32BE(p)
    const valueLength = bytes.readUInt32BE(p)
    values += valueLength
    p += 4 + valueLength
  }
  if (p > bytes.length) throw new RangeError('incomplete')
  return { length: p - at, values }
}

function serveLumberjack(socket) {
  // as Logstash (Netty) and go-lumber (Go) do: an ACK goes out at once, not held by Nagle until
  // the client's delayed ACK (up to 40 ms on Linux for the last window)
  socket.setNoDelay(true)
  const input = new Input()
  let windowSize = 0
  let received = 0
  let version = 0x32
  let windows = 0
  let dropped = false
  socket.on('error', () => {})
  socket.on('data', (chunk) => {
    if (dropped) return
    input.push(chunk)
    while (input.length >= 6) {
      const head = input.peek(6)
      version = head[0]
      const type = head[1]
      const value = head.readUInt32BE(2)
      let frameLength
      let events = 0
      if (type === 0x57) {
        windowSize = value
        if (version === 0x32) received = 0
        frameLength = 6
      } else if (type === 0x4a) {
        if (input.length < 10) return
        const len = input.peek(10).readUInt32BE(6)
        frameLength = 10 + len
        if (input.length < frameLength) return
        const bytes = input.peek(frameLength)
        sample(bytes, 10, len)
        count.bytes += len
        events = 1
      } else if (type === 0x43) {
        frameLength = 6 + value
        if (input.length < frameLength) return
        events = countInner(inflateSync(input.peek(frameLength).subarray(6, frameLength)))
      } else if (type === 0x44) {
        // v1 data frame: its length is only known by walking the pairs
        let frame
        try {
          frame = v1Data(input.peek(input.length), 0)
        } catch {
          return // incomplete
        }
        frameLength = frame.length
        count.bytes += frame.values
        events = 1
      } else {
        socket.destroy()
        return
      }
      input.consume(frameLength)
      if (events > 0) {
        count.events += events
        received += events
        if (version === 0x32 && received === windowSize && options.closeAfterWindows > 0 && ++windows % options.closeAfterWindows === 0) {
          count.events -= received
          count.droppedWindows = (count.droppedWindows ?? 0) + 1
          dropped = true
          socket.end()
          return
        }
        if (version === 0x32 && received === windowSize) ack(socket, version, windowSize)
        // v1 (lumberjack-protocol): one window for the whole connection, sequence numbers keep growing
        if (version === 0x31 && received % windowSize === 0) ack(socket, version, received)
      }
    }
  })
}

function serveLines(socket) {
  socket.on('error', () => {})
  socket.on('data', (chunk) => {
    count.bytes += chunk.length
    let at = chunk.indexOf(10)
    while (at !== -1) {
      count.events++
      at = chunk.indexOf(10, at + 1)
    }
  })
}

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)))

const ports = {
  lumberjack: await listen(net.createServer(serveLumberjack)),
  lines: await listen(net.createServer(serveLines)),
  control: await listen(
    http.createServer((req, res) => {
      if (req.method === 'POST' && req.url === '/reset') Object.assign(count, { events: 0, bytes: 0, badJson: 0 })
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(count))
    }),
  ),
}
if (options.key) ports.tls = await listen(tls.createServer({ key: options.key, cert: options.cert }, serveLumberjack))
process.stdout.write(`PORTS ${JSON.stringify(ports)}\n`)
