// Memory of the app process while its sink has stopped answering: the app logs N events
// (bursts of 1,000, yielding between them), then waits a moment; peak RSS of the process.
// MODE=transport-block | transport-drop | destination-drop | destination-sample | pino-es.
// SINK_PORT: bench/adapters/sink.mjs --stall. Prints one JSON line.
import pino from 'pino'
import { pinoDestination } from 'logship/pino'
import { peerRequire } from './peers.mjs'
import { FIELDS, usage, report } from './common.mjs'

const N = Number(process.env.N ?? 300_000)
const MODE = process.env.MODE
const base = `http://127.0.0.1:${process.env.SINK_PORT}`
const output = { type: 'http', url: `${base}/ingest` }
const queue = { maxBytes: '32mb' }

let destination
function makeLogger() {
  switch (MODE) {
    case 'transport-block':
      return pino(pino.transport({ target: 'logship/pino', options: { output, queue: { ...queue, whenFull: 'block', maxBlockMs: 600_000 } } }))
    case 'transport-drop':
      return pino(pino.transport({ target: 'logship/pino', options: { output, queue } }))
    case 'destination-drop':
      destination = pinoDestination({ output, queue, handleExit: false })
      return pino(destination)
    case 'destination-sample':
      destination = pinoDestination({ output, queue: { ...queue, whenFull: 'sample' }, handleExit: false })
      return pino(destination)
    case 'pino-es':
      return pino(
        pino.transport({
          target: peerRequire.resolve('pino-elasticsearch'),
          options: { node: base, index: 'bench', esVersion: 8, flushBytes: 5 * 1024 * 1024, flushInterval: 1000 },
        }),
      )
  }
  throw new Error(`unknown MODE ${MODE}`)
}

const cpu0 = process.cpuUsage()
const logger = makeLogger()
for (let i = 0; i < N; ) {
  for (const end = Math.min(N, i + 1000); i < end; i++) logger.info(FIELDS[i % 10_000], 'request completed')
  await new Promise((r) => setImmediate(r))
}
await new Promise((r) => setTimeout(r, 3000))
const heapMB = Math.round(process.memoryUsage().heapUsed / 2 ** 20)
const s = destination?.shipper.stats()
report({ mode: MODE, events: N, heapUsedMBAfter: heapMB, ...(s ? { accepted: s.accepted, dropped: s.dropped, sampledOut: s.sampledOut } : {}), ...usage(cpu0) })
