// logship's otlp output: N events through createShipper; prints one JSON line.
// LOGSHIP=<an older build's dist/index.js> runs that build instead (see BASELINE in run.mjs).
import { pathToFileURL } from 'node:url'
import { sampleEvent, usage } from '../../lib/run.mjs'

const { createShipper } = await import(process.env.LOGSHIP ? pathToFileURL(process.env.LOGSHIP).href : '../../../dist/index.js')

const N = Number(process.env.N)
const endpoint = process.env.ENDPOINT
const stall = process.env.STALL === '1'
const events = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))
const shipper = createShipper({
  output: { type: 'otlp', endpoint, encoding: process.env.ENCODING ?? 'protobuf' },
  handleExit: false,
  closeTimeoutMs: stall ? 1000 : 60_000,
  queue: { whenFull: stall ? 'drop-newest' : 'block' },
})
shipper.on('error', () => {})
const cpu = process.cpuUsage()
const start = performance.now()
for (let i = 0; i < N; i++) {
  if (!shipper.write(events[i % events.length])) await new Promise((r) => setImmediate(r))
}
if (!stall) await shipper.flush()
const seconds = (performance.now() - start) / 1000
await shipper.close()
const s = shipper.stats()
console.log(JSON.stringify({ events: N, seconds, acked: s.acked, dropped: s.dropped, ...usage(cpu) }))
