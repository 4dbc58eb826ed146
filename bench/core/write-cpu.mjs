// App-thread CPU time per shipper.write(obj), measured with process.threadCpuUsage() (Node >= 23.9),
// so that a loaded machine (other processes, the worker thread) does not count. Prints one JSON line.
// LOGSHIP=/path/to/dist/index.js compares another build (e.g. the one before a change) in the same way.
// Baseline: JSON.stringify + fs.writeSync(/dev/null) for the same objects.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { sampleEvent } from '../lib/run.mjs'

if (typeof process.threadCpuUsage !== 'function') throw new Error('write-cpu.mjs needs process.threadCpuUsage (Node >= 23.9): run it with Node 24')
const { createShipper } = await import(process.env.LOGSHIP ? pathToFileURL(process.env.LOGSHIP).href : 'logship')
const N = Number(process.env.N ?? 400_000)
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const BURST = 20_000
const events = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))

/** CPU µs of this thread and wall ns spent inside the write calls, per event. */
async function measure(write, settle) {
  let cpuUs = 0
  let wallNs = 0n
  for (let done = 0; done < N; done += BURST) {
    const c0 = process.threadCpuUsage()
    const t0 = process.hrtime.bigint()
    for (let i = done; i < done + BURST; i++) write(events[i % 10_000])
    wallNs += process.hrtime.bigint() - t0
    const c1 = process.threadCpuUsage(c0)
    cpuUs += c1.user + c1.system
    await settle()
  }
  return { cpuNs: (cpuUs * 1000) / N, wallNs: Number(wallNs) / N }
}

const fd = fs.openSync('/dev/null', 'w')
// BASELINE=stringify: JSON.stringify alone (what write() cannot avoid), in the same process as the running worker
let sink = ''
const baseline = process.env.BASELINE === 'stringify' ? (e) => (sink = JSON.stringify(e)) : (e) => fs.writeSync(fd, `${JSON.stringify(e)}\n`)
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'logship-write-cpu-')), 'out.ndjson')
const shipper = createShipper({ output: { type: 'file', path: out }, queue: { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 }, handleExit: false })
const logship = (e) => shipper.write(e)
const nothing = async () => {}
const flushed = async () => {
  await shipper.flush()
  fs.truncateSync(out, 0)
}
await measure(baseline, nothing)
await measure(logship, flushed)
const base = []
const ours = []
for (let r = 0; r < ROUNDS; r++) {
  base.push(await measure(baseline, nothing))
  ours.push(await measure(logship, flushed))
}
const s = shipper.stats()
await shipper.close()
fs.rmSync(path.dirname(out), { recursive: true, force: true })
const best = (xs, k) => Math.min(...xs.map((x) => x[k]))
console.log(
  JSON.stringify({
    events: N * ROUNDS,
    baselineCpuNs: Math.round(best(base, 'cpuNs')),
    logshipCpuNs: Math.round(best(ours, 'cpuNs')),
    cpuRatio: +(best(ours, 'cpuNs') / best(base, 'cpuNs')).toFixed(2),
    baselineWallNs: Math.round(best(base, 'wallNs')),
    logshipWallNs: Math.round(best(ours, 'wallNs')),
    wallRatio: +(best(ours, 'wallNs') / best(base, 'wallNs')).toFixed(2),
    baseline: process.env.BASELINE === 'stringify' ? 'JSON.stringify' : 'JSON.stringify + fs.writeSync(/dev/null)',
    dropped: s.dropped,
    acked: s.acked,
  }),
)
