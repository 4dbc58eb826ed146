// npm run bench:logstash — the Logstash output (issue 4) against the npm peers, same run,
// same events, same machine. Prints markdown tables (paste into docs/benchmarks.md).
//   N=300000 (events per run). Peers are installed into bench/.peers on first use.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runJson, machine } from '../lib/run.mjs'
import { peersDir } from './common.mjs'
import { startSink } from './start-sink.mjs'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const N = process.env.N ?? '300000'
const PEERS = ['lumberjack-client@1.0.3', 'lumberjack-protocol@1.0.7', 'winston-logstash@2.1.1', 'winston@3']

function installPeers() {
  if (PEERS.every((p) => existsSync(join(peersDir, 'node_modules', p.slice(0, p.lastIndexOf('@')), 'package.json')))) return
  mkdirSync(peersDir, { recursive: true })
  writeFileSync(join(peersDir, 'package.json'), JSON.stringify({ private: true, description: 'bench-only peers (npm run bench:logstash)' }))
  console.error(`installing ${PEERS.join(', ')} into ${peersDir}`)
  execFileSync('npm', ['install', '--prefix', peersDir, '--no-audit', '--no-fund', ...PEERS], { stdio: ['ignore', 'ignore', 'inherit'] })
}

/** A CA and a server certificate for 127.0.0.1, or undefined without the openssl CLI. */
function makeCerts() {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'logship-bench-tls-'))
    const run = (args) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
    run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=bench CA', '-days', '1'])
    run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'])
    writeFileSync(join(dir, 'ext'), 'subjectAltName=IP:127.0.0.1\n')
    run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'ext', '-out', 'server.crt'])
    return { caPath: join(dir, 'ca.crt'), key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.crt'), 'utf8') }
  } catch {
    return undefined
  }
}

async function run(client, sinks, env = {}) {
  await Promise.all(sinks.map((s) => fetch(`http://127.0.0.1:${s.ports.control}/reset`, { method: 'POST' })))
  const r = await runJson(here(`./clients/${client}.mjs`), [], { N, SINKS: JSON.stringify(sinks.map((s) => ({ ports: s.ports }))), ...env })
  if (r.received < r.events - (r.dropped ?? 0)) throw new Error(`${client}: the sinks counted ${r.received} of ${r.events} events`)
  if (r.badJson > 0) throw new Error(`${client}: ${r.badJson} sampled events were not JSON`)
  return r
}

const fmt = (n) => n.toLocaleString('en-US')
const row = (cells) => `| ${cells.join(' | ')} |`

installPeers()
const certs = makeCerts()
console.log(`# Logstash output benchmark — ${new Date().toISOString()} — ${machine()} — N=${N}\n`)

// ---- one server --------------------------------------------------------------------
// The machine is shared: every setup runs ROUNDS times, interleaved, and the median run (by
// events/s) is reported. A setup whose first run takes over 20 s runs once.
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const sink = await startSink(certs ? { key: certs.key, cert: certs.cert } : {})
const setups = [
  ['logship', 'Lumberjack v2 + ACKs', 'TCP', '0', () => run('logship', [sink], { COMPRESSION: '0' })],
  ['logship', 'Lumberjack v2 + ACKs', 'TCP', '3', () => run('logship', [sink], { COMPRESSION: '3' })],
  ...(certs ? [['logship', 'Lumberjack v2 + ACKs', 'TLS', '0', () => run('logship', [sink], { COMPRESSION: '0', TLS_CA: certs.caPath })]] : []),
  ['lumberjack-client 1.0.3', 'Lumberjack v2, ACKs ignored', 'TCP', 'zlib 6 (per event)', () => run('lumberjack-client', [sink])],
  ...(certs ? [['lumberjack-protocol 1.0.7', 'Lumberjack v1 + ACKs', 'TLS', '0', () => run('lumberjack-protocol', [sink], { TLS_CA: certs.caPath })]] : []),
  ['winston-logstash 2.1.1', 'JSON lines, no ACKs', 'TCP', '0', () => run('winston-logstash', [sink])],
]
const results = setups.map(() => [])
for (let round = 0; round < ROUNDS; round++) {
  for (const [k, setup] of setups.entries()) {
    if (round > 0 && results[k][0].seconds > 20) continue
    results[k].push(await setup[4]())
  }
}
async function medianOf(setup) {
  const runs = []
  for (let round = 0; round < ROUNDS; round++) runs.push(await setup())
  return median(runs)
}
const median = (runs) => [...runs].sort((x, y) => x.eventsPerSec - y.eventsPerSec)[Math.floor((runs.length - 1) / 2)]
const one = setups.map((setup, k) => [...setup.slice(0, 4), median(results[k]), results[k]])
sink.stop()

const winstonRate = one.find((r) => r[0].startsWith('winston-logstash'))[4].eventsPerSec
console.log('## One local Lumberjack server\n')
console.log(row(['client', 'protocol', 'transport', 'compression', 'events/s (median)', 'MB/s', 'CPU s', 'peak RSS MB', 'rate vs winston-logstash', 'all runs, events/s']))
console.log(row(['---', '---', '---', '---', '---:', '---:', '---:', '---:', '---:', '---']))
for (const [client, protocol, transport, compression, r, runs] of one) {
  console.log(
    row([
      client,
      protocol,
      transport,
      compression,
      fmt(r.eventsPerSec),
      r.MBPerSec,
      r.cpuSeconds.toFixed(2),
      r.peakRssMB,
      `${(r.eventsPerSec / winstonRate).toFixed(2)}×`,
      runs.map((x) => fmt(x.eventsPerSec)).join(', '),
    ]),
  )
}
const dropped = one.find((r) => r[0].startsWith('lumberjack-protocol'))?.[4].dropped
if (dropped) console.log(`\n(lumberjack-protocol dropped ${dropped} events)`)

// ---- two servers, load balancing ---------------------------------------------------
const a = await startSink()
const b = await startSink()
console.log(`\n## Two local Lumberjack servers, loadBalance: true (median of ${ROUNDS} runs)\n`)
console.log(row(['compression', 'events/s', 'MB/s', 'events per server', 'CPU s', 'peak RSS MB']))
console.log(row(['---', '---:', '---:', '---', '---:', '---:']))
for (const compression of ['0', '3']) {
  const r = await medianOf(() => run('logship', [a, b], { COMPRESSION: compression }))
  console.log(row([compression, fmt(r.eventsPerSec), r.MBPerSec, r.perSink.map(fmt).join(' / '), r.cpuSeconds.toFixed(2), r.peakRssMB]))
}
a.stop()
b.stop()

// ---- a node ten times slower -------------------------------------------------------
const quick = await startSink({ ackDelayMs: 20 })
const slow = await startSink({ ackDelayMs: 200 })
console.log(`\n## One node ten times slower (ACK after 20 ms vs 200 ms per window), compression 3 (median of ${ROUNDS} runs)\n`)
console.log(row(['servers', 'events/s', 'events per server (fast / slow)']))
console.log(row(['---', '---:', '---']))
const alone = await medianOf(() => run('logship', [quick], { COMPRESSION: '3' }))
console.log(row(['fast node alone', fmt(alone.eventsPerSec), fmt(alone.perSink[0])]))
const both = await medianOf(() => run('logship', [quick, slow], { COMPRESSION: '3' }))
console.log(row(['fast + slow node', fmt(both.eventsPerSec), both.perSink.map(fmt).join(' / ')]))
quick.stop()
slow.stop()
