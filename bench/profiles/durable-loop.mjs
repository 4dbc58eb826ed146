import fs from 'node:fs'
import { join } from 'node:path'
import { createShipper } from 'logship'
import { sampleEvent } from '../lib/run.mjs'
const N = Number(process.env.N ?? 200_000)
const texts = Array.from({ length: 10_000 }, (_, i) => JSON.stringify(sampleEvent(i)))
const dir = fs.mkdtempSync('.bench-prof-')
const shipper = createShipper({
  output: { type: 'http', url: 'http://127.0.0.1:9/ingest' },
  queue: { durable: true, spill: { dir: join(dir, 's'), fsync: process.env.FSYNC ?? 'interval' } },
  retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
  closeTimeoutMs: 10,
  handleExit: false,
})
shipper.on('error', () => {})
const t = performance.now()
for (let i = 0; i < N; i++) shipper.write(texts[i % 10_000])
console.log('ns/event', (((performance.now() - t) * 1e6) / N).toFixed(0))
await shipper.close()
fs.rmSync(dir, { recursive: true, force: true })
