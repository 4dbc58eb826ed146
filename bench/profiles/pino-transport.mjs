// The e2e pino run of bench/adapters (e2e-pino.mjs) for profiling: the same logger calls, but
// the process ends by itself (ends the transport, waits for its worker to close), so that
// `node --cpu-prof` writes a profile for the app thread and for the transport's worker.
// Run: node bench/adapters/sink.mjs (prints PORT n), then
//   SINK_PORT=n MODE=logship-transport|pino-es node --cpu-prof --cpu-prof-dir=DIR bench/profiles/pino-transport.mjs
import pino from 'pino'
import { peerRequire } from '../adapters/peers.mjs'
import { FIELDS, waitForDocs } from '../adapters/common.mjs'

const N = Number(process.env.N ?? 200_000)
const MODE = process.env.MODE
const port = Number(process.env.SINK_PORT)
const base = `http://127.0.0.1:${port}`
const target =
  MODE === 'pino-es'
    ? { target: peerRequire.resolve('pino-elasticsearch'), options: { node: base, index: 'bench', esVersion: 8, flushBytes: 5 * 1024 * 1024, flushInterval: 1000 } }
    : {
        target: 'logship/pino',
        options: {
          output: { type: 'elasticsearch', hosts: [base], index: 'bench', compression: process.env.COMPRESSION === 'gzip' ? 'gzip' : false },
          queue: { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 },
          batch: { maxEvents: 8192, maxBytes: '4mb', flushMs: 200 },
        },
      }
await fetch(`${base}/_sink/reset`, { method: 'POST' })
const transport = pino.transport(target)
const logger = pino(transport)
const cpu0 = process.cpuUsage()
const start = performance.now()
for (let i = 0; i < N; ) {
  for (const end = Math.min(N, i + 1000); i < end; i++) logger.info(FIELDS[i % 10_000], 'request completed')
  await new Promise((r) => setImmediate(r))
}
const seconds = await waitForDocs(port, N, start)
const cpu = process.cpuUsage(cpu0)
console.log(JSON.stringify({ mode: MODE, events: N, seconds: +seconds.toFixed(2), eventsPerSec: Math.round(N / seconds), cpuSeconds: (cpu.user + cpu.system) / 1e6 }))
transport.end()
await new Promise((r) => transport.once('close', r))
