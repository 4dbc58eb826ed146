// pino + pino-elasticsearch in the same process (flushBytes 5 MB, as the reference harness tuned it).
import { once } from 'node:events'
import { SINK_URL, COMPRESSION, RATE, lines, peerRequire } from './common.mjs'

const pino = peerRequire('pino')
const pinoEs = peerRequire('pino-elasticsearch')
const stream = pinoEs({ node: SINK_URL, index: 'logship-bench', esVersion: 8, flushBytes: 5 * 1024 * 1024, flushInterval: 1000, ...(COMPRESSION ? { compression: true } : {}) })
stream.on('insertError', (e) => console.error('insertError', e?.message))
stream.on('error', (e) => console.error('error', e?.message))
const logger = pino({ base: { host: 'bench' }, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'message' }, stream)
for await (const line of lines()) {
  logger.info(line)
  if (!RATE && stream.writableNeedDrain) await once(stream, 'drain')
}
stream.end()
