import { describe, it, expect } from 'vitest'
import { createShipper } from 'logship'
import { startFakeLogstashProcess, distinctIds, range } from '../helpers/fake-logstash.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'

describe('logstash output: backpressure end to end', () => {
  it('slow ACKs make a whenFull: block producer wait, and memory stays bounded', async () => {
    // the server runs in another process: this thread really blocks in write()
    const fake = await startFakeLogstashProcess({ mode: { ackDelayMs: 80 } })
    const maxBytes = 16 * 1024
    const shipper = createShipper({
      output: { type: 'logstash', hosts: [fake.address], bulkMaxSize: 50 },
      queue: { maxBytes, whenFull: 'block', maxBlockMs: 60_000, blockBudgetMs: 60_000 },
      batch: { maxEvents: 50, flushMs: 5 },
    })
    const pad = 'x'.repeat(40)
    const record = (i: number) => JSON.stringify({ id: i, pad })
    const smallest = Buffer.byteLength(record(0))
    // no more than this many events fit in the queue (in flight included) at once
    const capacity = Math.floor(maxBytes / smallest)
    const n = 3000 // about 10 times what the queue holds
    let accepted = 0
    for (let i = 0; i < n; i++) if (shipper.writeRecord(Buffer.from(record(i)))) accepted++
    const afterWrites = shipper.stats()
    expect(accepted).toBe(n)
    // write() could only return for the last event once the server had acknowledged all but a queue's worth
    expect(afterWrites.acked).toBeGreaterThanOrEqual(n - capacity)
    expect(afterWrites.dropped).toBe(0)
    expect(afterWrites.queueFill).toBeLessThanOrEqual(1)
    expectLedgerBalanced(afterWrites)
    await shipper.flush()
    const state = await fake.state()
    // never more unacknowledged events at the server than the queue holds
    expect(state.maxOutstanding).toBeLessThanOrEqual(capacity)
    expect(state.maxOutstanding).toBeGreaterThan(0)
    expect(distinctIds(state)).toEqual(range(n))
    expect(shipper.stats()).toMatchObject({ acked: n, dropped: 0, failed: 0 })
    await shipper.close()
  })
})
