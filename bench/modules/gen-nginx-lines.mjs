import { seededRandom } from '../lib/random.mjs'

// Deterministic generator of nginx "combined" access lines (the shape of real traffic:
// a few busy clients, 15% IPv6, mostly GET, realistic paths, referrers and agents, several
// lines per second so times repeat). Yields chunks of lines so a million need little memory.

export function* nginxLineChunks(total, { seed = 42, chunk = 50_000 } = {}) {
  const rnd = seededRandom(seed)
  const ri = (n) => Math.floor(rnd() * n)
  const pick = (a) => a[ri(a.length)]
  const weighted = (pairs) => {
    const total = pairs.reduce((s, [, w]) => s + w, 0)
    return () => {
      let r = rnd() * total
      for (const [v, w] of pairs) if ((r -= w) < 0) return v
      return pairs[pairs.length - 1][0]
    }
  }
  const clients = Array.from({ length: 5000 }, () =>
    rnd() < 0.15 ? `2001:db8:${ri(65536).toString(16)}::${ri(65536).toString(16)}` : `${1 + ri(223)}.${ri(256)}.${ri(256)}.${1 + ri(254)}`,
  )
  const client = () => clients[Math.floor(clients.length * rnd() ** 3)]
  const users = ['-', '-', '-', '-', '-', '-', '-', '-', 'alice', 'bob', 'svc-deploy']
  const method = weighted([
    ['GET', 80],
    ['POST', 12],
    ['PUT', 2],
    ['DELETE', 1],
    ['HEAD', 3],
    ['OPTIONS', 1],
    ['PATCH', 1],
  ])
  const proto = weighted([
    ['HTTP/1.1', 70],
    ['HTTP/2.0', 28],
    ['HTTP/1.0', 2],
  ])
  const status = weighted([
    [200, 75],
    [304, 6],
    [301, 3],
    [302, 3],
    [204, 2],
    [400, 2],
    [401, 1],
    [403, 1],
    [404, 5],
    [499, 0.5],
    [500, 0.6],
    [502, 0.3],
    [503, 0.2],
  ])
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima']
  const path = () => {
    const r = rnd()
    if (r < 0.05) return '/healthz'
    if (r < 0.35) return `/static/${pick(['js', 'css', 'img'])}/${pick(words)}-${ri(100000).toString(36)}.${pick(['js', 'css', 'png', 'webp'])}`
    if (r < 0.75) {
      let p = `/api/v${1 + ri(2)}/${pick(['users', 'orders', 'search', 'cart'])}`
      if (rnd() < 0.6) p += `/${ri(1_000_000)}`
      if (rnd() < 0.4) p += `?page=${1 + ri(50)}&limit=${pick([10, 20, 50])}${rnd() < 0.3 ? `&q=${pick(words)}%20${pick(words)}` : ''}`
      return p
    }
    return `/${pick(['blog', 'docs', 'account'])}/${pick(words)}-${pick(words)}${rnd() < 0.2 ? `?utm_source=${pick(['google', 'newsletter'])}` : ''}`
  }
  const referrers = ['-', '-', '-', 'https://www.example.com/', 'https://www.google.com/', 'https://shop.example.com/checkout']
  const agents = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
    'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'curl/8.5.0',
    'python-requests/2.31.0',
    'kube-probe/1.29',
  ]
  const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  const pad = (n) => (n < 10 ? `0${n}` : `${n}`)
  let ms = Date.UTC(2024, 5, 1)
  let lastSecond = -1
  let timeText = ''
  const time = () => {
    ms += ri(4)
    const second = Math.floor(ms / 1000)
    if (second !== lastSecond) {
      lastSecond = second
      const d = new Date(second * 1000)
      timeText = `${pad(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
    }
    return timeText
  }
  for (let done = 0; done < total; done += chunk) {
    const lines = []
    for (let i = 0; i < Math.min(chunk, total - done); i++) {
      const m = method()
      const st = m === 'HEAD' ? 200 : status()
      const size = st === 304 || st === 204 || m === 'HEAD' ? 0 : Math.floor(200 + rnd() ** 2 * 150000)
      lines.push(`${client()} - ${pick(users)} [${time()}] "${m} ${path()} ${proto()}" ${st} ${size} "${pick(referrers)}" "${pick(agents)}"`)
    }
    // Flat strings, as a reader gets them from decoding a file chunk and splitting it
    // (template-built strings are ropes, which would make the parser pay for flattening).
    yield lines.join('\n').split('\n')
  }
}
