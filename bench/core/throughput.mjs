// End to end: write() -> worker -> http output -> local NDJSON sink (another process).
// Prints one JSON line: events/s, MB/s, CPU seconds and peak RSS of this process (all threads).
import { createShipper } from 'logship'
import { sampleEvent, usage } from '../lib/run.mjs'

const N = Number(process.env.N ?? 1_000_000)
const url = process.env.SINK_URL
const compression = process.env.COMPRESSION ?? 'none'
const events = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))
const bytes = events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / events.length

const cpu0 = process.cpuUsage()
const start = performance.now()
const shipper = createShipper({
  output: { type: 'http', url, compression, maxInFlight: 2 },
  queue: { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 },
  batch: { maxEvents: 8192, maxBytes: '4mb', flushMs: 200 },
  handleExit: false,
})
for (let i = 0; i < N; i++) shipper.write(events[i % 10_000])
await shipper.flush()
const seconds = (performance.now() - start) / 1000
const s = shipper.stats()
await shipper.close()
console.log(
  JSON.stringify({
    events: N,
    acked: s.acked,
    dropped: s.dropped,
    seconds: +seconds.toFixed(2),
    eventsPerSec: Math.round(N / seconds),
    MBPerSec: +((N * bytes) / seconds / 1e6).toFixed(1),
    avgEventBytes: Math.round(bytes),
    compression,
    ...usage(cpu0),
  }),
)
