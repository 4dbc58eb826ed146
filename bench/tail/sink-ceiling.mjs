// The sink ceiling for the tail bench (issue 19): the fastest a client can push the same
// documents into the same `_bulk` sink. Every body is built before the clock starts (the same
// ECS documents logship's file input sends, one `{"create":{}}` action each, ~5 MB per body);
// then they are POSTed over keep-alive connections with INFLIGHT requests in flight.
// Usage: node bench/tail/sink-ceiling.mjs LOG_FILE SINK_PORT   (prints one JSON line)
// Env: INFLIGHT (default 3), BODY_BYTES (default 5,000,000).
import { readFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'

const [file, port] = process.argv.slice(2)
const INFLIGHT = Number(process.env.INFLIGHT ?? 3)
const BODY_BYTES = Number(process.env.BODY_BYTES ?? 5_000_000)
const PATH = '/bench/_bulk?filter_path=errors,items.*.error,items.*.status'

// ---- build the bodies (not timed) ----
const text = readFileSync(file, 'latin1')
const stamp = new Date().toISOString()
const tail = `,"log":{"offset":`
const after = `,"file":{"path":${JSON.stringify(file)}}},"input":{"type":"file"},"host":{"name":${JSON.stringify(os.hostname())}},"agent":{"type":"logship","version":"0.1.0"},"ecs":{"version":"8.11.0"}}\n`
const bodies = []
let parts = []
let size = 0
let docs = 0
let offset = 0
while (offset < text.length) {
  let nl = text.indexOf('\n', offset)
  if (nl === -1) nl = text.length
  const doc = `{"create":{}}\n{"@timestamp":"${stamp}","message":${JSON.stringify(text.slice(offset, nl))}${tail}${offset}${after}`
  parts.push(doc)
  size += doc.length
  docs++
  offset = nl + 1
  if (size >= BODY_BYTES) {
    bodies.push(Buffer.from(parts.join(''), 'latin1'))
    parts = []
    size = 0
  }
}
if (parts.length) bodies.push(Buffer.from(parts.join(''), 'latin1'))
parts = null

// ---- POST them, INFLIGHT at a time ----
const agent = new http.Agent({ keepAlive: true, maxSockets: INFLIGHT })
function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: Number(port), path: PATH, method: 'POST', agent, headers: { 'content-type': 'application/x-ndjson', 'content-length': body.length } },
      (res) => {
        res.on('data', () => {})
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`sink answered ${res.statusCode}`))))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}
const cpu0 = process.cpuUsage()
const t0 = performance.now()
let next = 0
await Promise.all(
  Array.from({ length: INFLIGHT }, async () => {
    while (next < bodies.length) await post(bodies[next++])
  }),
)
const seconds = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)
agent.destroy()
console.log(JSON.stringify({ docs, bodies: bodies.length, seconds, docsPerSec: Math.round(docs / seconds), cpuSeconds: (cpu.user + cpu.system) / 1e6 }))
