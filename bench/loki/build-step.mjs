// node bench/loki/build-step.mjs — the loki output's per-batch CPU work alone (no network, no
// engine, no worker): StreamBuilder.build + encodePushRequest over batches of bench events,
// this checkout's src/ against BASELINE_REF's (default main), interleaved round by round so both
// see the same machine load. Reports CPU µs per event (process.cpuUsage), median of ROUNDS.
//   BATCH=2000 events per batch; BATCHES=50 per round; ROUNDS=9; BASELINE_REF=main
import { execSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
// esbuild comes with tsup (the build's bundler); not a dependency of its own
import { buildSync } from 'esbuild'
import { machine, sampleEvent } from '../lib/run.mjs'

const BATCH = Number(process.env.BATCH ?? 2000)
const BATCHES = Number(process.env.BATCHES ?? 50)
const ROUNDS = Number(process.env.ROUNDS ?? 9)
const REF = process.env.BASELINE_REF ?? 'main'
const root = fileURLToPath(new URL('../../', import.meta.url))
// inside the checkout, so that the bundles find node_modules
const dir = mkdtempSync(join(root, '.tmp-loki-bench-'))
execSync(`git archive ${REF} src | tar -x -C ${dir}`, { cwd: root })

function bundle(src, name) {
  const entry = join(dir, `${name}.ts`)
  writeFileSync(entry, `export { StreamBuilder } from '${src}/outputs/loki/streams.ts'\nexport { encodePushRequest } from '${src}/outputs/loki/encode.ts'\n`)
  const out = join(dir, `${name}.mjs`)
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, packages: 'external', logLevel: 'error' })
  return import(pathToFileURL(out).href)
}
const builds = { [`${REF} (baseline)`]: await bundle(join(dir, 'src'), 'baseline'), 'this checkout': await bundle(join(root, 'src'), 'current') }
rmSync(dir, { recursive: true, force: true })

const records = Array.from({ length: BATCH * 4 }, (_, i) => Buffer.from(JSON.stringify(sampleEvent(i))))
const labels = { app: 'bench', level: '{level}' }
const names = Object.keys(builds)
const builders = Object.fromEntries(names.map((name) => [name, new builds[name].StreamBuilder(labels, {}, 1000)]))

function round(name) {
  const builder = builders[name]
  const { encodePushRequest } = builds[name]
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

const results = Object.fromEntries(names.map((name) => [name, []]))
for (const name of names) round(name) // warm-up
const loadAtStart = os.loadavg()
for (let r = 0; r < ROUNDS; r++) for (const name of r % 2 ? [...names].reverse() : names) results[name].push(round(name))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const load = (values) => values.map((l) => l.toFixed(1)).join(' ')
console.log(
  `# Loki build step — ${new Date().toISOString()} — ${machine()} — ${BATCH}-event batches, ${BATCHES} per round, median of ${ROUNDS}, load average ${load(loadAtStart)} at the start, ${load(os.loadavg())} at the end\n`,
)
console.log('| build | CPU µs per event (build + encode) | of which build, wall µs | all rounds, CPU µs |\n|---|---:|---:|---|')
for (const name of names) {
  const us = results[name].map((x) => x.usPerEvent)
  const build = median(results[name].map((x) => x.buildUs))
  console.log(`| ${name} | ${median(us).toFixed(2)} | ${build.toFixed(2)} | ${us.map((x) => x.toFixed(2)).join(', ')} |`)
}
if (new Set(names.map((name) => results[name][0].bytes)).size !== 1) throw new Error('the two builds gave push requests of different sizes')
