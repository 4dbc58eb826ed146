// App-thread cost of shipper.write(obj) vs JSON.stringify(obj) + fs.writeSync to /dev/null,
// for the same objects, in the same process. Prints one JSON line.
import fs from 'node:fs'
import { createShipper } from 'logship'
import { sampleEvent } from '../lib/run.mjs'

const N = Number(process.env.N ?? 1_000_000)
const events = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))

function timeIt(fn) {
  const start = process.hrtime.bigint()
  fn()
  return Number(process.hrtime.bigint() - start) / N
}

const fd = fs.openSync('/dev/null', 'w')
const baseline = () => {
  for (let i = 0; i < N; i++) fs.writeSync(fd, `${JSON.stringify(events[i % 10_000])}\n`)
}
const shipper = createShipper({
  output: { type: 'file', path: '/dev/null' },
  queue: { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 },
  handleExit: false,
})
const logship = () => {
  for (let i = 0; i < N; i++) shipper.write(events[i % 10_000])
}

// warm up both paths, then measure alternately
baseline()
logship()
await shipper.flush()
const base = [timeIt(baseline), timeIt(baseline)]
const ours = []
for (let r = 0; r < 2; r++) {
  ours.push(timeIt(logship))
  await shipper.flush()
}
const s = shipper.stats()
await shipper.close()
const baseNs = Math.min(...base)
const oursNs = Math.min(...ours)
console.log(JSON.stringify({ events: N, baselineNsPerEvent: Math.round(baseNs), logshipNsPerEvent: Math.round(oursNs), ratio: +(oursNs / baseNs).toFixed(2), dropped: s.dropped, acked: s.acked }))
