// npm winston-logstash: newline-delimited JSON over plain TCP, no ACKs.
import { N, events, sinks, waitForSinks, start, report, requirePeer } from '../common.mjs'

const winston = requirePeer('winston')
const LogstashTransport = requirePeer('winston-logstash/lib/winston-logstash-latest')
const started = start()
const logger = winston.createLogger({
  transports: [new LogstashTransport({ host: '127.0.0.1', port: sinks[0].ports.lines, max_connect_retries: -1 })],
})
for (let i = 0; i < N; i++) {
  const e = events[i % events.length]
  logger.log({ ...e, level: e.level, message: e.msg })
}
const counts = await waitForSinks(N)
report(started, counts)
process.exit(0)
