// One local sink for the adapter benchmarks: speaks enough Elasticsearch for
// pino-elasticsearch and winston-elasticsearch (POST /_bulk, GET /, x-elastic-product) and
// takes NDJSON on any other POST path (logship's http output). Counts documents either way.
// Usage: node sink.mjs [--stall]   -> prints "PORT <n>"
//   GET  /_sink/stats  -> { docs, bytes, requests, stalled }
//   POST /_sink/reset  -> zero the counters
//   --stall: never answer a write request (and never count it): a sink that has stopped
import http from 'node:http'
import zlib from 'node:zlib'

const stall = process.argv.includes('--stall')
const stats = { docs: 0, bytes: 0, requests: 0, stalled: 0 }
const held = []
const ES = { 'x-elastic-product': 'Elasticsearch', 'content-type': 'application/json' }
const INFO = JSON.stringify({
  name: 'bench',
  cluster_name: 'bench',
  version: { number: '8.15.0', build_flavor: 'default', lucene_version: '9.11.1', minimum_wire_compatibility_version: '7.17.0', minimum_index_compatibility_version: '7.0.0' },
  tagline: 'You Know, for Search',
})
const item = (op) => `{"${op}":{"_index":"bench","_id":"0","_version":1,"result":"created","status":201}}`
const ITEMS = { index: item('index'), create: item('create') }

function countLines(body) {
  let n = 0
  for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) n++
  if (body.length > 0 && body[body.length - 1] !== 10) n++
  return n
}

const server = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    if (req.url === '/_sink/stats') return res.writeHead(200, ES).end(JSON.stringify(stats))
    if (req.url === '/_sink/reset') {
      Object.assign(stats, { docs: 0, bytes: 0, requests: 0 })
      return res.writeHead(200, ES).end('{}')
    }
    if (req.method !== 'POST' && req.method !== 'PUT') return res.writeHead(200, ES).end(req.url === '/' ? INFO : '{"acknowledged":true}')
    if (stall) {
      stats.stalled++
      held.push(res) // never answered
      return
    }
    let body = Buffer.concat(chunks)
    if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body)
    stats.requests++
    stats.bytes += body.length
    if (req.url.includes('_bulk')) {
      const docs = countLines(body) / 2 // action line + source line per document
      stats.docs += docs
      const op = body.subarray(0, 12).toString().includes('"create"') ? 'create' : 'index'
      const items = new Array(docs).fill(ITEMS[op]).join(',')
      return res.writeHead(200, ES).end(`{"took":1,"errors":false,"items":[${items}]}`)
    }
    stats.docs += countLines(body)
    res.writeHead(200, ES).end('{"ok":true}')
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${server.address().port}\n`))
