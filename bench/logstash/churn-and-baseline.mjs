// npm run bench:logstash-baseline — issue 17's three ratios, same run, same machine:
//   1. logship vs the plain-socket baseline (same frames, no waiting for ACKs), compression 0 and 3
//   2. logship compression 3 vs compression 0
//   3. logship against a node that drops the connection at every 3rd window (ACKing the two before
//      it) vs a healthy node: the share of healthy throughput that survives the churn
// Each setup runs ROUNDS times interleaved; the median (by events/s) is reported.
//   N=200000 events of ~350 bytes (N=1000000 works too: fixed costs weigh less), ROUNDS=3
// Two clocks for logship: from before createShipper() (schema, worker start, connect), and from the
// first write() to the last ACK (issue 17's "end to end"). The plain socket's clock starts before
// its connect() in both columns.
//   BEFORE=/path/to/an/older/dist/index.js also runs that build (c0, c3), interleaved with this one
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { runJson, machine } from '../lib/run.mjs'
import { startSink } from './start-sink.mjs'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const N = process.env.N ?? '200000'
const ROUNDS = Number(process.env.ROUNDS ?? 3)

async function run(client, sink, env) {
  await fetch(`http://127.0.0.1:${sink.ports.control}/reset`, { method: 'POST' })
  const r = await runJson(here(`./clients/${client}.mjs`), [], { N, SINKS: JSON.stringify([{ ports: sink.ports }]), ...env })
  if (r.received < r.events) throw new Error(`${client}: the sink counted ${r.received} of ${r.events} events`)
  if (r.badJson > 0) throw new Error(`${client}: ${r.badJson} sampled events were not JSON`)
  return r
}

const before = process.env.BEFORE
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ')
const loadAtStart = load()
const healthy = await startSink()
const churning = await startSink({ closeAfterWindows: 3 })
const setups = {
  'logship c0': () => run('logship', healthy, { COMPRESSION: '0' }),
  'logship c3': () => run('logship', healthy, { COMPRESSION: '3' }),
  ...(before
    ? {
        'logship before c0': () => run('logship', healthy, { COMPRESSION: '0', LOGSHIP: before }),
        'logship before c3': () => run('logship', healthy, { COMPRESSION: '3', LOGSHIP: before }),
      }
    : {}),
  'plain socket c0': () => run('plain-socket', healthy, { COMPRESSION: '0' }),
  'plain socket c3': () => run('plain-socket', healthy, { COMPRESSION: '3' }),
  'logship c0, drop every 3rd window': () => run('logship', churning, { COMPRESSION: '0' }),
  'logship c3, drop every 3rd window': () => run('logship', churning, { COMPRESSION: '3' }),
}
const runs = Object.fromEntries(Object.keys(setups).map((k) => [k, []]))
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, setup] of Object.entries(setups)) runs[name].push(await setup())
}
healthy.stop()
churning.stop()

const median = (rs) => [...rs].sort((x, y) => x.eventsPerSec - y.eventsPerSec)[Math.floor((rs.length - 1) / 2)]
const m = Object.fromEntries(Object.entries(runs).map(([k, rs]) => [k, median(rs)]))
const fmt = (n) => n.toLocaleString('en-US')
const ratio = (a, b) => `${(m[a].eventsPerSec / m[b].eventsPerSec).toFixed(2)}×`
/** The first-write() clock where the client has one (logship), else its only clock. */
const fromFirstWrite = (r) => r.eventsPerSecFromFirstWrite ?? r.eventsPerSec
const ratioFromFirstWrite = (a, b) => `${(fromFirstWrite(m[a]) / fromFirstWrite(m[b])).toFixed(2)}×`
/**
 * The same ratio round by round (the two ran minutes apart at most, under the same load from
 * other jobs), then its median and range: on a shared machine whose speed drifts by ±20%
 * within minutes, the median of paired ratios moves less than a ratio of two medians.
 */
const pairedFromFirstWrite = (a, b) => {
  const ratios = runs[a].map((r, i) => fromFirstWrite(r) / fromFirstWrite(runs[b][i])).sort((x, y) => x - y)
  const med = ratios[Math.floor((ratios.length - 1) / 2)]
  return `${med.toFixed(2)}× (rounds: ${ratios[0].toFixed(2)}–${ratios.at(-1).toFixed(2)})`
}
console.log(`# Logstash output: baseline, compression and churn — ${new Date().toISOString()} — ${machine()} — N=${N}, median of ${ROUNDS}`)
console.log(`load average (1 / 5 / 15 min): ${loadAtStart} at the start, ${load()} at the end\n`)
console.log('| setup | events/s (median), clock from set-up | events/s, clock from first write() | MB/s | CPU s | peak RSS MB | retried | all runs, events/s (set-up clock) |')
console.log('|---|---:|---:|---:|---:|---:|---:|---|')
for (const [name, r] of Object.entries(m))
  console.log(
    `| ${name} | ${fmt(r.eventsPerSec)} | ${r.eventsPerSecFromFirstWrite === undefined ? '-' : fmt(r.eventsPerSecFromFirstWrite)} | ${r.MBPerSec} | ${r.cpuSeconds.toFixed(2)} | ${r.peakRssMB} | ${r.retried ?? '-'} | ${runs[name].map((x) => fmt(x.eventsPerSec)).join(', ')} |`,
  )
console.log('\n| ratio | value | target |')
console.log('|---|---:|---|')
console.log(`| logship / plain socket, compression 0, clock from set-up | ${ratio('logship c0', 'plain socket c0')} | ≥ 1 |`)
console.log(`| logship / plain socket, compression 3, clock from set-up | ${ratio('logship c3', 'plain socket c3')} | ≥ 1 |`)
console.log(`| logship / plain socket, compression 0, logship from first write() | ${ratioFromFirstWrite('logship c0', 'plain socket c0')} | ≥ 1 |`)
console.log(`| logship / plain socket, compression 3, logship from first write() | ${ratioFromFirstWrite('logship c3', 'plain socket c3')} | ≥ 1 |`)
console.log(`| the same, median of each round's ratio, compression 0 | ${pairedFromFirstWrite('logship c0', 'plain socket c0')} | ≥ 1 |`)
console.log(`| the same, median of each round's ratio, compression 3 | ${pairedFromFirstWrite('logship c3', 'plain socket c3')} | ≥ 1 |`)
console.log(`| logship compression 3 / compression 0 | ${ratio('logship c3', 'logship c0')} | ≥ 0.80 |`)
console.log(`| drop every 3rd window / healthy, compression 0 | ${ratio('logship c0, drop every 3rd window', 'logship c0')} | ≥ 0.30 |`)
console.log(`| drop every 3rd window / healthy, compression 3 | ${ratio('logship c3, drop every 3rd window', 'logship c3')} | ≥ 0.30 |`)
if (before) {
  console.log(`| this build / BEFORE, compression 0 | ${ratio('logship c0', 'logship before c0')} | |`)
  console.log(`| this build / BEFORE, compression 3 | ${ratio('logship c3', 'logship before c3')} | |`)
}
