// Shared by the Redis benchmark clients: the event stream and the result line run.mjs reads.
import { sampleEvent, usage } from '../lib/run.mjs'

export const N = Number(process.env.N ?? 200_000)
export const PORT = Number(process.env.REDIS_PORT)
export const KEY = process.env.KEY ?? 'bench'
export const events = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i))
export const avgEventBytes = events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / events.length

export function start() {
  return { cpu: process.cpuUsage(), t0: performance.now() }
}

/** Prints the one JSON result line run.mjs reads. */
export function report(started, extra = {}) {
  const seconds = (performance.now() - started.t0) / 1000
  console.log(
    JSON.stringify({
      events: N,
      seconds: +seconds.toFixed(2),
      eventsPerSec: Math.round(N / seconds),
      MBPerSec: +((N * avgEventBytes) / seconds / 1e6).toFixed(1),
      avgEventBytes: Math.round(avgEventBytes),
      ...usage(started.cpu),
      ...extra,
    }),
  )
}
