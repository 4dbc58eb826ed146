// Tail-mode soak: a writer at 3,000 lines/s, the real logrotate (copytruncate, rotate 1000,
// optionally compress + delaycompress) every 5 s, sink outages (503 for 15 s every minute), and one
// kill -9 of logship half-way, into an Elasticsearch-like sink that stores documents by `_id`
// (create: 201, or 409 when the id is already stored) with `idempotent: true`.
// Reports lines written, unique lines stored, duplicate documents, lines lost (on disk but
// never stored) and lines copytruncate itself lost (in no file).
// Usage: npm run build && node bench/tail/soak.mjs [seconds=600] [compress]
import http from 'node:http'
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, openSync, writeSync, readdirSync, readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { join, dirname } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'

const SECONDS = Number(process.argv[2] ?? 600)
// `compress` (gzip the copies, with delaycompress): a copy is gzipped 5-10 s after rotation, so
// lines logship has not read by then (it cannot while the sink is down) are only in a .gz.
const COMPRESS = process.argv[3] === 'compress'
const RATE = 3000
const ROTATE_EVERY_MS = 5000
const OUTAGE_EVERY_MS = 60_000
const OUTAGE_MS = 15_000
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const CLI = join(ROOT, 'dist', 'cli.js')

const dir = mkdtempSync(join(tmpdir(), 'logship-soak-'))
const log = join(dir, 'app.log')
writeFileSync(log, '')

// --- the sink ---------------------------------------------------------------------------
const docsById = new Map() // _id -> line id
const docsPerLine = new Map() // line id -> documents stored
let conflicts = 0
let down = false
const sink = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    if (req.method === 'GET')
      return res
        .writeHead(200, { 'x-elastic-product': 'Elasticsearch', 'content-type': 'application/json' })
        .end(JSON.stringify({ version: { number: '8.15.0' }, tagline: 'You Know, for Search' }))
    if (down) return res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"soak outage","status":503}')
    let body = Buffer.concat(chunks)
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body)
    const lines = body.toString('utf8').split('\n')
    const items = []
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const action = JSON.parse(lines[i]).create
      const id = action?._id
      const m = /id=(\d+)/.exec(JSON.parse(lines[i + 1]).message ?? '')
      if (id !== undefined && docsById.has(id)) {
        conflicts++
        items.push({ create: { _id: id, status: 409, error: { type: 'version_conflict_engine_exception', reason: 'document already exists' } } })
        continue
      }
      const key = id ?? `auto-${docsById.size}`
      docsById.set(key, m ? Number(m[1]) : -1)
      if (m) docsPerLine.set(Number(m[1]), (docsPerLine.get(Number(m[1])) ?? 0) + 1)
      items.push({ create: { _id: key, status: 201 } })
    }
    res
      .writeHead(200, { 'x-elastic-product': 'Elasticsearch', 'content-type': 'application/json' })
      .end(JSON.stringify({ errors: items.some((x) => x.create.status !== 201), items }))
  })
})
await new Promise((r) => sink.listen(0, '127.0.0.1', r))
const port = sink.address().port

// --- logship ----------------------------------------------------------------------------
const cfg = join(dir, 'logship.yml')
writeFileSync(
  cfg,
  `inputs:
  - type: file
    paths: ['${dir}/app.log*']
    excludeFiles: ['\\.gz$']
output: { type: elasticsearch, hosts: ['http://127.0.0.1:${port}'], index: soak, idempotent: true }
registry: { path: ${dir}/registry.json }
statsIntervalMs: 0
`,
)
let logship
let stderr = ''
function startLogship() {
  logship = spawn(process.execPath, [CLI, 'run', '-c', cfg], { stdio: ['ignore', 'ignore', 'pipe'] })
  logship.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
}
startLogship()

// --- the writer and logrotate -----------------------------------------------------------
const conf = join(dir, 'logrotate.conf')
writeFileSync(conf, `${log} {\n  rotate 1000\n  missingok\n  copytruncate\n${COMPRESS ? '  compress\n  delaycompress\n' : '  nocompress\n'}}\n`, { mode: 0o644 })
let written = 0
const started = Date.now()
const fd = openSync(log, 'a')
const pad = 'x'.repeat(60)
const writer = setInterval(() => {
  const due = Math.floor(((Date.now() - started) / 1000) * RATE)
  let text = ''
  while (written < due) text += `${new Date().toISOString()} id=${written++} ${pad}\n`
  if (text) writeSync(fd, text)
}, 20)
const rotations = setInterval(() => execFileSync('/usr/sbin/logrotate', ['-f', '-s', join(dir, 'logrotate.state'), conf]), ROTATE_EVERY_MS)
const outages = setInterval(() => {
  down = true
  setTimeout(() => (down = false), OUTAGE_MS)
}, OUTAGE_EVERY_MS)
const crash = setTimeout(
  () => {
    logship.kill('SIGKILL')
    logship.once('exit', startLogship)
  },
  (SECONDS * 1000) / 2,
)

await new Promise((r) => setTimeout(r, SECONDS * 1000))
clearInterval(writer)
clearInterval(rotations)
clearInterval(outages)
clearTimeout(crash)
down = false

// Lines on disk (gzip unpacked): what a reader could have seen.
const onDisk = new Set()
const inPlainFiles = new Set()
for (const name of readdirSync(dir)) {
  if (!name.startsWith('app.log')) continue
  const raw = readFileSync(join(dir, name))
  for (const m of (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').matchAll(/id=(\d+)/g)) {
    onDisk.add(Number(m[1]))
    if (!name.endsWith('.gz')) inPlainFiles.add(Number(m[1]))
  }
}
const drainedBy = Date.now() + 120_000
while (Date.now() < drainedBy && [...inPlainFiles].some((id) => !docsPerLine.has(id))) await new Promise((r) => setTimeout(r, 1000))
logship.kill('SIGTERM')
await new Promise((r) => logship.once('exit', r))
sink.close()

let duplicates = 0
for (const n of docsPerLine.values()) if (n > 1) duplicates += n - 1
const lost = [...inPlainFiles].filter((id) => !docsPerLine.has(id)).length
const onlyInGzip = [...onDisk].filter((id) => !inPlainFiles.has(id) && !docsPerLine.has(id)).length
const notOnDisk = Array.from({ length: written }, (_, i) => i).filter((id) => !onDisk.has(id))
const gapShipped = notOnDisk.filter((id) => docsPerLine.has(id)).length
const result = {
  seconds: SECONDS,
  linesWritten: written,
  uniqueStored: docsPerLine.size,
  duplicateDocuments: duplicates,
  compress: COMPRESS,
  lost,
  notShippedOnlyInGzip: onlyInGzip,
  copytruncateGap: notOnDisk.length - gapShipped,
  gapLinesShippedAnyway: gapShipped,
  conflicts409: conflicts,
  rotations: Math.floor((SECONDS * 1000) / ROTATE_EVERY_MS),
  outages: Math.floor((SECONDS * 1000) / OUTAGE_EVERY_MS),
  kill9: 1,
}
console.log(JSON.stringify(result, null, 2))
if (lost > 0 || duplicates > 0)
  console.error(
    stderr
      .split('\n')
      .filter((l) => /warning|again from the start/.test(l))
      .slice(0, 20)
      .join('\n'),
  )
