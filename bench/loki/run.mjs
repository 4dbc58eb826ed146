// npm run bench:loki — the loki output against pino-loki (pino's Loki transport), same events,
// same stand-in Loki (bench/loki/sink.mjs, another process on 127.0.0.1), same run.
//   N=100000 events per run; ROUNDS=3 (the median run by events/s is reported, all runs beside it).
//   BASELINE=<absolute path to an older build's dist/index.js, inside this checkout so it finds node_modules>
//   adds that build as a row, run in the same rounds (before/after under the same load).
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { runJson, machine, startProcess, sampleEvent } from '../lib/run.mjs'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const N = process.env.N ?? '100000'
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const avgEventBytes = Array.from({ length: 10_000 }, (_, i) => Buffer.byteLength(JSON.stringify(sampleEvent(i)))).reduce((a, b) => a + b) / 10_000

const sink = await startProcess(here('./sink.mjs'))
const control = (path) => fetch(`http://127.0.0.1:${sink.port}${path}`, { method: 'POST' }).then((r) => r.json())
const url = `http://127.0.0.1:${sink.port}`

async function once(client, env) {
  await control('/reset')
  const r = await runJson(here(`./clients/${client}.mjs`), [], { N, URL: url, ...env })
  const counted = await control('/count')
  return { ...r, eventsPerSec: r.events / r.seconds, received: counted.entries, requests: counted.requests, wireMB: counted.bytes / 2 ** 20 }
}

const setups = [
  ['logship loki (protobuf, snappy)', 'logship', {}],
  ['logship loki (json, gzip)', 'logship', { ENCODING: 'json' }],
  ...(process.env.BASELINE ? [['logship loki (protobuf, snappy), BASELINE build', 'logship', { LOGSHIP: process.env.BASELINE }]] : []),
  ['pino-loki 3.0.0, defaults (5 s batches, buffer 10,000)', 'pino-loki', {}],
  ['pino-loki 3.0.0, 1 s batches, no buffer cap (no drops)', 'pino-loki', { BUFFER: '0' }],
]
const loadAtStart = os.loadavg()
const results = setups.map(() => [])
for (let round = 0; round < ROUNDS; round++) for (const [k, [, client, env]] of setups.entries()) results[k].push(await once(client, env))
sink.stop()

const median = (runs) => [...runs].sort((a, b) => a.eventsPerSec - b.eventsPerSec)[Math.floor((runs.length - 1) / 2)]
const fmt = (n) => Math.round(n).toLocaleString('en-US')
const load = (values) => values.map((l) => l.toFixed(1)).join(' ')
const baseline = median(results[setups.findIndex(([label]) => label.includes('no drops'))]).eventsPerSec
console.log(
  `# Loki output benchmark — ${new Date().toISOString()} — ${machine()} — N=${N}, median of ${ROUNDS}, load average ${load(loadAtStart)} at the start, ${load(os.loadavg())} at the end\n`,
)
console.log('| setup | events/s | MB/s | received by Loki | CPU s | peak RSS MB | requests | wire MB | rate vs pino-loki (no drops) | all runs, events/s |')
console.log('|---|---:|---:|---|---:|---:|---:|---:|---:|---|')
for (const [k, [label]] of setups.entries()) {
  const r = median(results[k])
  console.log(
    `| ${label} | ${fmt(r.eventsPerSec)} | ${((r.eventsPerSec * avgEventBytes) / 1e6).toFixed(1)} | ${fmt(r.received)} of ${fmt(r.events)} | ${r.cpuSeconds.toFixed(1)} | ${r.peakRssMB} | ${fmt(r.requests)} | ${r.wireMB.toFixed(1)} | ${(r.eventsPerSec / baseline).toFixed(2)}× | ${results[k].map((x) => fmt(x.eventsPerSec)).join(', ')} |`,
  )
}
