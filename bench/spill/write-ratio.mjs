// Durable write() with fsync 'interval' against plain per-record fs.writeSync of the same
// framed bytes (issue 19's goal: >= 70%). Rounds alternate between the two so machine load
// hits both alike; best round of each. Run: npm run build && node bench/spill/write-ratio.mjs
// Env: N (writes per round, default 200,000), ROUNDS (default 3), FSYNC (default interval).
// Wall time and, on Node >= 23.9, the app thread's own CPU time (process.threadCpuUsage), which
// a loaded machine does not inflate the way it does wall time.
import fs from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
// LOGSHIP=<path to another build's dist/index.js> measures that build instead
const { createShipper } = await import(process.env.LOGSHIP ?? 'logship')
import { sampleEvent, machine } from '../lib/run.mjs'

const N = Number(process.env.N ?? 200_000)
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const FSYNC = process.env.FSYNC ?? 'interval'
const dir = fs.mkdtempSync(join(process.cwd(), '.bench-spill-ratio-'))
const texts = Array.from({ length: 10_000 }, (_, i) => JSON.stringify(sampleEvent(i)))
const frames = texts.map((t) => Buffer.concat([Buffer.alloc(24), Buffer.from(t)]))
const threadCpu = () => {
  const u = process.threadCpuUsage?.()
  return u ? u.user + u.system : Number.NaN
}
const start = () => ({ wall: process.hrtime.bigint(), cpu: threadCpu() })
const ns = (t) => ({ wall: Number(process.hrtime.bigint() - t.wall) / N, cpu: ((threadCpu() - t.cpu) * 1000) / N })

function plain(round) {
  const fd = fs.openSync(join(dir, `plain-${round}.bin`), 'w')
  const t = start()
  for (let i = 0; i < N; i++) fs.writeSync(fd, frames[i % 10_000])
  const r = ns(t)
  fs.closeSync(fd)
  return r
}

async function durable(round) {
  const shipper = createShipper({
    output: { type: 'http', url: 'http://127.0.0.1:9/ingest' },
    queue: { durable: true, spill: { dir: join(dir, `spill-${round}`), fsync: FSYNC } },
    retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
    closeTimeoutMs: 10,
    handleExit: false,
  })
  shipper.on('error', () => {})
  const t = start()
  for (let i = 0; i < N; i++) shipper.write(texts[i % 10_000])
  const r = ns(t)
  await shipper.close()
  return r
}

const p = []
const d = []
for (let round = 0; round < ROUNDS; round++) {
  p.push(plain(round))
  d.push(await durable(round))
}
fs.rmSync(dir, { recursive: true, force: true })
const best = (a, k) => Math.min(...a.map((r) => r[k]))
const fmt = (a, k) => a.map((r) => (Number.isNaN(r[k]) ? 'n/a (Node < 23.9)' : Math.round(r[k]))).join(', ')
console.log(
  `# durable write() vs plain writeSync: ${new Date().toISOString()}, ${machine()}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
)
console.log(`| case | wall ns/event (best of ${ROUNDS}) | all rounds | app-thread CPU ns/event (best) | all rounds |\n|---|---:|---|---:|---|`)
console.log(
  `| plain fs.writeSync per record (same bytes, 24-byte header) | ${Math.round(best(p, 'wall'))} | ${fmt(p, 'wall')} | ${Math.round(best(p, 'cpu'))} | ${fmt(p, 'cpu')} |`,
)
console.log(`| durable write(), fsync: '${FSYNC}' | ${Math.round(best(d, 'wall'))} | ${fmt(d, 'wall')} | ${Math.round(best(d, 'cpu'))} | ${fmt(d, 'cpu')} |`)
const pct = (k) => ((best(p, k) / best(d, k)) * 100).toFixed(0)
console.log(`\ndurable / plain (best rounds): wall ${pct('wall')}%, CPU ${pct('cpu')}% (goal: >= 70%)`)
