// The plain-socket baseline's writer: the same Lumberjack v2 frames logship sends (2W + 2J
// frames, or 2W + one 2C frame of them), in windows of 2048 events like go-lumber's, written as
// fast as the socket takes them, WITHOUT waiting for any ACK.
import { once } from 'node:events'
import net from 'node:net'
import { deflate } from 'node:zlib'
import { promisify } from 'node:util'

const deflateAsync = promisify(deflate)
const WINDOW = 2048

function header(type, value) {
  const frame = Buffer.allocUnsafe(6)
  frame[0] = 0x32
  frame[1] = type
  frame.writeUInt32BE(value, 2)
  return frame
}

function jsonFrames(records) {
  let size = 0
  for (const r of records) size += 10 + r.length
  const out = Buffer.allocUnsafe(size)
  let at = 0
  records.forEach((r, i) => {
    out[at] = 0x32
    out[at + 1] = 0x4a
    out.writeUInt32BE(i + 1, at + 2)
    out.writeUInt32BE(r.length, at + 6)
    r.copy(out, at + 10)
    at += 10 + r.length
  })
  return out
}

/** A socket to the sink's Lumberjack port, connected, Nagle off, its ACKs read and ignored. */
export async function connectBaseline(port) {
  const socket = net.connect(port, '127.0.0.1')
  socket.setNoDelay(true)
  await once(socket, 'connect')
  socket.on('data', () => {})
  return socket
}

/** Writes events[0..n) (cycling) to a connected socket; `level` 0 = plain 2J frames, else a zlib level. */
export async function writeWindows(socket, events, n, level) {
  for (let from = 0; from < n; from += WINDOW) {
    const count = Math.min(WINDOW, n - from)
    const records = []
    for (let i = 0; i < count; i++) records.push(Buffer.from(JSON.stringify(events[(from + i) % events.length])))
    const json = jsonFrames(records)
    const frames = level === 0 ? [header(0x57, count), json] : [header(0x57, count), ...(await deflateAsync(json, { level }).then((z) => [header(0x43, z.length), z]))]
    let ok = true
    for (const f of frames) ok = socket.write(f)
    if (!ok) await once(socket, 'drain')
  }
}
