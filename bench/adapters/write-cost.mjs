// App-thread cost of one pino log call: pino → logship's pinoDestination vs pino →
// pino.destination('/dev/null') (sonic-boom), same logger options, same calls, same process.
// Prints one JSON line.
import pino from 'pino'
import { pinoDestination } from 'logship/pino'
import { FIELDS } from './common.mjs'

const N = Number(process.env.N ?? 500_000)
const sonic = pino.destination('/dev/null')
const destination = pinoDestination({
  output: { type: 'file', path: '/dev/null' },
  queue: { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 },
  handleExit: false,
})
const viaSonic = pino(sonic)
const viaLogship = pino(destination)

function timeIt(logger) {
  const start = process.hrtime.bigint()
  for (let i = 0; i < N; i++) logger.info(FIELDS[i % 10_000], 'request completed')
  return Number(process.hrtime.bigint() - start) / N
}
const settle = async () => {
  await new Promise((r) => sonic.flush(r))
  await destination.shipper.flush()
}

timeIt(viaSonic) // warm up both
timeIt(viaLogship)
await settle()
const base = []
const ours = []
for (let round = 0; round < 3; round++) {
  base.push(timeIt(viaSonic))
  await settle()
  ours.push(timeIt(viaLogship))
  await settle()
}
const s = destination.shipper.stats()
await destination.end()
const baseNs = Math.min(...base)
const oursNs = Math.min(...ours)
console.log(
  JSON.stringify({
    calls: N,
    sonicBoomNsPerCall: Math.round(baseNs),
    logshipNsPerCall: Math.round(oursNs),
    ratio: +(oursNs / baseNs).toFixed(2),
    dropped: s.dropped,
    acked: s.acked,
  }),
)
