// npm run bench:observability — what the metrics endpoint costs: the same shipping run with
// the endpoint off, and on while being scraped every 100 ms (3 rounds each, alternating).
import { fileURLToPath } from 'node:url'
import os from 'node:os'
import { startProcess, runJson } from '../lib/run.mjs'

const here = (f) => fileURLToPath(new URL(f, import.meta.url))
const sink = await startProcess(here('../lib/ndjson-sink.mjs'))
const results = { off: [], scraped: [] }
try {
  for (let round = 0; round < 3; round++) {
    for (const mode of ['off', 'scraped']) results[mode].push(await runJson(here('./case.mjs'), [String(sink.port), mode]))
  }
} finally {
  sink.stop()
}
const median = (rows, key) => rows.map((r) => r[key]).sort((a, b) => a - b)[rows.length >> 1]
console.log(
  `machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model}, Node ${process.version}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
for (const mode of ['off', 'scraped']) {
  const rows = results[mode]
  console.log(
    `${mode.padEnd(8)} events/s ${median(rows, 'eventsPerS')}  cpu ${median(rows, 'cpuS')} s  rss ${median(rows, 'rssMb')} MB  scrape p50 ${median(rows, 'scrapeP50Ms') ?? '-'} ms max ${median(rows, 'scrapeMaxMs') ?? '-'} ms  stats()/s ${median(rows, 'statsCallsPerS')}`,
  )
}
console.log(`ratio scraped/off events/s: ${(median(results.scraped, 'eventsPerS') / median(results.off, 'eventsPerS')).toFixed(2)}`)
console.log(JSON.stringify(results))
