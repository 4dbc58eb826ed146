// logship library -> elasticsearch output.
import { createShipper } from 'logship'
import { SINK_URL, COMPRESSION, RATE, doc, lines } from './common.mjs'

const shipper = createShipper({
  output: { type: 'elasticsearch', hosts: [SINK_URL], index: 'logship-bench', compression: COMPRESSION ? 'gzip' : false },
  // the throughput run must not drop: block the reader when the queue is full; the sink-down
  // test is an app that must not be held up: the default drop-newest
  queue: RATE ? { maxBytes: '32mb' } : { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 },
  batch: { maxEvents: 8192, maxBytes: '5mb', flushMs: 1000 },
  handleExit: false,
})
shipper.on('error', (e) => console.error('logship error:', e.message))
for await (const line of lines()) shipper.write(doc(line))
await shipper.close()
console.error(JSON.stringify(shipper.stats()))
