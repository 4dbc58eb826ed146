// node bench/logstash/per-thread.mjs — where a Logstash run's CPU and page faults go, per thread.
// Ships N events (default 200k) to the local sink RUNS times (default 2) in one process, a new
// shipper each run, and prints per 20k-event block of write() calls its wall time, and the CPU
// ms, page faults (minflt) and ms spent waiting for a core (run queue) of each thread: M = the
// app thread, W = the shipper's worker, h = V8's helper threads. Run 1 pays the process's cold
// costs (module loading, heap growth, JIT); later runs show the warm steady state.
// "flush" is what flush() took after the last write(). Linux only (/proc/self/task).
//   N=1000000, RUNS=3, C=3 (compression), QUEUE=32mb, LOGSHIP=<other dist>/index.js
import { readFileSync, readdirSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { sampleEvent } from '../lib/run.mjs'
import { startSink } from './start-sink.mjs'
import { benchShipperOptions } from './shipper-options.mjs'

const { createShipper } = await import(process.env.LOGSHIP ? pathToFileURL(process.env.LOGSHIP).href : 'logship')
const N = Number(process.env.N ?? 200_000)
const BLOCK = 20_000
const events = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))

/** tid → [CPU ns, minor faults, run-queue wait ns] for every thread of this process. */
function threads() {
  const out = new Map()
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      const [cpu, wait] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ').map(Number)
      out.set(tid, [cpu, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]), wait])
    } catch {} // the thread ended meanwhile
  }
  return out
}

const helpers = new Set(readdirSync('/proc/self/task'))
const label = (tid) => (tid === String(process.pid) ? 'M' : helpers.has(tid) ? `h${tid.slice(-2)}` : `W${tid.slice(-2)}`)
function delta(a, b) {
  const cells = []
  for (const [tid, [cpu, faults, wait]] of b) {
    const [cpu0, faults0, wait0] = a.get(tid) ?? [0, 0, 0]
    if (cpu - cpu0 >= 1e6) cells.push(`${label(tid)} ${((cpu - cpu0) / 1e6).toFixed(0)}ms/${faults - faults0}f/${((wait - wait0) / 1e6).toFixed(0)}w`)
  }
  return cells.join('  ')
}

const sink = await startSink()
console.log(`# per-thread CPU ms / page faults, N=${N}, compression ${process.env.C ?? 0}, ${new Date().toISOString()}`)
for (let run = 0; run < Number(process.env.RUNS ?? 2); run++) {
  const start = threads()
  const shipper = createShipper(benchShipperOptions([`127.0.0.1:${sink.ports.lumberjack}`], Number(process.env.C ?? 0), { queueMaxBytes: process.env.QUEUE ?? '32mb' }))
  let last = threads()
  let lastAt = performance.now()
  const firstAt = lastAt
  const wall = () => {
    const now = performance.now()
    const text = `${(now - lastAt).toFixed(0).padStart(4)}ms wall  `
    lastAt = now
    return text
  }
  console.log(`\nrun ${run + 1}\ncreateShipper  ${delta(start, last)}`)
  for (let from = 0; from < N; from += BLOCK) {
    for (let i = from; i < Math.min(N, from + BLOCK); i++) shipper.write(events[i % events.length])
    const now = threads()
    console.log(`${String(from + BLOCK).padStart(13)}  ${wall()}${delta(last, now)}`)
    last = now
  }
  await shipper.flush()
  const end = threads()
  console.log(`flush          ${wall()}${delta(last, end)}\ntotal          ${(performance.now() - firstAt).toFixed(0).padStart(4)}ms wall  ${delta(start, end)}`)
  await shipper.close()
}
sink.stop()
