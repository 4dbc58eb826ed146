import { describe, it, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { createShipper, type LogshipError } from 'logship'
import { startFakeLogstash, distinctIds, userEvents, range, type FakeLogstash } from '../helpers/fake-logstash.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'

function shipTo(fake: FakeLogstash, output: Record<string, unknown> = {}) {
  const shipper = createShipper({
    // the default backoff (1 s, doubling) and no retries at all: churn must cost neither
    output: { type: 'logstash', hosts: [fake.address], ...output },
    batch: { maxEvents: 2048, flushMs: 5 },
    retry: { maxRetries: 0 },
    queue: { maxBytes: '16mb' },
    closeTimeoutMs: 2000,
    handleExit: false,
  })
  const errors: LogshipError[] = []
  shipper.on('error', (e) => errors.push(e))
  return { shipper, errors }
}

describe('logstash output: steady under connection churn', () => {
  it.each([
    { every: 3, pipelining: 2 },
    { every: 3, pipelining: 1 },
    { every: 2, pipelining: 2 },
    { every: 10, pipelining: 4 },
  ])(
    'a server that drops every $every windows (pipelining $pipelining): all delivered with maxRetries 0, duplicates only from unacknowledged windows, windows stay large',
    async ({ every, pipelining }) => {
      const fake = await startFakeLogstash({ mode: { closeAfterWindows: every } })
      const { shipper } = shipTo(fake, { pipelining })
      const n = 20_000
      for (let i = 0; i < n; i++) shipper.write({ id: i })
      await shipper.flush()
      const state = await fake.state()
      expect(state.droppedWindows).toBeGreaterThanOrEqual(2)
      expect(distinctIds(state)).toEqual(range(n))
      // every event the server received without acknowledging came again, and nothing else did
      expect(userEvents(state).length).toBe(n + state.receivedUnacked)
      const s = shipper.stats()
      expect(s).toMatchObject({ acked: n, failed: 0, dropped: 0 })
      expectLedgerBalanced(s)
      // the windows did not sink towards 1: the last ones are still large
      expect(Math.max(...state.windows.slice(-8))).toBeGreaterThanOrEqual(512)
      await shipper.close()
    },
  )

  test.prop(
    [
      fc.record({
        every: fc.integer({ min: 2, max: 6 }),
        pipelining: fc.integer({ min: 0, max: 4 }),
        ackInParts: fc.integer({ min: 1, max: 3 }),
        compressionLevel: fc.constantFrom(0, 3),
        bulkMaxSize: fc.constantFrom(50, 2048),
        workers: fc.integer({ min: 1, max: 2 }),
      }),
    ],
    { numRuns: 6 },
  )('any churn, pipelining, partial ACKs and window cap: everything arrives, duplicates only from unacknowledged windows', async ({ every, ackInParts, ...output }) => {
    const fake = await startFakeLogstash({ mode: { closeAfterWindows: every, ackInParts } })
    const { shipper } = shipTo(fake, output)
    const n = 2000
    for (let i = 0; i < n; i++) shipper.write({ id: i })
    await shipper.flush()
    const state = await fake.state()
    expect(distinctIds(state)).toEqual(range(n))
    expect(userEvents(state).length).toBe(n + state.receivedUnacked)
    expect(shipper.stats()).toMatchObject({ acked: n, failed: 0, dropped: 0 })
    await shipper.close()
    await fake.close()
  })
})
