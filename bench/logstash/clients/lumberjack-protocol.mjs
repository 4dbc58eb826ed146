// npm lumberjack-protocol (Lumberjack v1 over TLS, string values only), paced by its ACKs
// so that it does not drop (it drops once 10 windows are unacknowledged).
import { readFileSync } from 'node:fs'
import { once } from 'node:events'
import { N, events, sinks, waitForSinks, start, report, requirePeer } from '../common.mjs'

const lumberjack = requirePeer('lumberjack-protocol')
const windowSize = 1000
const started = start()
const client = lumberjack.client({ host: '127.0.0.1', port: sinks[0].ports.tls, ca: [readFileSync(process.env.TLS_CA, 'utf8')] }, { windowSize, maxQueueSize: 1_000_000 })
let dropped = 0
client.on('dropped', (n) => (dropped += n))
await once(client, 'connect')
const socket = client._socket
for (let i = 0; i < N; i++) {
  while (socket.getLastSequenceNumber() - socket.lastAck >= windowSize * 10 - 1) await once(socket, 'ack')
  client.writeDataFrame(events[i % events.length])
}
const counts = await waitForSinks(N - dropped)
report(started, counts, { dropped, note: 'v1: nested objects become "[object Object]"' })
client.close()
process.exit(0)
