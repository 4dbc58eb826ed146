// A stand-in OpenTelemetry Collector for the benchmarks, in its own process: POST /v1/logs
// (protobuf or JSON, gzip or plain), decoded with the official definitions to count log
// records, answered with an empty ExportLogsServiceResponse. POST /stall makes it stop
// answering (requests hang), POST /reset zeroes the counters, GET /count reads them.
import http from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import protobuf from 'protobufjs'

const PROTO = fileURLToPath(new URL('../../src/outputs/otlp/proto/', import.meta.url))
const root = new protobuf.Root()
root.resolvePath = (_o, t) => join(PROTO, t)
root.loadSync('opentelemetry/proto/collector/logs/v1/logs_service.proto')
const Request = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest')

let records = 0
let requests = 0
let bytes = 0
let stalled = false

const server = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    if (req.url === '/count') return res.end(JSON.stringify({ records, requests, bytes }))
    if (req.url === '/reset') {
      records = requests = bytes = 0
      stalled = false
      return res.end('{}')
    }
    if (req.url === '/stall') {
      stalled = true
      return res.end('{}')
    }
    if (stalled) return // never answered
    const wire = Buffer.concat(chunks)
    const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire
    const json = String(req.headers['content-type']).startsWith('application/json')
    const message = json ? JSON.parse(body.toString()) : Request.decode(body)
    for (const rl of message.resourceLogs ?? []) for (const sl of rl.scopeLogs ?? []) records += (sl.logRecords ?? []).length
    requests++
    bytes += wire.length
    res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' })
    res.end(json ? '{}' : '')
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`))
