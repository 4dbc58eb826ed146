// npm run bench: the core benchmarks (issue 2), printed as a markdown table.
import { fileURLToPath } from 'node:url'
import { startProcess, runJson, machine } from './lib/run.mjs'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const N = process.env.N ?? '1000000'

console.log(`# logship core benchmarks — ${new Date().toISOString()} — ${machine()} — N=${N}\n`)
const cost = await runJson(here('./core/write-cost.mjs'), [], { N })
console.log('### App-thread cost per event\n')
console.log('| what | ns/event |\n|---|---:|')
console.log(`| JSON.stringify + fs.writeSync(/dev/null) | ${cost.baselineNsPerEvent} |`)
console.log(`| shipper.write(obj) (bursts of 20k; worker ships to /dev/null) | ${cost.logshipNsPerEvent} |`)
console.log(`| ratio logship / baseline | ${cost.ratio} |\n`)
console.log(`(acked ${cost.acked}, dropped ${cost.dropped})\n`)

const sink = await startProcess(here('./lib/ndjson-sink.mjs'))
console.log('### End to end: write() → http output → local NDJSON sink\n')
console.log('| compression | events | seconds | events/s | MB/s | CPU s | peak RSS MB | dropped |\n|---|---:|---:|---:|---:|---:|---:|---:|')
for (const compression of ['none', 'gzip']) {
  const r = await runJson(here('./core/throughput.mjs'), [], { N, SINK_URL: `http://127.0.0.1:${sink.port}/ingest`, COMPRESSION: compression })
  console.log(
    `| ${compression} | ${r.acked} | ${r.seconds} | ${r.eventsPerSec.toLocaleString('en-US')} | ${r.MBPerSec} | ${r.cpuSeconds.toFixed(2)} | ${r.peakRssMB} | ${r.dropped} |`,
  )
}
sink.stop()
