import { describe, it, expect } from 'vitest'
import { createShipper } from 'logship'
import { startSink, startSinkProcess, allEvents, isLossMarker } from '../helpers/sink.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { waitFor } from '../helpers/wait.js'

const event = (i: number, level = 'info') => ({ level, i, msg: 'policy test event' })

describe('whenFull: block', () => {
  it('holds the producer while the sink withholds replies and lets it go on when replies flow', async () => {
    // The sink runs in another process: this thread really blocks in write().
    const sink = await startSinkProcess()
    await sink.setMode({ stall: true, stallMs: 1500 })
    const shipper = createShipper({
      output: { type: 'http', url: sink.url },
      queue: { maxBytes: 16 * 1024, whenFull: 'block', maxBlockMs: 60_000, blockBudgetMs: 60_000 },
      batch: { maxEvents: 20, flushMs: 5 },
    })
    const n = 3000 // ~200 KB: far more than the 16 KiB queue holds while the sink is stalled
    const results = Array.from({ length: n }, (_, i) => shipper.write(event(i)))
    expect(results.every(Boolean)).toBe(true)
    await shipper.flush()
    const s = shipper.stats()
    expect(s).toMatchObject({ received: n, acked: n, dropped: 0 })
    expect((await sink.events()).map((e) => e.i)).toEqual(Array.from({ length: n }, (_, i) => i))
    await shipper.close()
  })

  it('drops and counts block_timeout when the sink stays stalled past maxBlockMs', async () => {
    const sink = await startSinkProcess()
    await sink.setMode({ stall: true })
    const shipper = createShipper({
      output: { type: 'http', url: sink.url },
      queue: { maxBytes: 8 * 1024, whenFull: 'block', maxBlockMs: 20 },
      batch: { maxEvents: 20, flushMs: 5 },
    })
    const drops: { reason: string; count: number }[] = []
    shipper.on('drop', (d) => drops.push(d))
    const n = 200
    const accepted = Array.from({ length: n }, (_, i) => shipper.write(event(i))).filter(Boolean).length
    const s = shipper.stats()
    expect(accepted).toBeLessThan(n)
    expect(s.droppedByReason.block_timeout).toBe(n - accepted)
    expectLedgerBalanced(s)
    await sink.setMode({ stall: false })
    await shipper.flush()
    await waitFor(() => drops.some((d) => d.reason === 'block_timeout'), 'a drop event')
    const markers = (await allEvents(sink)).filter(isLossMarker)
    expect(markers.length).toBeGreaterThan(0)
    expect(markers.reduce((sum, m) => sum + ((m.logship as { reasons: Record<string, number> }).reasons.block_timeout ?? 0), 0)).toBe(n - accepted)
    await shipper.close()
  })
})

describe('whenFull: block, bounded per outage (queue.blockBudgetMs)', () => {
  it('once write() has waited blockBudgetMs in total without the output making progress, it stops waiting and drops like drop-newest', async () => {
    const sink = await startSinkProcess()
    await sink.setMode({ stall: true })
    const shipper = createShipper({
      output: { type: 'http', url: sink.url },
      queue: { maxBytes: 8 * 1024, whenFull: 'block', maxBlockMs: 100, blockBudgetMs: 250 },
      batch: { maxEvents: 20, flushMs: 5 },
    })
    const n = 300 // the queue holds about 100 of these: ~200 writes meet a full queue
    const accepted = Array.from({ length: n }, (_, i) => shipper.write(event(i))).filter(Boolean).length
    const s = shipper.stats()
    expectLedgerBalanced(s)
    // at most ceil(250 / 100) writes waited (and timed out); every later one was dropped at once
    expect(s.droppedByReason.block_timeout).toBeGreaterThan(0)
    expect(s.droppedByReason.block_timeout).toBeLessThanOrEqual(3)
    expect(s.droppedByReason.queue_full).toBe(n - accepted - s.droppedByReason.block_timeout)
    // the output answers again: the budget is whole again, so a full queue blocks once more
    await sink.setMode({ stall: false })
    await shipper.flush()
    await sink.setMode({ stall: true })
    for (let i = 0; i < n; i++) shipper.write(event(n + i))
    expect(shipper.stats().droppedByReason.block_timeout).toBeGreaterThan(s.droppedByReason.block_timeout)
    await sink.setMode({ stall: false })
    await shipper.close()
  })
})

