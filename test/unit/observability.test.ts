import { describe, it, expect } from 'vitest'
import { statsLine, type StatsReading } from '../../src/metrics/stats-line.js'
import { judgeHealth } from '../../src/metrics/health.js'
import { latencyBucket, latencyQuantile, LATENCY_SLOTS } from '../../src/engine/latency.js'
import { ProgressReporter } from '../../src/metrics/progress.js'
import { toStats, type ShipperStats } from '../../src/shipper/stats.js'
import { Counter } from '../../src/shared/layout.js'
import type { Snapshot } from '../../src/metrics/snapshot.js'

function stats(changes: Partial<Record<keyof typeof Counter, number>> = {}, usedBytes = 0): ShipperStats {
  const c = new Float64Array(Counter.SIZE)
  for (const [k, v] of Object.entries(changes)) c[Counter[k as keyof typeof Counter]] = v
  return toStats(c, 0, usedBytes, 1000, 10_000)
}

const reading = (at: number, s: ShipperStats): StatsReading => ({ at, stats: s })

describe('stats line', () => {
  it('is silent when nothing changed and nothing waits', () => {
    const s = stats({ RECEIVED: 10, ACCEPTED: 10, DRAINED: 10, ACKED: 10 })
    expect(statsLine(reading(0, s), reading(30_000, s))).toBeUndefined()
  })

  it('says rates since the last line, queue fill and losses by reason', () => {
    const before = stats({ RECEIVED: 100, ACCEPTED: 100, DRAINED: 100, ACKED: 100 })
    const after = stats({ RECEIVED: 400, ACCEPTED: 390, DRAINED: 390, ACKED: 370, FAILED: 20, DROPPED_QUEUE_FULL: 7, DROPPED_INVALID: 3 }, 250)
    const line = JSON.parse(statsLine(reading(0, before), reading(10_000, after))!) as Record<string, unknown>
    expect(line.message).toBe('stats: 270 events acked (27/s), queue 25% full, lost 30 (7 queue_full, 3 invalid, 20 dead-lettered)')
    expect(line).toMatchObject({
      intervalS: 10,
      events: { received: 300, acked: 270, dropped: 10, failed: 20, sampledOut: 0, retried: 0 },
      rates: { receivedPerS: 30, ackedPerS: 27 },
      queue: { fill: 0.25 },
      lost: { dropped: 10, droppedByReason: { queue_full: 7, invalid: 3 }, failed: 20 },
      totals: { received: 400, acked: 370, dropped: 10, failed: 20 },
    })
  })

  it('speaks up when events wait and nothing moves (a stall)', () => {
    const s = stats({ RECEIVED: 5, ACCEPTED: 5, DRAINED: 5, IN_FLIGHT_EVENTS: 5, IN_FLIGHT_BATCHES: 1, OUTPUT_FAILING: 1 })
    const line = JSON.parse(statsLine(reading(0, s), reading(30_000, s))!) as { message: string }
    expect(line.message).toBe('stats: nothing acked, 5 events waiting, queue 0% full, nothing lost, output failing')
  })
})

describe('health verdict', () => {
  const snapshot = (s: ShipperStats, hosts: Snapshot['hosts'] = []): Snapshot => ({ at: 10_000, outputName: 'http(x)', stats: s, hosts })
  const limits = { maxQueueFill: 0.9, stallMs: 5000 }

  it('is healthy while the output answers and the queue is below the limit', () => {
    expect(judgeHealth(snapshot(stats({}, 899)), limits)).toEqual({ healthy: true, reasons: [], warnings: [] })
  })

  it('names every reason: failing output, unanswered request, full queue', () => {
    const s = stats({ OUTPUT_FAILING: 1, SEND_OLDEST_AT: 4000 }, 950)
    const verdict = judgeHealth(snapshot(s, [{ host: 'h1', up: false, failures: 3, lastError: 'HTTP 503' }]), limits)
    expect(verdict.healthy).toBe(false)
    expect(verdict.reasons).toEqual([
      'the output http(x) is failing (h1: HTTP 503); events stay queued and are retried',
      'the output http(x) has not answered a request for 6.0 s',
      'the queue is 95% full (unhealthy from 90%, http.maxQueueFill)',
    ])
  })

  it('one host down of several is a warning, not unhealthy', () => {
    const verdict = judgeHealth(
      snapshot(stats(), [
        { host: 'a', up: true, failures: 0 },
        { host: 'b', up: false, failures: 1, lastError: 'refused' },
      ]),
      limits,
    )
    expect(verdict).toEqual({ healthy: true, reasons: [], warnings: ['1 of 2 hosts are down, the others take the load (b: refused)'] })
  })
})

describe('send latency histogram', () => {
  it('buckets by upper bound and interpolates quantiles inside the bucket', () => {
    expect(latencyBucket(0)).toBe(0)
    expect(latencyBucket(5)).toBe(0)
    expect(latencyBucket(5.1)).toBe(1)
    expect(latencyBucket(1e9)).toBe(LATENCY_SLOTS - 1)
    const counts = new Array<number>(LATENCY_SLOTS).fill(0)
    counts[latencyBucket(30)] = 50 // (25, 50]
    counts[latencyBucket(700)] = 50 // (500, 1000]
    expect(latencyQuantile(counts, 0.5)).toBe(50)
    expect(latencyQuantile(counts, 0.99)).toBe(990)
    expect(latencyQuantile(new Array<number>(LATENCY_SLOTS).fill(0), 0.5)).toBe(0)
  })

  it('stats() reads the histogram the engine counts into shared memory', () => {
    const s = stats({ SEND_MS_SUM: 40 })
    expect(s.sendLatency.count).toBe(0)
    const c = new Float64Array(Counter.SIZE)
    c[Counter.SEND_LATENCY + latencyBucket(8)] = 3
    c[Counter.SEND_MS_SUM] = 24
    const l = toStats(c, 0, 0, 1000).sendLatency
    expect(l).toMatchObject({ count: 3, sumMs: 24 })
    expect(l.p50Ms).toBeCloseTo(7.5)
  })
})

describe('progress reporter (plain lines)', () => {
  it('prints a first line, then one per update, and a last line on stop', () => {
    const written: string[] = []
    const stream = { write: (s: string) => written.push(s), isTTY: false } as unknown as NodeJS.WriteStream
    let done = 0
    const reporter = new ProgressReporter(() => ({ doneBytes: done, totalBytes: 4 * 1024 * 1024, lines: Math.floor(done / 100), files: 3 }), {
      stream,
      tty: false,
      intervalMs: 3_600_000,
    })
    expect(written).toEqual(['logship: reading 3 files, 4.0 MB to ship\n'])
    done = 1024 * 1024
    expect(reporter.line({ doneBytes: done, totalBytes: 4 * 1024 * 1024, lines: 10485, files: 3 })).toMatch(
      /^logship: progress 25% \(1\.0 of 4\.0 MB\), 10485 lines, (\d+|-) lines\/s, ETA (\d+ s|\d+ min \d+ s|\d+ h \d+ min|\?)\n$/,
    )
    done = 4 * 1024 * 1024
    reporter.stop()
    expect(written[1]).toMatch(/^logship: progress 100% \(4\.0 of 4\.0 MB\), 41943 lines, (\d+|-) lines\/s, ETA 0 s\n$/)
    reporter.stop()
    expect(written).toHaveLength(2)
  })
})
