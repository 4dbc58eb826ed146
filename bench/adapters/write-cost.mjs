// App-thread cost of one pino log call: pino → logship's pinoDestination vs pino →
// pino.destination('/dev/null') (sonic-boom), same logger options, same calls, same process.
// Prints one JSON line. Besides wall time, on Node >= 23.9 the app thread's own CPU time per
// call (process.threadCpuUsage), which a loaded machine does not inflate the way it does wall time.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { pinoDestination } from 'logship/pino'
import { FIELDS } from './common.mjs'

const N = Number(process.env.N ?? 500_000)
const sonic = pino.destination('/dev/null')
// The file output writes only regular files (not /dev/null): a temp file, emptied after each round.
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'logship-pino-cost-')), 'out.ndjson')
const destination = pinoDestination({
  output: { type: 'file', path: out },
  queue: { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 },
  handleExit: false,
})
const viaSonic = pino(sonic)
const viaLogship = pino(destination)

const threadCpuUs = () => {
  const u = process.threadCpuUsage?.()
  return u ? u.user + u.system : Number.NaN
}
const cpu = new Map()
function timeIt(logger) {
  const cpuStart = threadCpuUs()
  const start = process.hrtime.bigint()
  for (let i = 0; i < N; i++) logger.info(FIELDS[i % 10_000], 'request completed')
  const wall = Number(process.hrtime.bigint() - start) / N
  cpu.set(logger, [...(cpu.get(logger) ?? []), ((threadCpuUs() - cpuStart) * 1000) / N])
  return wall
}
const settle = async () => {
  await new Promise((r) => sonic.flush(r))
  await destination.shipper.flush()
  fs.truncateSync(out, 0)
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
fs.rmSync(path.dirname(out), { recursive: true, force: true })
const baseNs = Math.min(...base)
const oursNs = Math.min(...ours)
// the warm-up round is left out
const baseCpu = Math.min(...cpu.get(viaSonic).slice(1))
const oursCpu = Math.min(...cpu.get(viaLogship).slice(1))
console.log(
  JSON.stringify({
    calls: N,
    sonicBoomNsPerCall: Math.round(baseNs),
    logshipNsPerCall: Math.round(oursNs),
    ratio: +(oursNs / baseNs).toFixed(2),
    sonicBoomCpuNsPerCall: Math.round(baseCpu),
    logshipCpuNsPerCall: Math.round(oursCpu),
    cpuRatio: +(oursCpu / baseCpu).toFixed(2),
    sonicBoomRounds: base.map(Math.round),
    logshipRounds: ours.map(Math.round),
    dropped: s.dropped,
    acked: s.acked,
  }),
)
