import type { ShipperStats } from '../shipper/stats.js'
import type { TailMetrics } from './snapshot.js'

/** One reading for the stats log. */
export interface StatsReading {
  /** Epoch ms. */
  readonly at: number
  readonly stats: ShipperStats
  readonly tail?: TailMetrics | undefined
}

const perSecond = (n: number, seconds: number): number => (seconds > 0 ? Math.round((n / seconds) * 10) / 10 : 0)
const percent = (ratio: number): string => `${Math.round(ratio * 1000) / 10}%`

/**
 * The stats log line: what moved since the last reading (rates per second), how full the
 * queue is, and what was lost and why. `undefined` when nothing changed: no counter moved,
 * no gauge changed and no event is waiting (while events wait and nothing moves, the line
 * is printed: that is a stall someone needs to see). Pure.
 */
export function statsLine(prev: StatsReading, cur: StatsReading): string | undefined {
  const p = prev.stats
  const c = cur.stats
  const seconds = Math.max(0, (cur.at - prev.at) / 1000)
  const delta = {
    received: c.received - p.received,
    acked: c.acked - p.acked,
    dropped: c.dropped - p.dropped,
    sampledOut: c.sampledOut - p.sampledOut,
    failed: c.failed - p.failed,
    retried: c.retried - p.retried,
  }
  const waiting = c.queuedEvents + c.inFlightEvents
  const tailMoved =
    cur.tail !== undefined &&
    prev.tail !== undefined &&
    (cur.tail.lines !== prev.tail.lines ||
      cur.tail.bytesRead !== prev.tail.bytesRead ||
      cur.tail.lagBytes !== prev.tail.lagBytes ||
      cur.tail.harvestersOpen !== prev.tail.harvestersOpen)
  const changed = Object.values(delta).some((n) => n !== 0) || c.output.failing !== p.output.failing || c.spilledEvents !== p.spilledEvents || tailMoved
  if (!changed && waiting === 0) return undefined

  const droppedByReason = Object.fromEntries(
    Object.entries(c.droppedByReason)
      .map(([reason, n]) => [reason, n - p.droppedByReason[reason as keyof ShipperStats['droppedByReason']]] as const)
      .filter(([, n]) => n > 0),
  )
  const lost = delta.dropped + delta.sampledOut + delta.failed
  const words = [
    delta.acked > 0 ? `${delta.acked} events acked (${perSecond(delta.acked, seconds)}/s)` : waiting > 0 ? `nothing acked, ${waiting} events waiting` : 'nothing acked',
    `queue ${percent(c.queueFill)} full`,
    lost === 0
      ? 'nothing lost'
      : `lost ${lost} (${[...Object.entries(droppedByReason).map(([r, n]) => `${n} ${r}`), ...(delta.sampledOut > 0 ? [`${delta.sampledOut} sampled out`] : []), ...(delta.failed > 0 ? [`${delta.failed} dead-lettered`] : [])].join(', ')})`,
    ...(c.output.failing ? ['output failing'] : []),
  ]
  const line: Record<string, unknown> = {
    time: new Date(cur.at).toISOString(),
    message: `stats: ${words.join(', ')}`,
    intervalS: Math.round(seconds * 10) / 10,
    events: { ...delta },
    rates: { receivedPerS: perSecond(delta.received, seconds), ackedPerS: perSecond(delta.acked, seconds) },
    queue: { events: c.queuedEvents, inFlight: c.inFlightEvents, fill: Math.round(c.queueFill * 1000) / 1000 },
    lost: { dropped: delta.dropped, droppedByReason, sampledOut: delta.sampledOut, failed: delta.failed },
    output: { failing: c.output.failing, sendP50Ms: Math.round(c.sendLatency.p50Ms), sendP99Ms: Math.round(c.sendLatency.p99Ms) },
    totals: { received: c.received, acked: c.acked, dropped: c.dropped, sampledOut: c.sampledOut, failed: c.failed },
  }
  if (c.spilledEvents > 0 || p.spilledEvents > 0) line.spill = { events: c.spilledEvents, bytes: c.spilledBytes }
  if (cur.tail && prev.tail) {
    line.tail = {
      linesPerS: perSecond(cur.tail.lines - prev.tail.lines, seconds),
      bytesPerS: perSecond(cur.tail.bytesRead - prev.tail.bytesRead, seconds),
      lagBytes: cur.tail.lagBytes,
      harvestersOpen: cur.tail.harvestersOpen,
    }
  }
  return JSON.stringify(line)
}

/**
 * Prints `statsLine` every `intervalMs` through `write` (stderr in the CLI). The timer never
 * keeps the process alive.
 */
export function startStatsLog(read: () => StatsReading, write: (line: string) => void, intervalMs: number): { stop(): void } {
  let prev = read()
  const timer = setInterval(() => {
    const cur = read()
    const line = statsLine(prev, cur)
    prev = cur
    if (line !== undefined) write(line)
  }, intervalMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
