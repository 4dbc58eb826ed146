// node bench/otlp/encode.mjs — CPU per event of the otlp output's protobuf encoding alone (no
// network, no engine, one thread): the one-scan encoder (src/outputs/otlp/encode-scan.ts)
// against the reference object path (JSON.parse → logModelOf → groupByResource → protobufjs
// Writer), on the same batches of 2,048 bench events, alternating, best of ROUNDS. The sources
// are bundled with esbuild (tsup's) into bench/.work first.
import { mkdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { sampleEvent } from '../lib/run.mjs'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const ROUNDS = Number(process.env.ROUNDS ?? 5)
const BATCHES = Number(process.env.BATCHES ?? 50)
const out = here('../.work/otlp-encoders.mjs')
mkdirSync(here('../.work'), { recursive: true })
await build({
  stdin: {
    resolveDir: here('../../src/outputs/otlp'),
    contents: `export { ScanEncoder } from './encode-scan.js'; export { logModelOf, parseRecord } from './log-model.js'; export { groupByResource } from './group.js'; export { encodeExportRequest } from './encode-protobuf.js'`,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  logLevel: 'error',
})
const { ScanEncoder, logModelOf, parseRecord, groupByResource, encodeExportRequest } = await import(pathToFileURL(out).href)

const SCOPE = { name: 'logship', version: 'bench' }
const KEYS = new Set(['service', 'host', 'deployment', 'cloud', 'k8s', 'container'])
const DEFAULTS = [['host.name', 'bench-host']]
const records = Array.from({ length: 2048 }, (_, i) => Buffer.from(JSON.stringify(sampleEvent(i))))
const observed = BigInt(Date.now()) * 1_000_000n
const encoder = new ScanEncoder(SCOPE, KEYS, [], DEFAULTS)
const scan = (batch) => encoder.encode(batch, observed)
const reference = (batch) =>
  encodeExportRequest(
    groupByResource(
      batch.map((r) => logModelOf(parseRecord(r), KEYS)),
      [],
      DEFAULTS,
    ),
    SCOPE,
    observed,
  )
if (!Buffer.from(scan(records)).equals(Buffer.from(reference(records)))) throw new Error('the two encoders disagree')

function cpuPerEvent(encode) {
  const start = process.cpuUsage()
  for (let b = 0; b < BATCHES; b++) encode(records)
  const used = process.cpuUsage(start)
  return ((used.user + used.system) * 1000) / (BATCHES * records.length)
}
const best = { scan: Number.POSITIVE_INFINITY, reference: Number.POSITIVE_INFINITY }
for (let r = 0; r < ROUNDS; r++) {
  best.scan = Math.min(best.scan, cpuPerEvent(scan))
  best.reference = Math.min(best.reference, cpuPerEvent(reference))
}
console.log(`protobuf encoding, CPU per event (best of ${ROUNDS} × ${BATCHES} batches of 2,048, ${process.version}):`)
console.log(`one scan (encode-scan.ts): ${best.scan.toFixed(0)} ns; reference object path: ${best.reference.toFixed(0)} ns; ${(best.reference / best.scan).toFixed(1)}x`)
