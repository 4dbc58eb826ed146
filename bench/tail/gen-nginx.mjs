// Writes N lines of nginx "combined" access log, deterministic (seeded), to a file.
// Usage: node bench/tail/gen-nginx.mjs <out> [lines=1000000] [seed=42]
import { openSync, writeSync, closeSync } from 'node:fs'
import { seededRandom } from '../lib/random.mjs'

const [out, linesArg = '1000000', seedArg = '42'] = process.argv.slice(2)
if (!out) {
  console.error('usage: node bench/tail/gen-nginx.mjs <out> [lines] [seed]')
  process.exit(2)
}
const N = Number(linesArg)
const rnd = seededRandom(Number(seedArg))
const ri = (n) => Math.floor(rnd() * n)
const pick = (a) => a[ri(a.length)]

const ips = Array.from({ length: 2000 }, () => `${1 + ri(223)}.${ri(256)}.${ri(256)}.${1 + ri(254)}`)
const methods = ['GET', 'GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'HEAD', 'DELETE']
const statuses = [200, 200, 200, 200, 200, 200, 200, 304, 301, 404, 404, 500, 502]
const paths = ['/', '/index.html', '/api/v1/orders', '/api/v1/users/42', '/static/app.js', '/static/style.css', '/images/logo.png', '/search', '/login', '/health']
const agents = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  'curl/8.4.0',
  'Go-http-client/1.1',
]
const referers = ['-', '-', 'https://example.com/', 'https://www.google.com/', 'https://example.com/search?q=shoes']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n) => String(n).padStart(2, '0')

const fd = openSync(out, 'w')
let t = Date.UTC(2026, 10, 24, 12, 0, 0)
let batch = []
for (let i = 0; i < N; i++) {
  t += ri(20)
  const d = new Date(t)
  const time = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  const path = pick(paths) + (rnd() < 0.3 ? `?page=${ri(50)}&id=${i}` : '')
  batch.push(`${pick(ips)} - - [${time}] "${pick(methods)} ${path} HTTP/1.1" ${pick(statuses)} ${ri(50000)} "${pick(referers)}" "${pick(agents)}"`)
  if (batch.length === 10000) {
    writeSync(fd, batch.join('\n') + '\n')
    batch = []
  }
}
if (batch.length > 0) writeSync(fd, batch.join('\n') + '\n')
closeSync(fd)
