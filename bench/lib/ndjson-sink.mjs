// A fast local NDJSON sink for benchmarks: counts events and bytes, answers 200.
// Usage: node bench/lib/ndjson-sink.mjs [port]  -> prints "PORT <n>"
// GET /_sink/stats -> { events, bytes, requests }
import http from 'node:http'
import zlib from 'node:zlib'

const stats = { events: 0, bytes: 0, requests: 0 }
const server = http.createServer((req, res) => {
  if (req.url === '/_sink/stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats))
    return
  }
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    let body = Buffer.concat(chunks)
    if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body)
    let lines = 0
    for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) lines++
    stats.events += lines
    stats.bytes += body.length
    stats.requests++
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '11' }).end('{"ok":true}')
  })
})
server.keepAliveTimeout = 60_000
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`PORT ${server.address().port}\n`)
})