describe('whenFull: drop-newest (the default)', () => {
  it('keeps the oldest events, counts the rest, and reports the loss with a marker event', async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, queue: { maxBytes: 16 * 1024 }, batch: { maxEvents: 20, flushMs: 5 } })
    const n = 2000
    const accepted: number[] = []
    for (let i = 0; i < n; i++) if (shipper.write(event(i))) accepted.push(i)
    const during = shipper.stats()
    expectLedgerBalanced(during)
    expect(accepted.length).toBeLessThan(n)
    expect(accepted).toEqual(Array.from({ length: accepted.length }, (_, i) => i))
    expect(during.droppedByReason.queue_full).toBe(n - accepted.length)
    await sink.setMode({ stall: false })
    await shipper.flush()
    await waitFor(async () => (await allEvents(sink)).some(isLossMarker), 'the loss marker')
    expect((await sink.events()).map((e) => e.i)).toEqual(accepted)
    const marker = (await allEvents(sink)).find(isLossMarker)!
    expect(marker).toMatchObject({ event: { kind: 'metric' }, logship: { dropped: n - accepted.length, reasons: { queue_full: n - accepted.length } } })
    expect(marker.message).toBe(`logship dropped ${n - accepted.length} events (queue_full: ${n - accepted.length})`)
    const s = shipper.stats()
    expectLedgerBalanced(s)
    expect(s.acked).toBe(accepted.length)
    await shipper.close()
  })
})

describe('whenFull: drop-oldest', () => {
  it('accepts every new event and evicts the oldest queued ones, never those in flight', async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, queue: { maxBytes: 16 * 1024, whenFull: 'drop-oldest' }, batch: { maxEvents: 20, flushMs: 5 } })
    const n = 2000
    for (let i = 0; i < n; i++) {
      await shipper.writable()
      expect(shipper.write(event(i))).toBe(true)
    }
    await waitFor(async () => (await sink.stalledRequests()) > 0, 'the first batch to reach the sink')
    await sink.setMode({ stall: false })
    await shipper.flush()
    const ids = (await sink.events()).map((e) => e.i as number)
    const s = shipper.stats()
    expectLedgerBalanced(s)
    expect(s.droppedByReason.queue_full_oldest).toBe(n - ids.length)
    expect(s.droppedByReason.queue_full_oldest).toBeGreaterThan(0)
    // what arrives is in order, ends with the newest event, and the oldest were evicted:
    // after the first batch (in flight when the sink stalled) only recent events remain
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    expect(ids[ids.length - 1]).toBe(n - 1)
    expect(ids[1 + ids.findIndex((id, k) => ids[k + 1] !== id + 1)]!).toBeGreaterThan(n / 2)
    await shipper.close()
  })
})

describe('whenFull: drop-oldest, written in a tight loop', () => {
  for (const [thread, maxBytes] of [
    ['worker', 16 * 1024],
    ['main', 16 * 1024],
    ['worker', '1mb'],
  ] as const) {
    it(`write() never returns false while queued events are not in flight (thread ${thread}, queue ${maxBytes})`, async () => {
      const sink = await startSink()
      await sink.setMode({ stall: true })
      const shipper = createShipper({ output: { type: 'http', url: sink.url }, thread, queue: { maxBytes, whenFull: 'drop-oldest' }, batch: { maxEvents: 20, flushMs: 5 } })
      shipper.write(event(0))
      await waitFor(async () => (await sink.stalledRequests()) > 0, 'the first batch in flight at the stalled sink')
      const n = 20_000 // far more than the queue holds; no writable(): the app does not wait
      let refused = 0
      for (let i = 1; i < n; i++) if (!shipper.write(event(i))) refused++
      expect(refused).toBe(0)
      const during = shipper.stats()
      expectLedgerBalanced(during)
      expect(during.droppedByReason.queue_full).toBe(0)
      await sink.setMode({ stall: false })
      await shipper.flush()
      const ids = (await sink.events()).map((e) => e.i as number)
      const s = shipper.stats()
      expectLedgerBalanced(s)
      expect(s.droppedByReason.queue_full_oldest).toBe(n - ids.length)
      expect(ids[0]).toBe(0) // in flight when the queue filled: never evicted
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
      expect(ids[ids.length - 1]).toBe(n - 1) // the newest are kept
      await shipper.close()
    })
  }
})

describe('whenFull: sample', () => {
  it('keeps every warn and error event and samples lower levels above the watermark', async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const shipper = createShipper({
      output: { type: 'http', url: sink.url },
      queue: { maxBytes: 64 * 1024, whenFull: 'sample' },
      sample: { watermark: 0.25, keepOneIn: 10 },
      batch: { maxEvents: 20, flushMs: 5 },
    })
    const n = 2000
    for (let i = 0; i < n; i++) shipper.write(event(i, i % 5 === 0 ? (i % 10 === 0 ? 'error' : 'warn') : 'info'))
    const during = shipper.stats()
    expect(during.sampledOut).toBeGreaterThan(0)
    expect(during.droppedByReason.queue_full).toBe(0)
    await sink.setMode({ stall: false })
    await shipper.flush()
    const got = await sink.events()
    const warnPlus = got.filter((e) => e.level !== 'info').map((e) => e.i)
    expect(warnPlus).toEqual(Array.from({ length: n / 5 }, (_, k) => k * 5))
    const s = shipper.stats()
    expect(s.sampledOut).toBe(n - got.length)
    expectLedgerBalanced(s)
    await shipper.close()
  })
})
