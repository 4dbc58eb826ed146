// A stand-in Loki for the benchmarks, in its own process: POST /loki/api/v1/push with a
// snappy-compressed logproto.PushRequest (decoded with the checked-in push.proto) or a JSON
// body (plain or gzip), counting the entries it decodes and answering 204 at once.
// POST /reset zeroes the counters, POST /count reads them. Listens on 127.0.0.1 only.
import http from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import protobuf from 'protobufjs'
import snappy from 'snappyjs'

const PROTO = fileURLToPath(new URL('../../src/outputs/loki/proto/', import.meta.url))
const root = new protobuf.Root()
root.resolvePath = (_o, t) => (t.startsWith('gogoproto/') ? null : t.startsWith('google/') ? t : join(PROTO, t))
root.loadSync('push.proto')
root.resolveAll()
const PushRequest = root.lookupType('logproto.PushRequest')

let entries = 0
let streams = 0
let requests = 0
let bytes = 0

const server = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    if (req.url === '/count') return res.end(JSON.stringify({ entries, streams, requests, bytes }))
    if (req.url === '/reset') {
      entries = streams = requests = bytes = 0
      return res.end('{}')
    }
    const wire = Buffer.concat(chunks)
    const type = String(req.headers['content-type'])
    try {
      if (type.startsWith('application/x-protobuf')) {
        for (const s of PushRequest.decode(snappy.uncompress(wire)).streams) {
          streams++
          entries += s.entries.length
        }
      } else {
        const body = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire).toString('utf8'))
        for (const s of body.streams) {
          streams++
          entries += s.values.length
        }
      }
    } catch (err) {
      res.writeHead(400)
      return res.end(`could not decode the push request: ${err.message}`)
    }
    requests++
    bytes += wire.length
    res.writeHead(204)
    res.end()
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`))
