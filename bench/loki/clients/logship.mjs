// logship's loki output: N events through createShipper; prints one JSON line.
import { sampleEvent, usage } from '../../lib/run.mjs'

// LOGSHIP: another build's dist/index.js (bench/loki/run.mjs's BASELINE row)
const { createShipper } = await import(process.env.LOGSHIP ?? '../../../dist/index.js')

const N = Number(process.env.N)
const events = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))
const shipper = createShipper({
  output: { type: 'loki', url: process.env.URL, encoding: process.env.ENCODING ?? 'protobuf', labels: { app: 'bench', level: '{level}' } },
  handleExit: false,
  queue: { whenFull: 'block' },
})
shipper.on('error', () => {})
const cpu = process.cpuUsage()
const start = performance.now()
for (let i = 0; i < N; i++) {
  if (!shipper.write(events[i % events.length])) await new Promise((r) => setImmediate(r))
}
await shipper.flush()
const seconds = (performance.now() - start) / 1000
await shipper.close()
const s = shipper.stats()
console.log(JSON.stringify({ events: N, seconds, acked: s.acked, dropped: s.dropped, ...usage(cpu) }))
