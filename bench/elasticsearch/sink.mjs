// A fast local Elasticsearch `_bulk` sink for the benchmark: counts documents by scanning action
// lines (sources are skipped with a native newline search), answers a valid bulk reply with one
// item per document (honouring the common filter_path forms), and answers GET / like ES 8.15.
// Started by run.mjs with fork(); it prints "PORT n" and takes IPC messages:
//   { type: 'stats' } -> replies { type: 'stats', ...counters }
//   { type: 'reset' }
//   { type: 'down', ms } -> stops listening and drops every connection for `ms`, then listens again
import http from 'node:http'
import { gunzip } from 'node:zlib'
import { promisify } from 'node:util'

const gunzipAsync = promisify(gunzip)
const INFO = JSON.stringify({
  name: 'bench-sink',
  cluster_name: 'bench',
  cluster_uuid: 'bench',
  version: {
    number: '8.15.0',
    build_flavor: 'default',
    build_type: 'tar',
    build_hash: '0',
    build_date: '2024-08-05T10:05:34.233336849Z',
    build_snapshot: false,
    lucene_version: '9.11.1',
    minimum_wire_compatibility_version: '7.17.0',
    minimum_index_compatibility_version: '7.0.0',
  },
  tagline: 'You Know, for Search',
})
const HEADERS = { 'x-elastic-product': 'Elasticsearch', 'content-type': 'application/json' }

let stats
function reset() {
  stats = { docs: 0, requests: 0, bytes: 0, wireBytes: 0, gzipRequests: 0, firstBulkAt: 0, lastBulkAt: 0, refused: 0 }
}
reset()

// op name from the action line: {"index" / {"create"
function opOf(buf, start) {
  const q = buf.indexOf(34, start)
  return buf[q + 1] === 99 ? 'create' : 'index'
}

const itemCache = new Map()
function itemText(op, mode) {
  const key = op + mode
  let text = itemCache.get(key)
  if (!text) {
    const status = op === 'create' ? 201 : 201
    text =
      mode === 'status'
        ? `{"${op}":{"status":${status}}}`
        : `{"${op}":{"_index":"bench","_id":"x","_version":1,"result":"created","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":${status}}}`
    itemCache.set(key, text)
  }
  return text
}

async function bulk(req, res, wire, query) {
  let body = wire
  if (req.headers['content-encoding'] === 'gzip') {
    body = await gunzipAsync(wire)
    stats.gzipRequests++
  }
  const filter = new URLSearchParams(query).get('filter_path')
  const mode = filter === null ? 'full' : /items\.\*\.status|items\.\*\.\*|^items$/.test(filter) ? 'status' : 'none'
  const items = []
  let docs = 0
  let at = 0
  while (at < body.length) {
    const nl = body.indexOf(10, at)
    const end = nl === -1 ? body.length : nl
    if (end - at > 1) {
      const op = opOf(body, at)
      docs++
      if (mode !== 'none') items.push(itemText(op, mode))
      const next = body.indexOf(10, end + 1) // skip the source line
      at = next === -1 ? body.length : next + 1
    } else {
      at = end + 1
    }
  }
  const now = Date.now()
  stats.docs += docs
  stats.requests++
  stats.bytes += body.length
  stats.wireBytes += wire.length
  stats.firstBulkAt ||= now
  stats.lastBulkAt = now
  let text
  if (mode === 'none') text = filter.includes('errors') ? '{"errors":false}' : '{}'
  else if (mode === 'status' && !filter.includes('took')) text = `{"errors":false,"items":[${items.join(',')}]}`
  else text = `{"took":1,"errors":false,"items":[${items.join(',')}]}`
  res.writeHead(200, { ...HEADERS, 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

const server = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const q = req.url.indexOf('?')
    const path = q === -1 ? req.url : req.url.slice(0, q)
    const query = q === -1 ? '' : req.url.slice(q + 1)
    if (path.endsWith('/_bulk') && (req.method === 'POST' || req.method === 'PUT')) {
      bulk(req, res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), query).catch((err) => {
        res.writeHead(400, HEADERS)
        res.end(JSON.stringify({ error: { type: 'parse_exception', reason: String(err) }, status: 400 }))
      })
      return
    }
    if (path === '/' && req.method === 'HEAD') {
      res.writeHead(200, { ...HEADERS, 'content-length': String(INFO.length) })
      return res.end()
    }
    const text = path === '/' ? INFO : '{"acknowledged":true}'
    res.writeHead(200, { ...HEADERS, 'content-length': Buffer.byteLength(text) })
    res.end(text)
  })
})
server.keepAliveTimeout = 120_000
server.requestTimeout = 0

let port = 0
server.listen(0, '127.0.0.1', () => {
  port = server.address().port
  console.log(`PORT ${port}`)
})

process.on('message', (m) => {
  if (m.type === 'stats') process.send({ type: 'stats', ...stats, cpu: process.cpuUsage() })
  else if (m.type === 'reset') reset()
  else if (m.type === 'down') {
    server.close()
    server.closeAllConnections()
    setTimeout(() => server.listen(port, '127.0.0.1', () => process.send({ type: 'up' })), m.ms)
  }
})
process.on('disconnect', () => process.exit(0))
