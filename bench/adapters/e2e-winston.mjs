// End to end: an app logs N events through winston; seconds until the sink holds all N.
// MODE=logship | winston-es. SINK_PORT: bench/adapters/sink.mjs. Bursts of 1,000 calls, then
// a yield, as a server would. Prints one JSON line (this process, all threads).
import winston from 'winston'
import { LogshipTransport } from 'logship/winston'
import { peerRequire } from './peers.mjs'
import { FIELDS, usage, waitForDocs, report } from './common.mjs'

const N = Number(process.env.N ?? 200_000)
const MODE = process.env.MODE
const port = Number(process.env.SINK_PORT)
const base = `http://127.0.0.1:${port}`
// The peer posts uncompressed bodies: so does logship unless COMPRESSION=gzip (its default is gzip).
const COMPRESSION = process.env.COMPRESSION === 'gzip' ? 'gzip' : false

function makeTransport() {
  if (MODE === 'logship') {
    const output =
      process.env.OUTPUT === 'http' ? { type: 'http', url: `${base}/ingest`, maxInFlight: 2 } : { type: 'elasticsearch', hosts: [base], index: 'bench', compression: COMPRESSION }
    return new LogshipTransport({
      output,
      queue: { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 },
      batch: { maxEvents: 8192, maxBytes: '4mb', flushMs: 200 },
      handleExit: false,
    })
  }
  if (MODE === 'winston-es') {
    const { ElasticsearchTransport } = peerRequire('winston-elasticsearch')
    const t = new ElasticsearchTransport({ level: 'info', index: 'bench', clientOpts: { node: base } })
    t.on('error', (e) => console.error('winston-es error', e?.message))
    return t
  }
  throw new Error(`unknown MODE ${MODE}`)
}

const cpu0 = process.cpuUsage()
const start = performance.now()
const logger = winston.createLogger({ transports: [makeTransport()] })
let appNs = 0n
for (let i = 0; i < N; ) {
  const t = process.hrtime.bigint()
  for (const end = Math.min(N, i + 1000); i < end; i++) logger.info('request completed', FIELDS[i % 10_000])
  appNs += process.hrtime.bigint() - t
  await new Promise((r) => setImmediate(r))
}
const seconds = await waitForDocs(port, N, start)
report({ mode: MODE, events: N, seconds: +seconds.toFixed(2), eventsPerSec: Math.round(N / seconds), appNsPerCall: Number(appNs / BigInt(N)), ...usage(cpu0) })
