// logship → redis-server: write() objects; flush() resolves when Redis has answered every batch.
// LOGSHIP=<an older build's dist/index.js> runs that build instead (see BASELINE in run.mjs).
import { pathToFileURL } from 'node:url'
import { N, PORT, KEY, events, start, report } from '../common.mjs'

const { createShipper } = await import(process.env.LOGSHIP ? pathToFileURL(process.env.LOGSHIP).href : 'logship')

const dataType = process.env.DATA_TYPE ?? 'list'
const started = start()
const shipper = createShipper({
  output: { type: 'redis', url: `redis://127.0.0.1:${PORT}`, key: KEY, dataType, stream: { maxLen: 0 } },
  queue: { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 },
  batch: { maxEvents: 2048, maxBytes: '4mb', flushMs: 100 },
  handleExit: false,
})
for (let i = 0; i < N; i++) shipper.write(events[i % events.length])
await shipper.flush()
const stats = shipper.stats()
report(started, { acked: stats.acked, dropped: stats.dropped, retried: stats.retried })
await shipper.close()
