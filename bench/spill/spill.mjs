// Spill benchmarks (issue 5): durable write() per fsync mode vs plain sequential writes of
// the same bytes, replay throughput, and durable vs memory-only write() cost.
// Prints a markdown table. Run: npm run bench:spill
import fs from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createShipper } from 'logship'
import { sampleEvent, startProcess, machine } from '../lib/run.mjs'

const N = Number(process.env.N ?? 200_000)
const N_ALWAYS = Number(process.env.N_ALWAYS ?? 2_000)
const dir = fs.mkdtempSync(join(process.cwd(), '.bench-spill-'))
const events = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))
const texts = events.map((e) => JSON.stringify(e))
const DOWN = 'http://127.0.0.1:9/ingest'
const rows = []

function timed(fn) {
  const t = process.hrtime.bigint()
  fn()
  return Number(process.hrtime.bigint() - t) / 1e9
}
const bytesOf = (n) => {
  let b = 0
  for (let i = 0; i < n; i++) b += Buffer.byteLength(texts[i % 10_000]) + 12
  return b
}

// 1. the machine's limit: the same framed bytes, one writeSync per record, and in 1 MiB writes
{
  const frames = texts.map((t) => Buffer.concat([Buffer.alloc(12), Buffer.from(t)]))
  const fd = fs.openSync(join(dir, 'plain.bin'), 'w')
  const s = timed(() => {
    for (let i = 0; i < N; i++) fs.writeSync(fd, frames[i % 10_000])
  })
  fs.closeSync(fd)
  rows.push(['plain fs.writeSync per record (same bytes)', N, s])
  const big = Buffer.concat(frames.slice(0, 3000))
  const fd2 = fs.openSync(join(dir, 'plain2.bin'), 'w')
  const total = bytesOf(N)
  const s2 = timed(() => {
    for (let done = 0; done < total; done += big.length) fs.writeSync(fd2, big)
  })
  fs.closeSync(fd2)
  rows.push(['plain fs.writeSync in ~1 MiB chunks', N, s2])
}

// 2. durable write() per fsync mode (sink down: everything stays in the spill)
async function durable(fsync, n, name) {
  const spillDir = join(dir, `spill-${name}`)
  const shipper = createShipper({
    output: { type: 'http', url: DOWN },
    queue: { durable: true, spill: { dir: spillDir, fsync } },
    retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
    closeTimeoutMs: 10,
    handleExit: false,
  })
  shipper.on('error', () => {})
  const s = timed(() => {
    for (let i = 0; i < n; i++) shipper.write(texts[i % 10_000])
  })
  await shipper.close()
  rows.push([`durable write(), fsync: '${fsync}'`, n, s])
  return spillDir
}
const spillDir = await durable('interval', N, 'interval')
await durable('never', N, 'never')
await durable('always', N_ALWAYS, 'always')

// 3. memory-only write() for the same events (bursts that fit the queue)
{
  // The file output writes only regular files (it refuses /dev/null): a temp file, emptied after each burst.
  const out = join(dir, 'memory-only.ndjson')
  const shipper = createShipper({ output: { type: 'file', path: out }, queue: { maxBytes: '128mb' }, handleExit: false })
  let s = 0
  for (let done = 0; done < N; done += 50_000) {
    s += timed(() => {
      for (let i = done; i < done + 50_000; i++) shipper.write(texts[i % 10_000])
    })
    await shipper.flush()
    fs.truncateSync(out, 0)
  }
  await shipper.close()
  rows.push(['memory-only write() (for comparison)', N, s])
}

// 4. replay: a new process-equivalent shipper with the same dir and a working sink
{
  const sink = await startProcess(fileURLToPath(new URL('../lib/ndjson-sink.mjs', import.meta.url)))
  const start = performance.now()
  const shipper = createShipper({
    output: { type: 'http', url: `http://127.0.0.1:${sink.port}/ingest`, maxInFlight: 2 },
    queue: { durable: true, spill: { dir: spillDir } },
    batch: { maxEvents: 8192, flushMs: 50 },
    handleExit: false,
  })
  await shipper.flush()
  const s = (performance.now() - start) / 1000
  const acked = shipper.stats().acked
  await shipper.close()
  sink.stop()
  rows.push([`replay of the spill into a local sink (${acked} acked)`, acked, s])
}
fs.rmSync(dir, { recursive: true, force: true })

console.log(`# spill benchmark — ${new Date().toISOString()} — ${machine()}\n`)
console.log('| case | events | seconds | events/s | MB/s | ns/event |\n|---|---:|---:|---:|---:|---:|')
for (const [name, n, s] of rows) {
  console.log(`| ${name} | ${n} | ${s.toFixed(3)} | ${Math.round(n / s).toLocaleString('en-US')} | ${(bytesOf(n) / s / 1e6).toFixed(1)} | ${Math.round((s * 1e9) / n)} |`)
}
const plain = rows[0]
const interval = rows[2]
console.log(`\nspill write with fsync 'interval' / plain per-record writeSync: ${((plain[2] / plain[1] / (interval[2] / interval[1])) * 100).toFixed(0)}%`)
