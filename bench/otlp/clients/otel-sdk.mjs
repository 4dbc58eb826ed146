// The OpenTelemetry JS SDK's own pipeline: LoggerProvider + BatchLogRecordProcessor +
// OTLPLogExporter (protobuf over HTTP), the same events as the logship client; prints one JSON line.
import { requirePeer } from '../common.mjs'
import { sampleEvent, usage } from '../../lib/run.mjs'

const { LoggerProvider, BatchLogRecordProcessor } = requirePeer('@opentelemetry/sdk-logs')
const { OTLPLogExporter } = requirePeer('@opentelemetry/exporter-logs-otlp-proto')

const N = Number(process.env.N)
const stall = process.env.STALL === '1'
const queue = process.env.SDK_QUEUE === 'N' ? N : 2048 // 2048 is the SDK's default maxQueueSize
const events = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))
const exporter = new OTLPLogExporter({ url: `${process.env.ENDPOINT}/v1/logs` })
const processor = new BatchLogRecordProcessor({ exporter, maxQueueSize: queue, maxExportBatchSize: 512, scheduledDelayMillis: 200 })
const provider = new LoggerProvider({ processors: [processor] })
const logger = provider.getLogger('bench')
const cpu = process.cpuUsage()
const start = performance.now()
for (let i = 0; i < N; i++) {
  const { msg, level, time, ...attributes } = events[i % events.length]
  logger.emit({ body: msg, severityText: level, severityNumber: level === 'warn' ? 13 : 9, timestamp: time, attributes })
  // let the exporter run now and then, as an app's event loop would
  if (i % 1000 === 999) await new Promise((r) => setImmediate(r))
}
if (!stall) await provider.forceFlush()
const seconds = (performance.now() - start) / 1000
if (!stall) await provider.shutdown()
console.log(JSON.stringify({ events: N, seconds, ...usage(cpu) }))
process.exit(0)
