// npm run bench:logstash-warm — logship against the plain-socket baseline inside one process that
// keeps running, as an app does: ROUNDS rounds (default 6) of N events (default 200k), c0, each
// round a new socket for the baseline and a new shipper for logship. The fresh-process runs of
// churn-and-baseline.mjs pay every start-up cost in each round; here the app thread's JIT and
// heap are warm after round 1. Printed: events/s per round (logship's clock from its first
// write() to its last ACK; the socket's from before connect() until the sink counted all) and
// the per-round ratio over rounds 2 on. A shipper's worker is a new thread each round, so its
// start-up is in every logship round.
//   N, ROUNDS, COMPRESSION=0..9, LOGSHIP=<other dist>/index.js
import http from 'node:http'
import { pathToFileURL } from 'node:url'
import { machine } from '../lib/run.mjs'
import { startSink } from './start-sink.mjs'
import { connectBaseline, writeWindows } from './plain-frames.mjs'
import { benchShipperOptions } from './shipper-options.mjs'

const sink = await startSink()
process.env.SINKS = JSON.stringify([{ ports: sink.ports }])
process.env.N ??= '200000'
const { N, events, waitForSinks } = await import('./common.mjs')
const { createShipper } = await import(process.env.LOGSHIP ? pathToFileURL(process.env.LOGSHIP).href : 'logship')
const ROUNDS = Number(process.env.ROUNDS ?? 6)
const level = Number(process.env.COMPRESSION ?? 0)

const resetSink = () =>
  new Promise((resolve, reject) =>
    http
      .request(`http://127.0.0.1:${sink.ports.control}/reset`, { method: 'POST' }, (res) => res.resume().on('end', resolve))
      .on('error', reject)
      .end(),
  )

async function plainSocket() {
  const t0 = performance.now()
  const socket = await connectBaseline(sink.ports.lumberjack)
  await writeWindows(socket, events, N, level)
  await waitForSinks(N)
  const ms = performance.now() - t0
  socket.destroy()
  return ms
}

async function logship() {
  const shipper = createShipper(benchShipperOptions([`127.0.0.1:${sink.ports.lumberjack}`], level))
  const t0 = performance.now()
  for (let i = 0; i < N; i++) shipper.write(events[i % events.length])
  await shipper.flush()
  const ms = performance.now() - t0
  const { acked } = shipper.stats()
  await shipper.close()
  if (acked < N) throw new Error(`logship: ${acked} of ${N} events acknowledged`)
  return ms
}

const rates = { 'plain socket': [], logship: [] }
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of [
    ['plain socket', plainSocket],
    ['logship', logship],
  ]) {
    await resetSink()
    rates[name].push(Math.round(N / ((await run()) / 1000)))
  }
}
sink.stop()

const fmt = (n) => n.toLocaleString('en-US')
const ratios = rates.logship.map((r, i) => r / rates['plain socket'][i]).slice(1)
const sorted = [...ratios].sort((a, b) => a - b)
console.log(`# Logstash output in a warm process — ${new Date().toISOString()} — ${machine()} — N=${N}, compression ${level}, ${ROUNDS} rounds\n`)
console.log('| client | events/s per round |')
console.log('|---|---|')
for (const [name, rs] of Object.entries(rates)) console.log(`| ${name} | ${rs.map(fmt).join(', ')} |`)
console.log(`\nlogship / plain socket, rounds 2–${ROUNDS}: median ${sorted[(sorted.length - 1) >> 1].toFixed(2)}× (${ratios.map((r) => r.toFixed(2)).join(', ')})`)
