// End to end: an app logs N events through pino; seconds until the sink holds all N.
// MODE=logship-transport | logship-destination | pino-es. SINK_PORT: bench/adapters/sink.mjs.
// The app logs in bursts of 1,000 calls and yields between bursts, as a server would.
// Prints one JSON line (CPU and peak RSS are this process's, all threads included).
import pino from 'pino'
import { pinoDestination } from 'logship/pino'
import { peerRequire } from './peers.mjs'
import { FIELDS, usage, waitForDocs, report } from './common.mjs'

const N = Number(process.env.N ?? 200_000)
const MODE = process.env.MODE
const port = Number(process.env.SINK_PORT)
const base = `http://127.0.0.1:${port}`
// The peer posts uncompressed bodies: so does logship unless COMPRESSION=gzip (its default is gzip).
const COMPRESSION = process.env.COMPRESSION === 'gzip' ? 'gzip' : false
// OUTPUT=http switches logship to its NDJSON http output (default: elasticsearch, like the peer)
const output =
  process.env.OUTPUT === 'http' ? { type: 'http', url: `${base}/ingest`, maxInFlight: 2 } : { type: 'elasticsearch', hosts: [base], index: 'bench', compression: COMPRESSION }
const logshipOptions = {
  output,
  queue: { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 },
  batch: { maxEvents: 8192, maxBytes: '4mb', flushMs: 200 },
  ...(process.env.THREAD ? { thread: process.env.THREAD } : {}),
}

function makeLogger() {
  if (MODE === 'logship-transport') return pino(pino.transport({ target: 'logship/pino', options: logshipOptions }))
  if (MODE === 'logship-destination') return pino(pinoDestination({ ...logshipOptions, handleExit: false }))
  if (MODE === 'pino-es') {
    const target = peerRequire.resolve('pino-elasticsearch')
    return pino(pino.transport({ target, options: { node: base, index: 'bench', esVersion: 8, flushBytes: 5 * 1024 * 1024, flushInterval: 1000 } }))
  }
  throw new Error(`unknown MODE ${MODE}`)
}

const cpu0 = process.cpuUsage()
const start = performance.now()
const logger = makeLogger()
let appNs = 0n
for (let i = 0; i < N; ) {
  const t = process.hrtime.bigint()
  for (const end = Math.min(N, i + 1000); i < end; i++) logger.info(FIELDS[i % 10_000], 'request completed')
  appNs += process.hrtime.bigint() - t
  await new Promise((r) => setImmediate(r))
}
const seconds = await waitForDocs(port, N, start)
report({ mode: MODE, events: N, seconds: +seconds.toFixed(2), eventsPerSec: Math.round(N / seconds), appNsPerCall: Number(appNs / BigInt(N)), ...usage(cpu0) })
