// Shared by the Logstash benchmark clients: peers, the sinks' counters, the event stream.
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

export async function sinkCounts() {
  return Promise.all(sinks.map(async (s) => (await fetch(`http://127.0.0.1:${s.ports.control}/count`)).json()))
}

/** For clients without ACKs: done is when the sinks have counted every event. */
export async function waitForSinks(n) {
  for (;;) {
    const counts = await sinkCounts()
    if (counts.reduce((sum, c) => sum + c.events, 0) >= n) return counts
    await new Promise((r) => setTimeout(r, 10))
  }
}

export function start() {
  return { cpu: process.cpuUsage(), t0: performance.now() }
}

/**
 * Prints the one JSON result line run.mjs reads. `firstWriteAt` (performance.now() just before
 * the first write()) adds the clock issue 17 defines, "write() of the first event to the last
 * ACK", beside the main one, which starts before the client is set up (createShipper, connect).
 */
export function report(started, counts, extra = {}, firstWriteAt = undefined) {
  const now = performance.now()
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
