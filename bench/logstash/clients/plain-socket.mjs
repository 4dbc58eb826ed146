// The baseline: the same Lumberjack v2 frames logship sends, written to one plain net.Socket as
// fast as it takes them, WITHOUT waiting for any ACK (they are read and ignored; see
// ../plain-frames.mjs). Done when the sink has counted every event. No protocol client can beat
// this by more than what it overlaps (logship encodes on a worker thread while the app serializes).
//   COMPRESSION=0..9 (zlib level; 0 = plain 2J frames)
import { N, events, sinks, start, report, waitForSinks } from '../common.mjs'
import { connectBaseline, writeWindows } from '../plain-frames.mjs'

const started = start()
const socket = await connectBaseline(sinks[0].ports.lumberjack)
await writeWindows(socket, events, N, Number(process.env.COMPRESSION ?? 0))
const counts = await waitForSinks(N)
report(started, counts)
socket.destroy()
