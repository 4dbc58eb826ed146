// npm run bench:otlp — the otlp output against the OpenTelemetry JS SDK's own exporter
// (BatchLogRecordProcessor + exporter-logs-otlp-proto), same events, same stand-in collector.
//   N=200000 events per run; ROUNDS=3 (the median run is reported). Peers go into bench/.peers.
//   BASELINE=<path to an older build's dist/index.js, inside this checkout so it finds node_modules>
//   adds that build's protobuf run to the same table (before/after in one run).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runJson, machine, startProcess } from '../lib/run.mjs'
import { peersDir } from './common.mjs'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const N = process.env.N ?? '200000'
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const PEERS = ['@opentelemetry/sdk-logs@3.1.0', '@opentelemetry/exporter-logs-otlp-proto@0.301.0', '@opentelemetry/api@1']

if (!PEERS.every((p) => existsSync(join(peersDir, 'node_modules', p.slice(0, p.lastIndexOf('@')), 'package.json')))) {
  mkdirSync(peersDir, { recursive: true })
  if (!existsSync(join(peersDir, 'package.json'))) writeFileSync(join(peersDir, 'package.json'), JSON.stringify({ private: true, description: 'bench-only peers' }))
  console.error(`installing ${PEERS.join(', ')} into ${peersDir}`)
  execFileSync('npm', ['install', '--prefix', peersDir, '--no-audit', '--no-fund', ...PEERS], { stdio: ['ignore', 'ignore', 'inherit'] })
}

const sink = await startProcess(here('./sink.mjs'))
const control = (path) => fetch(`http://127.0.0.1:${sink.port}${path}`, { method: 'POST' }).then((r) => r.json())
const endpoint = `http://127.0.0.1:${sink.port}`

async function once(client, env) {
  await control('/reset')
  if (env.STALL === '1') await control('/stall')
  const r = await runJson(here(`./clients/${client}.mjs`), [], { N, ENDPOINT: endpoint, ...env })
  const counted = await control('/count')
  return { ...r, received: counted.records, requests: counted.requests, wireMB: counted.bytes / 2 ** 20 }
}

async function median(client, env) {
  const runs = []
  for (let i = 0; i < ROUNDS; i++) runs.push(await once(client, env))
  runs.sort((a, b) => b.events / b.seconds - a.events / a.seconds)
  return runs[Math.floor(runs.length / 2)]
}

const fmt = (n) => Math.round(n).toLocaleString('en-US')
console.log(`# OTLP output benchmark — ${new Date().toISOString()} — ${machine()} — N=${N}, median of ${ROUNDS}\n`)
console.log('| setup | events/s | received by the collector | CPU s | peak RSS MB | requests | wire MB |')
console.log('|---|---|---|---|---|---|---|')
const setups = [
  ['logship otlp (protobuf, gzip)', 'logship', {}],
  ['logship otlp (json, gzip)', 'logship', { ENCODING: 'json' }],
  ...(process.env.BASELINE ? [['logship otlp (protobuf, gzip), BASELINE build', 'logship', { LOGSHIP: process.env.BASELINE }]] : []),
  ['OTel SDK, default queue (2048)', 'otel-sdk', {}],
  ['OTel SDK, queue = N (no drops)', 'otel-sdk', { SDK_QUEUE: 'N' }],
]
for (const [label, client, env] of setups) {
  const r = await median(client, env)
  console.log(
    `| ${label} | ${fmt(r.events / r.seconds)} | ${fmt(r.received)} of ${fmt(r.events)} | ${r.cpuSeconds.toFixed(1)} | ${r.peakRssMB} | ${fmt(r.requests)} | ${r.wireMB.toFixed(1)} |`,
  )
}
console.log('\nCollector stalled (accepts connections, never answers): memory stays bounded?\n')
console.log('| setup | events/s written | peak RSS MB |')
console.log('|---|---|---|')
for (const [label, client, env] of [
  ['logship otlp (queue 32 MB, drop-newest)', 'logship', { STALL: '1' }],
  ['OTel SDK, default queue', 'otel-sdk', { STALL: '1' }],
]) {
  const r = await once(client, env)
  console.log(`| ${label} | ${fmt(r.events / r.seconds)} | ${r.peakRssMB} |`)
}
sink.stop()
