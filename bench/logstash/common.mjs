// Shared by the Logstash benchmark clients: peers, the sinks' counters, the event stream.
import http from 'node:http'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { sampleEvent, usage } from '../lib/run.mjs'

export const peersDir = fileURLToPath(new URL('../.peers/', import.meta.url))

/** Loads a peer package installed by run.mjs into bench/.peers. */
export const requirePeer = createRequire(`${peersDir}package.json`)

export const N = Number(process.env.N ?? 300_000)
export const events = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))
export const avgEventBytes = events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / events.length

/** Sinks from the SINKS env var: a JSON array of {host, ports}. */
export const sinks = JSON.parse(process.env.SINKS ?? '[]')

/**
 * The sinks' counters over node:http, not fetch(): a process's first fetch() loads undici and
 * compiles its HTTP parser (WebAssembly; ~150 ms of CPU on V8's helper threads, measured with
 * perf), and that would land inside every client's measured time, on the cores the client and
 * the sink share.
 */
function getJson(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (d) => (body += d))
        res.on('end', () => resolve(JSON.parse(body)))
      })
      .on('error', reject)
  })
}

export async function sinkCounts() {
  return Promise.all(sinks.map((s) => getJson(`http://127.0.0.1:${s.ports.control}/count`)))
}

// loads node:http's client before any clock starts
if (sinks.length > 0) await sinkCounts()

/** For clients without ACKs: done is when the sinks have counted every event. */
export async function waitForSinks(n) {
  for (;;) {
    const counts = await sinkCounts()
    if (counts.reduce((sum, c) => sum + c.events, 0) >= n) return counts
    await new Promise((r) => setTimeout(r, 2))
  }
}

export function start() {
  return { cpu: process.cpuUsage(), t0: performance.now() }
}

/**
 * Prints the one JSON result line run.mjs reads. `firstWriteAt` (performance.now() just before
 * the first write()) adds the clock issue 17 defines, "write() of the first event to the last
 * ACK", beside the main one, which starts before the client is set up (createShipper, connect).
 * `now`: when the client was done (a client that knows, by its ACKs, stops its clocks there
 * rather than after asking the sinks for their counts).
 */
export function report(started, counts, extra = {}, firstWriteAt = undefined, now = performance.now()) {
  const seconds = (now - started.t0) / 1000
  const fromFirstWrite =
    firstWriteAt === undefined
      ? {}
      : { secondsFromFirstWrite: +((now - firstWriteAt) / 1000).toFixed(3), eventsPerSecFromFirstWrite: Math.round(N / ((now - firstWriteAt) / 1000)) }
  const received = counts.reduce((sum, c) => sum + c.events, 0)
  const badJson = counts.reduce((sum, c) => sum + c.badJson, 0)
  console.log(
    JSON.stringify({
      events: N,
      received,
      perSink: counts.map((c) => c.events),
      badJson,
      seconds: +seconds.toFixed(3),
      eventsPerSec: Math.round(N / seconds),
      MBPerSec: +((N * avgEventBytes) / seconds / 1e6).toFixed(1),
      avgEventBytes: Math.round(avgEventBytes),
      ...fromFirstWrite,
      ...usage(started.cpu),
      ...extra,
    }),
  )
}
