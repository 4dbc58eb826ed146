// npm run bench:adapters — the adapter benchmarks of issue 6, one run, printed as markdown:
//  1. app-thread cost per pino call: logship pinoDestination vs pino.destination('/dev/null')
//  2. end to end, pino: logship/pino transport vs pino-elasticsearch (5 MB flushes), same sink
//  3. end to end, winston: LogshipTransport vs winston-elasticsearch, same sink
//  4. peak RSS under a stalled sink: transport vs destination (docs/adapters/pino.md)
// Bench-only peers are installed into bench/.peers/ on first use. Needs `npm run build` first.
// Env: N (e2e events, default 200000), N_COST (default 500000), N_STALL (default 1000000), REPEAT (default 3).
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { startProcess, runJson, machine } from '../lib/run.mjs'
import { ensurePeers, peerVersions } from './peers.mjs'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const N = process.env.N ?? '200000'
const N_COST = process.env.N_COST ?? '500000'
const N_STALL = process.env.N_STALL ?? '1000000'
const REPEAT = Number(process.env.REPEAT ?? 3)
const fmt = (n) => Math.round(n).toLocaleString('en-US')
const median = (rows, key) => [...rows].sort((a, b) => a[key] - b[key])[rows.length >> 1]

ensurePeers()
console.log(
  `# logship adapter benchmarks — ${new Date().toISOString()} — ${machine()} — load average at the start ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
console.log(
  `peers: ${Object.entries(peerVersions())
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}\n`,
)

console.log(`## 1. App-thread cost per pino call (N=${N_COST}, best of 3 rounds)\n`)
const cost = await runJson(here('./write-cost.mjs'), [], { N: N_COST })
console.log('| pino destination | ns/call |\n|---|---:|')
console.log(`| pino.destination('/dev/null') (sonic-boom) | ${cost.sonicBoomNsPerCall} |`)
console.log(`| logship pinoDestination (worker ships to /dev/null, whenFull: block) | ${cost.logshipNsPerCall} |`)
console.log(`| ratio logship / sonic-boom (target ≤ 1.3) | ${cost.ratio} |\n`)

async function e2e(script, modes, n) {
  const sink = await startProcess(here('./sink.mjs'))
  const rows = []
  try {
    for (const mode of modes) {
      const runs = []
      for (let r = 0; r < REPEAT; r++) {
        await fetch(`http://127.0.0.1:${sink.port}/_sink/reset`, { method: 'POST' })
        runs.push(await runJson(here(script), [], { N: n, MODE: mode, SINK_PORT: String(sink.port) }))
      }
      rows.push({ ...median(runs, 'eventsPerSec'), range: `${fmt(Math.min(...runs.map((r) => r.eventsPerSec)))}–${fmt(Math.max(...runs.map((r) => r.eventsPerSec)))}` })
    }
  } finally {
    sink.stop()
  }
  return rows
}

function e2eTable(rows, peer) {
  console.log('| mode | events | seconds | events/s | range | CPU s | CPU s per million events | peak RSS MB |\n|---|---:|---:|---:|---|---:|---:|---:|')
  for (const r of rows)
    console.log(
      `| ${r.mode} | ${fmt(r.events)} | ${r.seconds} | ${fmt(r.eventsPerSec)} | ${r.range} | ${r.cpuSeconds} | ${(r.cpuSeconds / (r.events / 1e6)).toFixed(2)} | ${r.peakRssMB} |`,
    )
  const ours = rows[0]
  const theirs = rows.find((r) => r.mode === peer)
  console.log(`\nratio ${ours.mode} / ${peer} (events/s, medians; target 3): **${(ours.eventsPerSec / theirs.eventsPerSec).toFixed(2)}**\n`)
}

console.log(`## 2. End to end, pino → local sink (N=${N}, median of ${REPEAT})\n`)
console.log('logship uses its `elasticsearch` output; both post `_bulk` to the same sink process.\n')
e2eTable(await e2e('./e2e-pino.mjs', ['logship-transport', 'pino-es', 'logship-destination'], N), 'pino-es')

console.log(`## 3. End to end, winston → local sink (N=${N}, median of ${REPEAT})\n`)
e2eTable(await e2e('./e2e-winston.mjs', ['logship', 'winston-es'], N), 'winston-es')

console.log(`## 4. Peak RSS while the sink has stopped answering (N=${N_STALL} calls, then 3 s)\n`)
const stalled = await startProcess(here('./sink.mjs'), ['--stall'])
console.log('| mode | peak RSS MB | heap used after MB | accepted | dropped | sampled out | CPU s |\n|---|---:|---:|---:|---:|---:|---:|')
try {
  for (const mode of ['transport-block', 'transport-drop', 'pino-es', 'destination-drop', 'destination-sample']) {
    const r = await runJson(here('./stalled.mjs'), [], { N: N_STALL, MODE: mode, SINK_PORT: String(stalled.port) })
    console.log(`| ${mode} | ${r.peakRssMB} | ${r.heapUsedMBAfter} | ${r.accepted ?? '–'} | ${r.dropped ?? '–'} | ${r.sampledOut ?? '–'} | ${r.cpuSeconds} |`)
  }
} finally {
  stalled.stop()
}
