// App-thread cost of shipper.write() per kind of event in the benchmark's mix: objects
// (sampleEvent), JSON object texts (what pino and winston hand over) and plain text lines.
// Prints one JSON line: ns per write() for each kind and for the whole mix.
// LOGSHIP_DIST=/path/to/dist measures another build (e.g. before a change) the same way.
import { mkdtempSync, rmSync, truncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { sampleEvent } from '../lib/run.mjs'

const dist = process.env.LOGSHIP_DIST
const { createShipper } = await import(dist ? `${dist}/index.js` : 'logship')
const N = Number(process.env.N ?? 400_000)
const BURST = 20_000
const objects = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))
const texts = objects.map((e) => JSON.stringify(e))
const lines = objects.map((e) => `${e.req.method} ${e.req.url} ${e.res.statusCode} ${e.responseTime}ms ${e.userAgent}`)
const mix = objects.map((e, i) => (i % 10 < 6 ? e : i % 10 < 9 ? texts[i] : lines[i]))

// a regular file (the file output refuses /dev/null), emptied after every burst
const out = join(mkdtempSync(join(tmpdir(), 'logship-write-mix-')), 'out.ndjson')
const shipper = createShipper({
  output: { type: 'file', path: out },
  queue: { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 },
  handleExit: false,
})

async function nsPerWrite(events) {
  let ns = 0n
  for (let done = 0; done < N; done += BURST) {
    const start = process.hrtime.bigint()
    for (let i = done; i < done + BURST; i++) shipper.write(events[i % events.length])
    ns += process.hrtime.bigint() - start
    await shipper.flush()
    truncateSync(out, 0)
  }
  return Number(ns) / N
}

const kinds = { objects, texts, lines, mix }
for (const events of Object.values(kinds)) await nsPerWrite(events) // warm up
const best = {}
for (let round = 0; round < 3; round++) {
  for (const [name, events] of Object.entries(kinds)) best[name] = Math.min(best[name] ?? Infinity, await nsPerWrite(events))
}
const s = shipper.stats()
await shipper.close()
rmSync(dirname(out), { recursive: true, force: true })
console.log(JSON.stringify({ events: N, ...Object.fromEntries(Object.entries(best).map(([k, v]) => [`${k}NsPerWrite`, Math.round(v)])), dropped: s.dropped }))
