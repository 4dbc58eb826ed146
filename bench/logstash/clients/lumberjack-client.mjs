// npm lumberjack-client (v2, compressed): one window per log() call, does not read ACKs.
import { N, events, sinks, waitForSinks, start, report, requirePeer } from '../common.mjs'

const LumberjackClient = requirePeer('lumberjack-client')
const started = start()
const client = new LumberjackClient({ host: '127.0.0.1', port: sinks[0].ports.lumberjack })
// log() before the connection is up would queue everything into one giant window
while (!client.connected) await new Promise((r) => setTimeout(r, 5))
for (let i = 0; i < N; i++) client.log(events[i % events.length])
const counts = await waitForSinks(N)
report(started, counts)
client.socket.destroy()
process.exit(0)
