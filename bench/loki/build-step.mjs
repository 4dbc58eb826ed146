// node bench/loki/build-step.mjs — the loki output's per-batch CPU work alone (no network, no
// engine): StreamBuilder.build + encodePushRequest over batches of bench events, the one-scan
// reading (event-fields.ts) against the JSON.parse reference, interleaved round by round so
// both see the same machine load. Reports CPU µs per event (process.cpuUsage), median of ROUNDS.
//   BATCH=2000 events per batch; BATCHES=50 per round; ROUNDS=9
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildSync } from 'esbuild'
import { machine, sampleEvent } from '../lib/run.mjs'

const BATCH = Number(process.env.BATCH ?? 2000)
const BATCHES = Number(process.env.BATCHES ?? 50)
const ROUNDS = Number(process.env.ROUNDS ?? 9)
const root = fileURLToPath(new URL('../../', import.meta.url))
const dir = mkdtempSync(join(root, '.tmp-loki-bench-'))
const entry = join(dir, 'entry.ts')
const out = join(dir, 'bundle.mjs')
await import('node:fs').then((fs) =>
  fs.writeFileSync(entry, `export { StreamBuilder } from '${root}src/outputs/loki/streams.ts'\nexport { encodePushRequest } from '${root}src/outputs/loki/encode.ts'\n`),
)
buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, packages: 'external', logLevel: 'error' })
const { StreamBuilder, encodePushRequest } = await import(pathToFileURL(out).href)
rmSync(dir, { recursive: true, force: true })

const records = Array.from({ length: BATCH * 4 }, (_, i) => Buffer.from(JSON.stringify(sampleEvent(i))))
const labels = { app: 'bench', level: '{level}' }
const builders = { scan: new StreamBuilder(labels, {}, 1000, { scan: true }), parse: new StreamBuilder(labels, {}, 1000, { scan: false }) }

function round(builder) {
  let bytes = 0
  let buildNs = 0n
  const cpu = process.cpuUsage()
  for (let b = 0; b < BATCHES; b++) {
    const from = (b % 4) * BATCH
    const t = process.hrtime.bigint()
    const streams = builder.build(records.slice(from, from + BATCH), 1n)
    buildNs += process.hrtime.bigint() - t
    bytes += encodePushRequest(streams).length
  }
  const used = process.cpuUsage(cpu)
  return { usPerEvent: (used.user + used.system) / (BATCHES * BATCH), buildUs: Number(buildNs) / 1000 / (BATCHES * BATCH), bytes }
}

const results = { scan: [], parse: [] }
round(builders.scan)
round(builders.parse) // warm-up
const loadAtStart = os.loadavg()
for (let r = 0; r < ROUNDS; r++) for (const name of r % 2 ? ['parse', 'scan'] : ['scan', 'parse']) results[name].push(round(builders[name]))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const load = (values) => values.map((l) => l.toFixed(1)).join(' ')
console.log(
  `# Loki build step — ${new Date().toISOString()} — ${machine()} — ${BATCH}-event batches, ${BATCHES} per round, median of ${ROUNDS}, load average ${load(loadAtStart)} at the start, ${load(os.loadavg())} at the end\n`,
)
console.log('| reading | CPU µs per event (build + encode) | of which build, wall µs | all rounds, CPU µs |\n|---|---:|---:|---|')
for (const name of ['parse', 'scan']) {
  const us = results[name].map((x) => x.usPerEvent)
  const build = median(results[name].map((x) => x.buildUs))
  console.log(
    `| ${name === 'scan' ? 'one scan (event-fields.ts)' : 'JSON.parse (reference)'} | ${median(us).toFixed(2)} | ${build.toFixed(2)} | ${us.map((x) => x.toFixed(2)).join(', ')} |`,
  )
}
if (results.scan[0].bytes !== results.parse[0].bytes) throw new Error('the two readings gave different push requests')
