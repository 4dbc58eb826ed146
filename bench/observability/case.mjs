// One measured run: ship N events to the bench sink, with or without the stats endpoint
// being scraped every SCRAPE_MS. Prints one JSON line.
import { createShipper } from 'logship'

const [port, mode] = process.argv.slice(2)
const N = Number(process.env.EVENTS ?? 500_000)
const SCRAPE_MS = Number(process.env.SCRAPE_MS ?? 100)
const shipper = createShipper({
  output: { type: 'http', url: `http://127.0.0.1:${port}/ingest` },
  queue: { maxBytes: '64mb', whenFull: 'block' },
  ...(mode === 'scraped' ? { http: { port: 0 } } : {}),
})
const url = await shipper.httpUrl()
const scrapeMs = []
let scraping = true
const scraper = (async () => {
  while (url && scraping) {
    const t = performance.now()
    await (await fetch(`${url}/metrics`)).text()
    scrapeMs.push(performance.now() - t)
    await new Promise((r) => setTimeout(r, SCRAPE_MS))
  }
})()
const cpu0 = process.cpuUsage()
const t0 = performance.now()
for (let i = 0; i < N; i++) shipper.write({ level: 'info', msg: 'request handled', i, path: '/api/orders', status: 200, ms: i % 97 })
await shipper.flush()
const seconds = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)
scraping = false
await scraper
let statsCalls = 0
const s0 = performance.now()
while (performance.now() - s0 < 500) {
  shipper.stats()
  statsCalls++
}
const acked = shipper.stats().acked
await shipper.close()
scrapeMs.sort((a, b) => a - b)
console.log(
  JSON.stringify({
    mode,
    events: N,
    acked,
    seconds: Number(seconds.toFixed(2)),
    eventsPerS: Math.round(N / seconds),
    cpuS: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    rssMb: Math.round(process.memoryUsage.rss() / 1024 / 1024),
    scrapes: scrapeMs.length,
    scrapeP50Ms: scrapeMs.length ? Number(scrapeMs[scrapeMs.length >> 1].toFixed(2)) : null,
    scrapeMaxMs: scrapeMs.length ? Number(scrapeMs[scrapeMs.length - 1].toFixed(2)) : null,
    statsCallsPerS: statsCalls * 2,
  }),
)
