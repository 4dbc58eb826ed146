// winston + winston-elasticsearch (package defaults: buffering, a flush every 2 s).
import { SINK_URL, lines, peerRequire } from './common.mjs'

const winston = peerRequire('winston')
const { ElasticsearchTransport } = peerRequire('winston-elasticsearch')
const transport = new ElasticsearchTransport({ level: 'info', index: 'logship-bench', clientOpts: { node: SINK_URL } })
transport.on('error', (e) => console.error('transport error', e?.message))
const logger = winston.createLogger({ transports: [transport] })
logger.on('error', (e) => console.error('logger error', e?.message))
for await (const line of lines()) logger.info(line, { host: 'bench' })
