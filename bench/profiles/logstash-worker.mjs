// Where the Logstash client's worker thread spends its time (issue 17): runs
// bench/logstash/clients/logship.mjs under `node --cpu-prof` against the local sink, then
// buckets every sample of the worker's profile by the first matching frame from the leaf up.
//   node bench/profiles/logstash-worker.mjs [compression=0] [profile dir]
//   N=200000 events; LOGSHIP=/path/to/other/dist/index.js profiles another build
// Milliseconds of samples are wall time: on a loaded machine a descheduled thread's time
// lands on whatever it was running (see write-path.md); compare builds in the same minute.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSink } from '../logstash/start-sink.mjs'

const [compression = '0', dir = mkdtempSync(join(tmpdir(), 'logship-prof-'))] = process.argv.slice(2)
const client = fileURLToPath(new URL('../logstash/clients/logship.mjs', import.meta.url))
const sink = await startSink()
const env = { ...process.env, N: process.env.N ?? '200000', COMPRESSION: compression, SINKS: JSON.stringify([{ ports: sink.ports }]) }
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, client], { stdio: ['ignore', 'inherit', 'inherit'], env })
await new Promise((resolve) => child.on('exit', resolve))
sink.stop()

// the worker's profile is the one written second (numbered .002)
const file = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort()
  .at(-1)
const prof = JSON.parse(fs.readFileSync(join(dir, file), 'utf8'))
const byId = new Map(prof.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const inDist = (f) => f.url.includes('/dist/')
const rules = [
  ['idle (waiting for records or ACKs)', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['engine: stamping (looking for "@timestamp"/"time")', (f) => /^(plan|planAt|mentionsTimeKey|timeKeyNearStart)$/.test(f.functionName) && inDist(f)],
  [
    'Logstash: J-frame encoding',
    (f) =>
      /^(encodeJsonFrames|writeJsonFrames|writeLayoutFrames|layoutFramesSize|encodeWindowFrames|encode|jsonFramesSize)$/.test(f.functionName) && f.url.includes('/dist/logstash'),
  ],
  ['Logstash: socket writes', (f) => f.functionName === 'send' && f.url.includes('/dist/logstash')],
  ['Logstash: ACKs, windows, balancing, requeues', (f) => f.url.includes('/dist/logstash')],
  [
    'engine: cutting batches, copying into the arena',
    (f) => /^(#cut|copied|copy|copyRingSpan|ringRun|ringOffset|asIs|view|take|next|unchecked|length|data)$/.test(f.functionName) && inDist(f),
  ],
  ['engine: reading the ring', (f) => /^(drainRing|read|#reading|publishWatermark)$/.test(f.functionName) && inDist(f)],
  ['module loading', (f) => /modules|bootstrap\/realm|compileSourceTextModule/.test(f.url + f.functionName)],
  ['engine: other', inDist],
]
const totals = new Map([...rules.map(([k]) => [k, 0]), ['other (Node internals)', 0]])
let total = 0
for (let i = 0; i < prof.samples.length; i++) {
  const dt = prof.timeDeltas[i] ?? 0
  total += dt
  let id = prof.samples[i]
  let hit
  while (id !== undefined && !hit) {
    const f = byId.get(id).callFrame
    hit = rules.find(([, matches]) => matches(f))?.[0]
    id = parent.get(id)
  }
  hit ??= 'other (Node internals)'
  totals.set(hit, totals.get(hit) + dt)
}
console.log(`\nworker profile: ${join(dir, file)}, ${(total / 1000).toFixed(0)} ms of samples\n`)
console.log('| worker thread | ms | % |\n|---|---:|---:|')
for (const [k, v] of totals) console.log(`| ${k} | ${(v / 1000).toFixed(0)} | ${((100 * v) / total).toFixed(1)} |`)
