// Only shipper.write(obj) in bursts (for node --cpu-prof): N events of bench/lib sampleEvent.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { sampleEvent } from '../lib/run.mjs'

const { createShipper } = await import(process.env.LOGSHIP ? pathToFileURL(process.env.LOGSHIP).href : 'logship')
const N = Number(process.env.N ?? 2_000_000)
const BURST = 20_000
const events = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'logship-write-loop-')), 'out.ndjson')
const shipper = createShipper({ output: { type: 'file', path: out }, queue: { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 }, handleExit: false })
for (let done = 0; done < N; done += BURST) {
  for (let i = done; i < done + BURST; i++) shipper.write(events[i % 10_000])
  await shipper.flush()
  fs.truncateSync(out, 0)
}
await shipper.close()
fs.rmSync(path.dirname(out), { recursive: true, force: true })
