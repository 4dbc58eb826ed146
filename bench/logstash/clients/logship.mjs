// logship → Lumberjack v2 sink(s): write() objects, flush() resolves when every event is ACKed.
//   LOGSHIP=/path/to/other/dist/index.js runs another build (before/after comparisons in one run)
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { N, events, sinks, sinkCounts, start, report } from '../common.mjs'
import { benchShipperOptions } from '../shipper-options.mjs'

const { createShipper } = await import(process.env.LOGSHIP ? pathToFileURL(process.env.LOGSHIP).href : 'logship')
const useTls = process.env.TLS_CA !== undefined
const hosts = sinks.map((s) => `127.0.0.1:${useTls ? s.ports.tls : s.ports.lumberjack}`)
// the main clock includes createShipper() (schema, worker start); the second starts at the first write()
const started = start()
const shipper = createShipper(benchShipperOptions(hosts, Number(process.env.COMPRESSION ?? 3), { output: useTls ? { tls: { ca: readFileSync(process.env.TLS_CA, 'utf8') } } : {} }))
const firstWriteAt = performance.now()
for (let i = 0; i < N; i++) shipper.write(events[i % events.length])
await shipper.flush()
const doneAt = performance.now() // every event ACKed
const stats = shipper.stats()
const counts = await sinkCounts()
report(started, counts, { acked: stats.acked, dropped: stats.dropped, retried: stats.retried }, firstWriteAt, doneAt)
await shipper.close()
