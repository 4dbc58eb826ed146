// pino + pino-loki (its documented use: a pino destination that batches every `interval`
// seconds and POSTs JSON to /loki/api/v1/push), the same events as the logship client, the
// level as a label like logship's; ends when the stream has closed (pino-loki pushes what it
// holds on close). Prints one JSON line.
import { once } from 'node:events'
import pino from 'pino'
import { pinoLoki } from 'pino-loki'
import { sampleEvent, usage } from '../../lib/run.mjs'

const N = Number(process.env.N)
const events = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))
// BUFFER=0: no cap (pino-loki's maxBufferSize 0); else its default, 10,000, dropping the oldest
const batching = process.env.BUFFER === '0' ? { interval: 1, maxBufferSize: 0 } : undefined
const stream = pinoLoki({ host: process.env.URL, labels: { app: 'bench' }, silenceErrors: true, ...(batching ? { batching } : {}) })
const logger = pino({ base: null, timestamp: false }, stream)
const cpu = process.cpuUsage()
const start = performance.now()
for (let i = 0; i < N; i++) {
  const { level, msg, ...fields } = events[i % events.length]
  logger[level](fields, msg)
  // let the transport run now and then, as an app's event loop would
  if (i % 1000 === 999) await new Promise((r) => setImmediate(r))
}
stream.end()
await once(stream, 'close')
const seconds = (performance.now() - start) / 1000
console.log(JSON.stringify({ events: N, seconds, ...usage(cpu) }))
process.exit(0)
