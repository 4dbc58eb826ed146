// App-thread cost of shipper.write(obj) vs JSON.stringify(obj) + fs.writeSync to /dev/null,
// for the same objects, in the same process. Prints one JSON line.
// Writes come in bursts that fit in the queue (as an app's logging does); only the time
// spent inside the write calls is counted, while the worker ships on the other core.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createShipper } from 'logship'
import { sampleEvent } from '../lib/run.mjs'

const N = Number(process.env.N ?? 1_000_000)
const events = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))

const BURST = 20_000

async function timeIt(write, settle) {
  let ns = 0n
  for (let done = 0; done < N; done += BURST) {
    const start = process.hrtime.bigint()
    for (let i = done; i < done + BURST; i++) write(events[i % 10_000])
    ns += process.hrtime.bigint() - start
    await settle()
  }
  return Number(ns) / N
}

const fd = fs.openSync('/dev/null', 'w')
const baseline = (e) => fs.writeSync(fd, `${JSON.stringify(e)}\n`)
// the file output only writes regular files: a temp file, emptied after every burst
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'logship-write-cost-')), 'out.ndjson')
const shipper = createShipper({
  output: { type: 'file', path: out },
  queue: { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 },
  handleExit: false,
})
const logship = (e) => shipper.write(e)
const nothing = async () => {}
const flushed = async () => {
  await shipper.flush()
  fs.truncateSync(out, 0)
}

// warm up both paths, then measure each twice, alternating
await timeIt(baseline, nothing)
await timeIt(logship, flushed)
const base = []
const ours = []
for (let r = 0; r < 2; r++) {
  base.push(await timeIt(baseline, nothing))
  ours.push(await timeIt(logship, flushed))
}
const s = shipper.stats()
await shipper.close()
fs.rmSync(path.dirname(out), { recursive: true, force: true })
const baseNs = Math.min(...base)
const oursNs = Math.min(...ours)
console.log(
  JSON.stringify({
    events: N,
    baselineNsPerEvent: Math.round(baseNs),
    logshipNsPerEvent: Math.round(oursNs),
    ratio: +(oursNs / baseNs).toFixed(2),
    dropped: s.dropped,
    acked: s.acked,
  }),
)
