// Deterministic nginx "combined" access-log lines (about 190 B each), written to a file once.
// Usage: node gen-lines.mjs N OUT
import fs from 'node:fs'
import { seededRandom } from '../lib/random.mjs'

const [n, out] = [Number(process.argv[2]), process.argv[3]]
const rnd = seededRandom(42)
const ri = (k) => Math.floor(rnd() * k)
const pick = (a) => a[ri(a.length)]
const ips = Array.from({ length: 5000 }, () => `${1 + ri(223)}.${ri(256)}.${ri(256)}.${1 + ri(254)}`)
const methods = ['GET', 'GET', 'GET', 'GET', 'POST', 'PUT', 'HEAD']
const statuses = [200, 200, 200, 200, 200, 200, 304, 301, 404, 500]
const sections = ['api/v1/users', 'api/v1/orders', 'api/v2/search', 'static/js', 'images/products', 'blog', 'checkout']
const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet']
const agents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'curl/8.5.0',
  'kube-probe/1.29',
]
const refs = ['-', '-', 'https://www.example.com/', 'https://www.google.com/']
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (k) => String(k).padStart(2, '0')
let ts = Date.UTC(2024, 5, 1)
const fd = fs.openSync(out, 'w')
for (let i = 0; i < n; i += 20_000) {
  let text = ''
  for (let j = 0; j < Math.min(20_000, n - i); j++) {
    ts += ri(4)
    const d = new Date(ts)
    const time = `${pad(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
    const path = `/${pick(sections)}/${pick(words)}-${ri(100000).toString(36)}${rnd() < 0.3 ? `?page=${1 + ri(50)}` : ''}`
    text += `${pick(ips)} - - [${time}] "${pick(methods)} ${path} HTTP/1.1" ${pick(statuses)} ${200 + ri(150000)} "${pick(refs)}" "${pick(agents)}"\n`
  }
  fs.writeSync(fd, text)
}
fs.closeSync(fd)
