// The baseline: the same Lumberjack v2 frames logship sends (2W + 2J frames, or 2W + one 2C
// frame of them), written to one plain net.Socket as fast as it takes them, WITHOUT waiting
// for any ACK (they are read and ignored). Windows of 2048 events, like go-lumber's fixed
// windows. Done when the sink has counted every event. No protocol client can beat this by
// more than what it overlaps (logship encodes on a worker thread while the app serializes).
//   COMPRESSION=0..9 (zlib level; 0 = plain 2J frames)
import net from 'node:net'
import { once } from 'node:events'
import { deflate } from 'node:zlib'
import { promisify } from 'node:util'
import { N, events, sinks, start, report, waitForSinks } from '../common.mjs'

const deflateAsync = promisify(deflate)
const level = Number(process.env.COMPRESSION ?? 0)
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

const started = start()
const socket = net.connect(sinks[0].ports.lumberjack, '127.0.0.1')
socket.setNoDelay(true)
await once(socket, 'connect')
socket.on('data', () => {}) // ACKs: read and ignored
for (let from = 0; from < N; from += WINDOW) {
  const count = Math.min(WINDOW, N - from)
  const records = []
  for (let i = 0; i < count; i++) records.push(Buffer.from(JSON.stringify(events[(from + i) % events.length])))
  const json = jsonFrames(records)
  const frames = level === 0 ? [header(0x57, count), json] : [header(0x57, count), ...(await deflateAsync(json, { level }).then((z) => [header(0x43, z.length), z]))]
  let ok = true
  for (const f of frames) ok = socket.write(f)
  if (!ok) await once(socket, 'drain')
}
const counts = await waitForSinks(N)
report(started, counts)
socket.destroy()
